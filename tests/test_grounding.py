"""The grounding check: every name, title, count and date occurs in the texts of the sources cited,
compared without regard to case, dashes, quotes or spacing, and only as whole words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edugraph.explore.grounding import (
    comparable_text,
    date_forms,
    date_occurs,
    number_occurs,
    number_words,
    occurs,
)

from .conftest import FIXTURES, POLICY, ROOT

GROUNDING = FIXTURES / "grounding"


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


# --- the check on the fixture -----------------------------------------------------------------

def test_the_fixture_is_grounded(grounding: Path, cli) -> None:
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "grounded: 10 records, 7 relationships in 2 sources\n", "")


def test_a_changed_name_title_count_and_date_are_misses(grounding: Path, cli) -> None:
    edit(grounding / "data" / "records.yaml",
         ("    name: Lakeside\n", "    name: Lakeshore\n"),
         ("title: Dean\n", "title: Provost\n"),
         ("value: 42\n", "value: 24\n"),
         ("start: 2024-03-14T09:30", "start: 2024-03-15T09:30"))
    result = cli("check-sources", "--dir", "sources")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/records.yaml:26: person 'mira-holt', positions #1: title 'Provost' does not occur in "
        "alpha (alpha.txt)",
        "data/records.yaml:42: event 'riverside-forum-2024': start 2024-03-15T09:30:00+05:00 does not "
        "occur in alpha (alpha.txt) as 'March 15, 2024', '15 March 2024', '03/15/2024' or "
        "'2024-03-15' with '09:30'",
        "data/records.yaml:54: event 'riverside-forum-2024', counts #2: value 24 (in digits or words) "
        "does not occur in alpha (alpha.txt)",
        "data/records.yaml:73: place 'lakeside': its name 'Lakeshore' does not occur in its sources "
        "(alpha)",
        "not grounded: 4 misses; checked 10 records, 7 relationships in 2 sources",
    ]
    assert result.stderr == ""


def test_names_parents_agents_labels_and_source_dates(grounding: Path, cli) -> None:
    edit(grounding / "data" / "records.yaml",
         ("    name: Riverside Teacher Forum - a meeting of the \"Teachers' Voices\" network\n",
          "    name: Lakeside Teacher Forum\n"),
         ("    aliases: [Riverside Teacher Forum]\n", "    aliases: [Riverside Forum, RTF]\n"),
         ("        label: teachers\n", "        label: teachers and principals\n"),
         ("    name: Ministry of Learning\n", "    name: Ministry of Teaching\n"))
    edit(grounding / "data" / "sources.yaml", ("published: 2024-10-04", "published: 2024-10-05"))
    result = cli("check-sources", "--dir", "sources")
    assert result.exit_code == 1
    forum = "event 'riverside-forum-2024'"
    forum_names = "'Lakeside Teacher Forum', 'Riverside Forum', 'RTF'"
    assert result.stdout.splitlines() == [
        "data/records.yaml:16: organisation 'ministry-of-learning': its name 'Ministry of Teaching' "
        "does not occur in its sources (alpha, beta)",
        "data/records.yaml:33: person 'tom-reyes', positions #1: organisation 'ministry-of-learning' "
        "('Ministry of Teaching') does not occur in beta (beta.txt)",
        f"data/records.yaml:39: {forum}: none of its names ({forum_names}) occurs in its sources (alpha)",
        f"data/records.yaml:47: {forum}, participants #1: {forum} ({forum_names}) does not occur in "
        f"alpha (alpha.txt)",
        f"data/records.yaml:50: {forum}, counts #1: {forum} ({forum_names}) does not occur in alpha "
        f"(alpha.txt)",
        f"data/records.yaml:52: {forum}, counts #1: label 'teachers and principals' does not occur in "
        f"alpha (alpha.txt)",
        f"data/records.yaml:53: {forum}, counts #2: {forum} ({forum_names}) does not occur in alpha "
        f"(alpha.txt)",
        "data/records.yaml:62: initiative 'rural-schools-initiative', participants #1: organisation "
        "'ministry-of-learning' ('Ministry of Teaching') does not occur in alpha (alpha.txt) or beta "
        "(beta.txt)",
        "data/sources.yaml:10: source 'beta': published 2024-10-05 does not occur in beta (beta.txt) "
        "as 'October 5, 2024', '5 October 2024', '10/05/2024' or '2024-10-05'",
        "not grounded: 9 misses; checked 10 records, 7 relationships in 2 sources",
    ]


def test_a_record_the_source_does_not_name_is_grounded_by_its_mentioned_as(grounding: Path, cli) -> None:
    edit(grounding / "data" / "districts.yaml",
         ("    mentioned_as: [schools of the Riverside district]\n", ""))
    result = cli("check-sources", "--dir", "sources")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/districts.yaml:4: organisation 'riverside-school-district': its name 'Riverside School "
        "District' does not occur in its sources (beta)",
        "not grounded: 1 miss; checked 10 records, 7 relationships in 2 sources",
    ]


def test_a_relationship_is_grounded_by_one_text_that_states_it_all(grounding: Path, cli) -> None:
    # Mira Holt and the faculty are in alpha only, the title in beta only.
    edit(grounding / "data" / "records.yaml",
         ("        title: Dean\n        start: 2019-09\n",
          "        title: Director-General\n        sources: [alpha, beta]\n"))
    result = cli("check-sources", "--dir", "sources")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/records.yaml:25: person 'mira-holt', positions #1: person 'mira-holt' ('Mira Holt'), "
        "organisation 'faculty-of-education' ('Faculty of Education') and title 'Director-General' "
        "do not occur together in any one of alpha (alpha.txt), beta (beta.txt)",
        "not grounded: 1 miss; checked 10 records, 7 relationships in 2 sources",
    ]


def test_a_missing_source_file_is_bad_input(grounding: Path, cli) -> None:
    (grounding / "sources" / "beta.txt").unlink()
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: data/sources.yaml:9: source 'beta', field 'file': 'sources/beta.txt' does not exist; "
        "put the document's text there, or fix the file name",
    ]


def test_a_missing_sources_folder_is_a_usage_error(grounding: Path, cli) -> None:
    result = cli("check-sources", "--dir", "texts")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: sources directory 'texts' does not exist; put the source "
                             "documents' texts there, or pass --dir DIR with the folder that holds "
                             "them\n")


def test_bad_records_are_bad_input(grounding: Path, cli) -> None:
    edit(grounding / "data" / "records.yaml", ("part_of: lakeside-university", "part_of: lakeside-uni"))
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: data/records.yaml:12: organisation 'faculty-of-education', field 'part_of': unknown "
        "id 'lakeside-uni'; did you mean 'lakeside-university'?",
    ]


def test_without_dir_the_texts_are_the_data_folders_sources(grounding: Path, cli) -> None:
    (grounding / "sources").rename(grounding / "data" / "sources")
    result = cli("check-sources")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "grounded: 10 records, 7 relationships in 2 sources\n", "")


def test_without_dir_a_data_folder_without_sources_is_a_usage_error(grounding: Path, cli) -> None:
    result = cli("check-sources")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: sources directory 'data/sources' does not exist; put the source "
                             "documents' texts there, or pass --dir DIR with the folder that holds "
                             "them\n")


def test_dir_overrides_the_data_folders_sources(grounding: Path, cli) -> None:
    # data/sources holds a beta.txt that states nothing: only --dir's texts may be read.
    (grounding / "data" / "sources").mkdir()
    (grounding / "data" / "sources" / "alpha.txt").write_text("nothing\n", encoding="utf-8")
    (grounding / "data" / "sources" / "beta.txt").write_text("nothing\n", encoding="utf-8")
    result = cli("check-sources", "--dir", "sources")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "grounded: 10 records, 7 relationships in 2 sources\n", "")
    assert cli("check-sources").exit_code == 1


# --- the frozen policy dataset against its texts ----------------------------------------------

def test_the_policy_dataset_is_grounded_in_its_sources(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(POLICY.parent)
    result = cli("check-sources")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "grounded: 112 records, 96 relationships in 5 sources\n", "")


# --- the bundled data against its texts in data/sources ---------------------------------------

def test_the_bundled_data_is_grounded_with_no_options(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """What .ci/run runs: ``edugraph check-sources`` in the checkout reads data/sources."""
    monkeypatch.chdir(ROOT)
    result = cli("check-sources")
    assert (result.exit_code, result.stderr) == (0, ""), result.stdout
    assert result.stdout.startswith("grounded: "), result.stdout
