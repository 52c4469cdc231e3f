"""The build, stage by stage in flow order: YAML read strictly, records loaded and resolved,
mapped to triples, validated with SHACL, written; file by file, through the cache."""
