"""Rules across a record's fields (build/rules.py) and the loader's new forms: who states what, dates
in order, unnamed people, choices, vocabulary terms in the wrong place, phrases YAML split at a
comma, and every stage's errors in one run. Each test asserts the exact lines of ``edugraph build``."""

from __future__ import annotations

SOURCES = """\
sources:
  - id: doc-1
    name: Doc 1
    file: doc-1.txt
  - id: doc-2
    name: Doc 2
    file: doc-2.txt
  - id: doc-3
    name: Doc 3
    file: doc-3.txt
organisations:
  - id: o
    name: O
    sources: [doc-1]
"""


def errors(cli, write_yaml, text: str) -> list[str]:
    write_yaml("sources.yaml", SOURCES)
    write_yaml("r.yaml", text)
    result = cli("build")
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    if len(lines) > 1:
        assert lines[-1] == f"{len(lines) - 1} errors; nothing was written."
        return lines[:-1]
    return lines


def builds(cli, write_yaml, text: str) -> None:
    write_yaml("sources.yaml", SOURCES)
    write_yaml("r.yaml", text)
    result = cli("build")
    assert result.exit_code == 0, result.output


def test_a_relationship_inherits_the_one_source_of_its_record(cli, write_yaml) -> None:
    builds(cli, write_yaml, "people:\n  - id: p\n    name: P\n    positions:\n"
                            "      - organisation: o\n        title: Dean\n    sources: [doc-1]\n")


def test_in_a_record_citing_several_each_relationship_names_its_sources(cli, write_yaml) -> None:
    assert errors(cli, write_yaml, """\
people:
  - id: p
    name: P
    positions:
      - organisation: o
        title: Dean
      - organisation: o
        title: Rector
        sources: [doc-2, doc-3]
    sources: [doc-1, doc-2]
""") == [
        "error: data/r.yaml:5: person 'p', positions #1: has no 'sources', and its record cites 2 "
        "(doc-1, doc-2); add 'sources: [...]' with those of doc-1, doc-2 that state this position",
        "error: data/r.yaml:9: person 'p', positions #2, field 'sources': cites doc-3, which its "
        "record does not cite; add doc-3 to the record's sources, or cite only some of doc-1, doc-2",
    ]


def test_a_value_may_name_its_own_sources_among_its_records(cli, write_yaml) -> None:
    builds(cli, write_yaml, """\
places:
  - id: x
    name: {value: X, sources: [doc-2]}
    aliases:
      - Ex
      - {value: Ix, sources: [doc-1]}
    sources: [doc-1, doc-2]
""")
    assert errors(cli, write_yaml, """\
places:
  - id: x
    name: X
    aliases:
      - {value: Ix, sources: [doc-3]}
      - {value: Ex}
      - {value: Ax, sources: [doc-1], note: x}
      - {value: Ux, sources: doc-1}
      - {value: Ox, sources: [nowhere]}
    sources: [doc-1, doc-2]
""") == [
        "error: data/r.yaml:5: place 'x', field 'aliases': the value 'Ix' cites doc-3, which the "
        "record does not cite; add doc-3 to the record's sources, or cite only some of doc-1, doc-2",
        "error: data/r.yaml:6: place 'x', field 'aliases': a value with its own sources lacks "
        "'sources'; write it as {value: ..., sources: [source-id, ...]}",
        "error: data/r.yaml:7: place 'x', field 'aliases': a value with its own sources has the key "
        "'note'; write it as {value: ..., sources: [source-id, ...]}",
        "error: data/r.yaml:8: place 'x', field 'aliases': the sources of a value must be a list of "
        "source ids, found the text 'doc-1'",
        "error: data/r.yaml:9: place 'x', field 'aliases': the value 'Ox' cites nowhere, which the "
        "record does not cite; add nowhere to the record's sources, or cite only some of doc-1, doc-2",
        "error: data/r.yaml:9: place 'x', field 'aliases': unknown id 'nowhere'; add a source "
        "record with this id, or fix the id",
    ]


def test_dates_in_order_and_within_the_records(cli, write_yaml) -> None:
    assert errors(cli, write_yaml, """\
events:
  - id: e
    name: E
    start: 2020-04
    end: 2019-01
    participants:
      - agent: o
        role: host
        start: 2021
    sources: [doc-1]
  - id: f
    name: F
    start: 2020
    end: 2020-06
    participants:
      - agent: o
        role: host
        start: 2019-12-31
      - agent: o
        role: chair
        end: 2020-07
    sources: [doc-1]
people:
  - id: p
    name: P
    positions:
      - organisation: o
        title: Dean
        former: true
        end: 2020
    sources: [doc-1]
""") == [
        "error: data/r.yaml:5: event 'e', field 'end': ends (2019-01) before it starts (2020-04); "
        "swap the two dates, or fix the one the source gives differently",
        "error: data/r.yaml:9: event 'e', participants #1, field 'start': start date 2021 is after "
        "its record's end date 2019-01; fix the date, or the record's, to what the sources say",
        "error: data/r.yaml:18: event 'f', participants #1, field 'start': start date 2019-12-31 is "
        "before its record's start date 2020; fix the date, or the record's, to what the sources say",
        "error: data/r.yaml:21: event 'f', participants #2, field 'end': end date 2020-07 is after "
        "its record's end date 2020-06; fix the date, or the record's, to what the sources say",
        "error: data/r.yaml:29: person 'p', positions #1, field 'former': is 'former' and has an end "
        "date (2020); remove 'former': the end date already says the post is over",
    ]


def test_dates_of_another_precision_are_not_out_of_order(cli, write_yaml) -> None:
    builds(cli, write_yaml, """\
events:
  - id: e
    name: E
    start: 2020-04-05
    end: 2020
    participants:
      - agent: o
        role: host
        start: 2020-04
        end: 2020-04-05
    sources: [doc-1]
""")


def test_an_unnamed_person_has_exactly_one_mention(cli, write_yaml) -> None:
    builds(cli, write_yaml, "people:\n  - id: vice-mayor\n    mentioned_as: [Vice Shanghai Mayor]\n"
                            "    sources: [doc-1]\n")
    hint = ("add 'name: ...', or, for a person a source names only by an office, give exactly one "
            "'mentioned_as' with the source's words")
    assert errors(cli, write_yaml, """\
people:
  - id: a
    mentioned_as: [the Mayor, "the Vice Mayor"]
    sources: [doc-1]
organisations:
  - id: b
    mentioned_as: [the Ministry]
    sources: [doc-1]
""") == [
        f"error: data/r.yaml:2: person 'a': has no 'name'; {hint}",
        "error: data/r.yaml:6: organisation 'b': has no 'name'; add 'name: ...'",
    ]


def test_choices_online_and_bound(cli, write_yaml) -> None:
    assert errors(cli, write_yaml, """\
events:
  - id: e
    name: E
    start: 2020
    online: both
    counts:
      - of: countries
        value: 20
        bound: more-than
    sources: [doc-1]
""") == [
        "error: data/r.yaml:5: event 'e', field 'online': 'both' is not true, false or mixed; write "
        "true, false or mixed",
        "error: data/r.yaml:9: event 'e', counts #1, field 'bound': 'more-than' is not at-least or "
        "at-most; write at-least or at-most",
    ]


def test_a_term_of_another_vocabulary_says_where_it_belongs(cli, write_yaml) -> None:
    (line,) = errors(cli, write_yaml, """\
events:
  - id: e
    name: E
    start: 2020
    participants:
      - agent: o
        role: partner
    sources: [doc-1]
""")
    assert line == (
        "error: data/r.yaml:7: event 'e', participants #1, field 'role': 'partner' is not in the "
        "participation-role vocabulary: it is an involvement-role term, for the role in an "
        "initiative's participants; participation-role terms, for the role in an event's "
        "participants, are: attendee, chair, host, keynote, organiser, participant, presenter, "
        "speaker, trainer")


def test_a_phrase_split_at_its_comma_is_refused(cli, write_yaml) -> None:
    assert errors(cli, write_yaml, """\
organisations:
  - id: kg
    name: KG
    mentioned_as: [Ministries of Education in Kazakhstan, the Kyrgyz Republic]
    aliases: [KGM, "the KG ministry"]
    sources: [doc-1]
""") == [
        "error: data/r.yaml:4: organisation 'kg', field 'mentioned_as': 'the Kyrgyz Republic' reads "
        "as the rest of 'Ministries of Education in Kazakhstan': YAML splits an unquoted [a, b] list "
        "at every comma; quote the phrase: [\"Ministries of Education in Kazakhstan, the Kyrgyz "
        "Republic\"], or quote 'the Kyrgyz Republic' if it is a value of its own",
    ]


def test_one_run_reports_every_stage(cli, write_yaml) -> None:
    """A role typo in one file does not hide an unknown id in another."""
    write_yaml("sources.yaml", SOURCES)
    write_yaml("a.yaml", "events:\n  - id: e\n    name: E\n    start: 2020\n    participants:\n"
                         "      - agent: o\n        role: hots\n    sources: [doc-1]\n")
    write_yaml("b.yaml", "people:\n  - id: p\n    name: P\n    positions:\n"
                         "      - organisation: nowhere\n    sources: [doc-1]\n")
    result = cli("build")
    assert (result.exit_code, result.stderr.splitlines()) == (2, [
        "error: data/a.yaml:7: event 'e', participants #1, field 'role': 'hots' is not in the "
        "participation-role vocabulary; did you mean 'host'?",
        "error: data/b.yaml:5: person 'p', positions #1, field 'organisation': unknown id "
        "'nowhere'; add an organisation record with this id, or fix the id",
        "2 errors; nothing was written.",
    ])


def test_an_unreadable_file_keeps_unknown_ids_unreported(cli, write_yaml) -> None:
    """The file that does not parse may hold the id another file refers to."""
    write_yaml("sources.yaml", SOURCES)
    write_yaml("a.yaml", "organisations:\n  - id: hidden\n    name: [unclosed\n")
    write_yaml("b.yaml", "people:\n  - id: p\n    name: P\n    positions:\n"
                         "      - organisation: hidden\n      - organisation: p\n    sources: [doc-1]\n")
    lines = cli("build").stderr.splitlines()
    assert len(lines) == 3 and lines[0].startswith("error: data/a.yaml:")
    assert lines[1] == ("error: data/b.yaml:6: person 'p', positions #2, field 'organisation': 'p' "
                        "is a person, not an organisation; refer to an organisation here")
