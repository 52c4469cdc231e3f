"""The grounding check: each statement is stated by every source it is attributed to. Every name,
title, count and date is looked for in those texts, compared without regard to case, dashes, quotes
or spacing, and only as whole words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edugraph.explore.grounding import value_checks
from edugraph.explore.textmatch import (
    SourceText,
    comparable_text,
    date_forms,
    date_occurs,
    number_occurs,
    number_words,
    occurs,
    only_before,
    ordinal_forms,
    ordinal_occurs,
)
from edugraph.model.kinds import KINDS, RELATIONS

from .conftest import FIXTURES, POLICY, ROOT

GROUNDING = FIXTURES / "grounding"
RECORDS = Path("data") / "records.yaml"
SUMMARY = "checked 12 records, 8 relationships in 3 sources"


@pytest.fixture
def grounding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the grounding fixture (``data/``, ``sources/``) at tmp_path, the working directory."""
    shutil.copytree(GROUNDING, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, *changes: tuple[str, str]) -> None:
    """Replace each old text, which must occur exactly once, by its new text."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def misses(cli, *changes: tuple[str, str]) -> list[str]:
    """The lines check-sources prints (exit code 1) after the changes to data/records.yaml."""
    edit(RECORDS, *changes)
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stderr) == (1, ""), result.stdout + result.stderr
    return result.stdout.splitlines()


# --- normalising ------------------------------------------------------------------------------

@pytest.mark.parametrize("dash", list("\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"))
def test_every_dash_is_one_hyphen(dash: str) -> None:
    assert comparable_text(f"Skilled Teachers{dash}Skilled Nation") == "skilled teachers-skilled nation"


@pytest.mark.parametrize("quote", list("\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a'\"`\u00b4"))
def test_every_quote_is_removed(quote: str) -> None:
    assert comparable_text(f"World Teachers{quote} Day") == "world teachers day"


def test_case_space_and_compatibility_forms() -> None:
    assert comparable_text("  STRASSE\u00a0und\tStraße \n\n ﬁnal ＵＮＥＳＣＯ ") == "strasse und strasse final unesco"


def test_a_phrase_occurs_whatever_its_dashes_quotes_case_and_spacing() -> None:
    text = comparable_text("the \u201cTeachers\u2019 Voices\u201d network \u2013 opened in\nLAKESIDE")
    assert occurs('"Teachers\' Voices" network - opened in Lakeside', text)


def test_a_phrase_occurs_only_as_whole_words() -> None:
    text = comparable_text("Training in AI-based tools, Dr. Holt said.")
    assert occurs("AI", text)
    assert occurs("Dr.", text)
    assert not occurs("rain", text)
    assert not occurs("Hol", text)
    assert not occurs("", text)


# --- numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "words"), [
    (0, "zero"),
    (9, "nine"),
    (14, "fourteen"),
    (25, "twenty-five"),
    (25, "twenty five"),
    (90, "ninety"),
    (100, "a hundred"),
    (100, "one hundred"),
    (150, "one hundred and fifty"),
    (150, "one hundred fifty"),
    (2000, "two thousand"),
    (2005, "two thousand and five"),
    (2150, "two thousand one hundred and fifty"),
    (1000, "a thousand"),
    (999_999, "nine hundred and ninety-nine thousand nine hundred ninety nine"),
])
def test_number_words(value: int, words: str) -> None:
    assert words in number_words(value)


def test_no_words_from_a_million() -> None:
    assert number_words(1_000_000) == []


@pytest.mark.parametrize(("value", "text", "expected"), [
    (2150, "about 2150 professors", True),
    (2150, "about 2,150 professors", True),
    (2150, "about 2.150 professors", False),
    (2000, "About two thousand professors", True),
    (42, "from forty\u2011two schools", True),
    (42, "from Forty Two schools", True),
    (25, "A total of 25 officials", True),
    (25, "in 2025", False),
    (25, "25.5 per cent", False),
    (25, "1,25 million", False),
    (25, "on 25. May", True),
    (9, "nine major trends", True),
    (9, "ninety trends", False),
])
def test_number_occurs(value: int, text: str, expected: bool) -> None:
    assert number_occurs(value, comparable_text(text)) is expected


@pytest.mark.parametrize(("value", "forms"), [
    (1, ["1st", "first"]),
    (2, ["2nd", "second"]),
    (3, ["3rd", "third"]),
    (8, ["8th", "eighth"]),
    (11, ["11th", "eleventh"]),
    (12, ["12th", "twelfth"]),
    (20, ["20th", "twentieth"]),
    (22, ["22nd", "twenty-second", "twenty second"]),
    (101, ["101st"]),
    (113, ["113th"]),
])
def test_ordinal_forms(value: int, forms: list[str]) -> None:
    assert ordinal_forms(value) == forms


@pytest.mark.parametrize(("value", "text", "expected"), [
    (8, "The 8th Meeting of UNESCO Category II Centres", True),
    (2, "This workshop is a second of the series", True),
    (21, "the Twenty\u2011First Forum", True),
    (8, "The 8 Meeting", False),
    (8, "the 18th Meeting", False),
    (8, "eighteenth", False),
])
def test_ordinal_occurs(value: int, text: str, expected: bool) -> None:
    assert ordinal_occurs(value, comparable_text(text)) is expected


# --- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lexical", "text", "expected"), [
    ("2025-07-02", "On July 2, 2025, the programme opened", True),
    ("2025-07-02", "opened on 2 July 2025.", True),
    ("2025-07-02", "07/02/2025 | News", True),
    ("2025-07-02", "dated 2025-07-02", True),
    ("2025-07-02", "On July 2 the programme opened in 2025", False),
    ("2025-07-02", "02/07/2025", False),
    ("2025-07-02", "July 22, 2025", False),
    ("2024-10-04", "10/04/2024 | News release", True),
    ("2022-05-26T17:00:00+06:00", "on 26 May 2022, 17:00 \u2013 19:00 (Almaty time)", True),
    ("2022-05-26T17:00:00+06:00", "on 26 May 2022, 18:00", False),
    ("2022-05-26T17:00:00+06:00", "at 17:00 on 27 May 2022", False),
    ("2024", "In 2024, the theme", True),
    ("2024", "10/04/2024", True),
    ("2024", "20245 teachers", False),
    ("2024-10", "in October 2024", True),
    ("2024-10", "on 5 October; this year, 2024, ...", True),
    ("2024-10", "in 2024", False),
    ("2024-10", "in October 2023", False),
])
def test_date_occurs(lexical: str, text: str, expected: bool) -> None:
    assert date_occurs(lexical, comparable_text(text)) is expected


def test_date_forms_say_what_was_looked_for() -> None:
    assert date_forms("2025-07-02").describe() == (
        "'July 2, 2025', '2 July 2025', '07/02/2025' or '2025-07-02'")
    assert date_forms("2022-05-26T17:00:00+06:00").describe() == (
        "'May 26, 2022', '26 May 2022', '05/26/2022' or '2022-05-26' with '17:00'")
    assert date_forms("2024-10").describe() == "'October' with '2024'"
    assert date_forms("2024").describe() == "'2024'"


# --- list items split at a comma -----------------------------------------------------------

@pytest.mark.parametrize(("first", "second", "text", "expected"), [
    # The classic unquoted flow list: the source's one phrase is two items.
    ("Ministries of Education in Kazakhstan", "the Kyrgyz Republic",
     "with the Ministries of Education in Kazakhstan, the Kyrgyz Republic, Tajikistan and Uzbekistan", True),
    ("the Kyrgyz Republic", "Tajikistan", "in Kazakhstan, the Kyrgyz Republic, Tajikistan and Uzbekistan",
     True),
    ("A", "B", "A,B and A , B", True),
    # Said once on its own as well: the first item is a phrase of the source.
    ("Zhang Minxuan", "Director", "Zhang Minxuan, Director of UNESCO TEC, said ... Zhang Minxuan added",
     False),
    # What follows the comma is not the next item, or only the start of a longer word.
    ("Zhang Minxuan", "Director", "Professor Zhang Minxuan, Vice-President", False),
    ("Zhang Minxuan", "Director", "Zhang Minxuan, Directorate of", False),
    ("Zhang Minxuan", "Director", "Director Zhang Minxuan", False),
    # Not said at all: a miss of its own kind, not a split.
    ("Zhang Minxuan", "Director", "Director of UNESCO TEC", False),
])
def test_a_split_is_a_phrase_only_ever_followed_by_the_next_item(first: str, second: str, text: str,
                                                                  expected: bool) -> None:
    assert only_before(first, second, comparable_text(text)) is expected


def test_a_source_text_answers_each_question_once() -> None:
    text = SourceText("src-1", "1.txt", comparable_text("On 2 July 2025, the 8th Forum: 2,150 teachers."))
    assert text.shown == "src-1 (1.txt)"
    assert (text.mentions("the 8th forum"), text.mentions("9th")) == (True, False)
    assert (text.gives_date("2025-07-02"), text.gives_number(2150), text.gives_ordinal(8)) == (
        True, True, True)
    assert text.splits("the 8th forum", "2,150 teachers") is False
    # Answers are kept, so a text asked again is not searched again.
    assert len(text._answers) == 5


# --- which fields are looked for --------------------------------------------------------------

def test_the_fields_looked_for_follow_from_the_model() -> None:
    """Text without a language (the source's words), dates, counts, an event's number and
    references: not ids, vocabulary terms, choices, IRIs, or descriptions and notes (the curator's
    English). A field added to the model shows up here."""
    found = {kind.name: {spec.name: how for spec, how in value_checks(kind)}
             for kind in (*KINDS.values(), *RELATIONS.values())}
    names = {"name": "phrase", "aliases": "phrase", "mentioned_as": "phrase"}
    dates = {"start": "date", "end": "date"}
    assert found == {
        "organisation": {**names, "part_of": "reference", "location": "reference", **dates,
                         "topics": "reference"},
        "person": {**names, "honorifics": "phrase"},
        "event": {**names, **dates, "location": "reference", "part_of": "reference", "number": "ordinal",
                  "theme": "phrase", "topics": "reference"},
        "initiative": {**names, **dates, "location": "reference", "part_of": "reference",
                       "theme": "phrase", "topics": "reference"},
        "place": {**names, "part_of": "reference"},
        "source": {**names, "title": "phrase", "published": "date", "publisher": "reference"},
        "topic": {**names, "broader": "reference"},
        "position": {"organisation": "reference", "title": "phrase", **dates},
        "participation": {"agent": "reference", **dates},
        "involvement": {"agent": "reference", "title": "phrase", **dates},
        "count": {"value": "number", "label": "phrase"},
        "tie": {"organisation": "reference", **dates},
    }


# --- the check on the fixture -----------------------------------------------------------------

def test_the_fixture_is_grounded(grounding: Path, cli) -> None:
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "grounded: 12 records, 8 relationships in 3 sources\n", "")


def test_a_changed_name_title_count_and_date_are_misses_in_every_source_stating_them(
        grounding: Path, cli) -> None:
    assert misses(cli,
                  ("    name: Lakeside\n", "    name: Lakeshore\n"),
                  ("title: Dean\n", "title: Provost\n"),
                  ("value: 42\n", "value: 24\n"),
                  ("start: 2024-03-14T09:30", "start: 2024-03-15T09:30")) == [
        # The university's location names its own source: gamma must name the place.
        "data/records.yaml:7: organisation 'lakeside-university': gamma (gamma.txt) does not mention "
        "place 'lakeside' ('Lakeshore'), its location",
        "data/records.yaml:35: person 'mira-holt', positions #1: alpha (alpha.txt) does not give title "
        "'Provost'",
        "data/records.yaml:35: person 'mira-holt', positions #1: gamma (gamma.txt) does not give title "
        "'Provost'",
        "data/records.yaml:56: event 'riverside-forum-2024': alpha (alpha.txt) does not give start "
        "2024-03-15T09:30:00+05:00 as 'March 15, 2024', '15 March 2024', '03/15/2024' or "
        "'2024-03-15' with '09:30'",
        "data/records.yaml:70: event 'riverside-forum-2024', counts #2: alpha (alpha.txt) does not give "
        "value 24 (in digits or words)",
        "data/records.yaml:90: place 'lakeside': alpha (alpha.txt) does not mention 'Lakeshore'",
        "data/records.yaml:90: place 'lakeside': gamma (gamma.txt) does not mention 'Lakeshore'",
        f"not grounded: 7 misses; {SUMMARY}",
    ]


def test_names_parents_agents_labels_and_source_records(grounding: Path, cli) -> None:
    edit(Path("data") / "sources.yaml",
         ("published: 2024-10-04", "published: 2024-10-05"),
         ("title: Riverside Teacher Forum opens in Lakeside", "title: Riverside Teacher Forum closes"))
    forum = "event 'riverside-forum-2024'"
    forum_names = "'Lakeside Teacher Forum', 'Riverside Forum', 'RTF'"
    assert misses(cli,
                  ("    name: Riverside Teacher Forum - a meeting of the \"Teachers' Voices\" network\n",
                   "    name: Lakeside Teacher Forum\n"),
                  ("    aliases: [Riverside Teacher Forum]\n", "    aliases: [Riverside Forum, RTF]\n"),
                  ("        label: teachers\n", "        label: teachers and principals\n"),
                  ("    name: Ministry of Learning\n", "    name: Ministry of Teaching\n")) == [
        "data/records.yaml:17: organisation 'ministry-of-learning': alpha (alpha.txt) does not mention "
        "'Ministry of Teaching'",
        "data/records.yaml:17: organisation 'ministry-of-learning': beta (beta.txt) does not mention "
        "'Ministry of Teaching'",
        "data/records.yaml:43: person 'tom-reyes', positions #1: beta (beta.txt) does not mention "
        "organisation 'ministry-of-learning' ('Ministry of Teaching')",
        f"data/records.yaml:53: {forum}: alpha (alpha.txt) does not mention any of {forum_names}",
        # Each relationship names its record in the text it cites.
        f"data/records.yaml:61: {forum}, participants #1: alpha (alpha.txt) does not mention {forum} "
        f"({forum_names})",
        f"data/records.yaml:63: {forum}, participants #2: alpha (alpha.txt) does not mention {forum} "
        f"({forum_names})",
        f"data/records.yaml:66: {forum}, counts #1: alpha (alpha.txt) does not mention {forum} "
        f"({forum_names})",
        f"data/records.yaml:68: {forum}, counts #1: alpha (alpha.txt) does not give label 'teachers and "
        "principals'",
        f"data/records.yaml:69: {forum}, counts #2: alpha (alpha.txt) does not mention {forum} "
        f"({forum_names})",
        "data/records.yaml:78: initiative 'rural-schools-initiative', participants #1: alpha (alpha.txt) "
        "does not mention organisation 'ministry-of-learning' ('Ministry of Teaching')",
        # A source record's headline and date are looked for in its own text.
        "data/sources.yaml:4: source 'alpha': alpha (alpha.txt) does not give title 'Riverside Teacher "
        "Forum closes'",
        "data/sources.yaml:11: source 'beta': beta (beta.txt) does not give published 2024-10-05 as "
        "'October 5, 2024', '5 October 2024', '10/05/2024' or '2024-10-05'",
        f"not grounded: 12 misses; {SUMMARY}",
    ]


def test_each_source_a_record_cites_names_it(grounding: Path, cli) -> None:
    # beta never mentions the place; the alias beta is said to use counts for beta only.
    assert misses(cli, ("    type: city\n    sources: [alpha, gamma]\n",
                        "    aliases: [{value: Lakeside City, sources: [beta]}]\n    type: city\n"
                        "    sources: [alpha, beta, gamma]\n")) == [
        "data/records.yaml:90: place 'lakeside': beta (beta.txt) does not mention any of 'Lakeside', "
        "'Lakeside City'",
        f"not grounded: 1 miss; {SUMMARY}",
    ]


def test_a_name_counts_only_for_the_sources_it_is_attributed_to(grounding: Path, cli) -> None:
    # gamma writes 'Lakeside University' but the record says it calls the university only 'LU'.
    assert misses(cli, ("    name: Lakeside University\n",
                        "    name: {value: Lakeside University, sources: [alpha]}\n"),
                  ("LU, sources: [alpha]", "LU, sources: [gamma]")) == [
        "data/records.yaml:4: organisation 'lakeside-university': gamma (gamma.txt) does not mention "
        "'LU'",
        f"not grounded: 1 miss; {SUMMARY}",
    ]


def test_a_value_is_looked_for_in_each_of_its_own_sources(grounding: Path, cli) -> None:
    assert misses(cli,
                  ("LU, sources: [alpha]", "LU, sources: [gamma]"),
                  ("1952", "1953"),
                  ("Professor, sources: [gamma]", "Professor, sources: [alpha]"),
                  # The place no longer cites gamma, which still names it: a record referred to
                  # need not cite every text that mentions it.
                  ("    type: city\n    sources: [alpha, gamma]\n", "    type: city\n    sources: [alpha]\n"),
                  ) == [
        "data/records.yaml:5: organisation 'lakeside-university': gamma (gamma.txt) does not give aliases "
        "'LU'",
        "data/records.yaml:8: organisation 'lakeside-university': gamma (gamma.txt) does not give start "
        "1953 as '1953'",
        "data/records.yaml:32: person 'mira-holt': alpha (alpha.txt) does not give honorifics 'Professor'",
        f"not grounded: 3 misses; {SUMMARY}",
    ]


def test_an_events_number_is_looked_for_as_an_ordinal(grounding: Path, cli) -> None:
    edit(Path("sources") / "alpha.txt", ("opens in Lakeside\n", "opens in Lakeside for the third time\n"))
    edit(RECORDS, ("    type: meeting\n", "    type: meeting\n    number: 3\n"))
    assert cli("check-sources", "--dir", "sources").stdout == (
        "grounded: 12 records, 8 relationships in 3 sources\n")
    assert misses(cli, ("    number: 3\n", "    number: 4\n")) == [
        "data/records.yaml:56: event 'riverside-forum-2024': alpha (alpha.txt) does not give number 4 "
        "(as '4th' or 'fourth')",
        f"not grounded: 1 miss; {SUMMARY}",
    ]


def test_each_text_a_relationship_cites_names_both_its_ends(grounding: Path, cli) -> None:
    # The position cites alpha and gamma; gamma no longer names the faculty.
    edit(Path("sources") / "gamma.txt",
         ("Dean of the Faculty of Education, welcomed", "Dean of Education, welcomed"))
    result = cli("check-sources", "--dir", "sources")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/records.yaml:12: organisation 'faculty-of-education': gamma (gamma.txt) does not mention "
        "'Faculty of Education'",
        "data/records.yaml:34: person 'mira-holt', positions #1: gamma (gamma.txt) does not mention "
        "organisation 'faculty-of-education' ('Faculty of Education')",
        f"not grounded: 2 misses; {SUMMARY}",
    ]


def test_each_text_a_relationship_cites_gives_its_values(grounding: Path, cli) -> None:
    # Mira Holt and the faculty are in alpha only, the title in beta only: no text states it all.
    assert misses(cli, ("    sources: [alpha, gamma]\n\n  - id: tom-reyes",
                        "    sources: [alpha, beta, gamma]\n\n  - id: tom-reyes"),
                  ("        title: Dean\n        start: {value: 2019-09, sources: [alpha]}\n"
                   "        sources: [alpha, gamma]\n",
                   "        title: Director-General\n        sources: [alpha, beta]\n")) == [
        "data/records.yaml:31: person 'mira-holt': beta (beta.txt) does not mention 'Mira Holt'",
        "data/records.yaml:34: person 'mira-holt', positions #1: beta (beta.txt) does not mention person "
        "'mira-holt' ('Mira Holt')",
        "data/records.yaml:34: person 'mira-holt', positions #1: beta (beta.txt) does not mention "
        "organisation 'faculty-of-education' ('Faculty of Education')",
        "data/records.yaml:35: person 'mira-holt', positions #1: alpha (alpha.txt) does not give title "
        "'Director-General'",
        f"not grounded: 4 misses; {SUMMARY}",
    ]


def test_a_plain_date_is_looked_for_in_every_source_of_its_holder(grounding: Path, cli) -> None:
    # alpha gives the start of the deanship, gamma does not: without its own sources it is a miss.
    assert misses(cli, ("        start: {value: 2019-09, sources: [alpha]}\n",
                        "        start: 2019-09\n")) == [
        "data/records.yaml:36: person 'mira-holt', positions #1: gamma (gamma.txt) does not give start "
        "2019-09 as 'September' with '2019'",
        f"not grounded: 1 miss; {SUMMARY}",
    ]


def test_adding_a_source_fails_what_it_does_not_state(grounding: Path, cli) -> None:
    assert misses(cli, ("    start: 2001\n    sources: [gamma]\n",
                        "    start: 2001\n    sources: [alpha, gamma]\n")) == [
        "data/records.yaml:22: organisation 'northland-ministry-of-learning': alpha (alpha.txt) does not "
        "mention any of 'Northland Ministry of Learning', 'Northland ministry', 'Ministries of Learning of "
        "Northland, the Southern Isles and Eastmark'",
        "data/records.yaml:26: organisation 'northland-ministry-of-learning': alpha (alpha.txt) does not "
        "give start 2001 as '2001'",
        f"not grounded: 2 misses; {SUMMARY}",
    ]


def test_a_list_item_split_at_its_comma_is_a_miss(grounding: Path, cli) -> None:
    # The loader refuses an unquoted flow list split so; two items of a block list the text writes
    # as one phrase are caught here.
    assert misses(cli, ('["Ministries of Learning of Northland, the Southern Isles and Eastmark"]',
                        "\n      - Ministries of Learning of Northland\n      - the Southern Isles and Eastmark")) == [
        "data/records.yaml:24: organisation 'northland-ministry-of-learning': 'Ministries of Learning of "
        "Northland' and 'the Southern Isles and Eastmark' are one phrase in gamma (gamma.txt): quote the "
        "list item",
        f"not grounded: 1 miss; {SUMMARY}",
    ]


def test_an_unnamed_person_is_grounded_by_its_mention(grounding: Path, cli) -> None:
    # The fixture's deputy mayor has no name: alpha's words for them ground the record and the
    # participation; words alpha does not use ground neither.
    assert misses(cli, ("[the Deputy Mayor of Lakeside]", "[the Mayor of Lakeside]")) == [
        "data/records.yaml:48: person 'deputy-mayor-of-lakeside': alpha (alpha.txt) does not mention 'the "
        "Mayor of Lakeside'",
        "data/records.yaml:63: event 'riverside-forum-2024', participants #2: alpha (alpha.txt) does not "
        "mention person 'deputy-mayor-of-lakeside' ('the Mayor of Lakeside')",
        f"not grounded: 2 misses; {SUMMARY}",
    ]


def test_a_record_the_source_does_not_name_is_grounded_by_its_mentioned_as(grounding: Path, cli) -> None:
    edit(Path("data") / "districts.yaml", ("    mentioned_as: [schools of the Riverside district]\n", ""))
    result = cli("check-sources", "--dir", "sources")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/districts.yaml:4: organisation 'riverside-school-district': beta (beta.txt) does not mention "
        "'Riverside School District'",
        f"not grounded: 1 miss; {SUMMARY}",
    ]


def test_a_plain_mention_is_in_one_source_and_a_plain_alias_in_none_needed(grounding: Path, cli) -> None:
    # 'MoL' occurs nowhere and is no miss: a source need not use every alias. A mention is a
    # source's exact words, so one of the record's sources uses them.
    assert misses(cli, ("    type: ministry\n    sources: [alpha, beta]\n",
                        "    aliases: [MoL]\n    mentioned_as: [the ministry of schools]\n"
                        "    type: ministry\n    sources: [alpha, beta]\n")) == [
        "data/records.yaml:19: organisation 'ministry-of-learning': none of alpha (alpha.txt), beta "
        "(beta.txt) gives mentioned_as 'the ministry of schools'",
        f"not grounded: 1 miss; {SUMMARY}",
    ]


def test_a_missing_source_file_is_bad_input(grounding: Path, cli) -> None:
    (grounding / "sources" / "beta.txt").unlink()
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: data/sources.yaml:10: source 'beta', field 'file': 'sources/beta.txt' does not exist; "
        "put the document's text there, or fix the file name",
    ]


def test_a_missing_sources_folder_is_a_usage_error(grounding: Path, cli) -> None:
    result = cli("check-sources", "--dir", "texts")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: sources directory 'texts' does not exist; put the source "
                             "documents' texts there, or pass --dir DIR with the folder that holds "
                             "them\n")


def test_bad_records_are_bad_input(grounding: Path, cli) -> None:
    edit(RECORDS, ("part_of: lakeside-university", "part_of: lakeside-uni"))
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: data/records.yaml:13: organisation 'faculty-of-education', field 'part_of': unknown "
        "id 'lakeside-uni'; did you mean 'lakeside-university'?",
    ]


def test_without_dir_the_texts_are_the_data_folders_sources(grounding: Path, cli) -> None:
    (grounding / "sources").rename(grounding / "data" / "sources")
    result = cli("check-sources")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "grounded: 12 records, 8 relationships in 3 sources\n", "")


def test_without_dir_a_data_folder_without_sources_is_a_usage_error(grounding: Path, cli) -> None:
    result = cli("check-sources")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: sources directory 'data/sources' does not exist; put the source "
                             "documents' texts there, or pass --dir DIR with the folder that holds "
                             "them\n")


def test_dir_overrides_the_data_folders_sources(grounding: Path, cli) -> None:
    # data/sources holds texts that state nothing: only --dir's texts may be read.
    (grounding / "data" / "sources").mkdir()
    for name in ("alpha.txt", "beta.txt", "gamma.txt"):
        (grounding / "data" / "sources" / name).write_text("nothing\n", encoding="utf-8")
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "grounded: 12 records, 8 relationships in 3 sources\n", "")
    assert cli("check-sources").exit_code == 1


# --- the frozen policy dataset against its texts ----------------------------------------------

def test_the_policy_dataset_is_grounded(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The frozen copy of the bundled records (its three ministries' mentions of src-003's one
    phrase "the Ministries of Education in Kazakhstan, the Kyrgyz Republic, Tajikistan and
    Uzbekistan" quoted whole, as the loader now demands) is grounded per cited source."""
    monkeypatch.chdir(POLICY.parent)
    # --data: without it the checkout's edugraph.toml, found upwards, would name the bundled data.
    result = cli("check-sources", "--data", "data")
    assert (result.exit_code, result.stderr, result.stdout) == (
        0, "", "grounded: 112 records, 96 relationships in 5 sources\n")


# --- the bundled data against its texts in data/sources ---------------------------------------

def test_the_bundled_data_is_grounded_with_no_options(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """What .ci/run runs: ``edugraph check-sources`` in the checkout reads data/sources."""
    monkeypatch.chdir(ROOT)
    result = cli("check-sources")
    assert (result.exit_code, result.stderr) == (0, ""), result.stdout
    assert result.stdout.startswith("grounded: "), result.stdout
