"""edugraph: hand-curated YAML records -> a validated knowledge graph of teacher-education policy."""

__version__ = "0.1.0"
