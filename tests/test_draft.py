"""edugraph draft: a YAML draft of a new document's records, against a project's records.

The invented text tests/fixtures/draft/harbour_summit.txt names records of the provenance fixture
(Harbour University, Lena Park, Harbour City, the Faculty of Education) and new ones; its draft is
held, byte for byte, in harbour_summit.draft.yaml. The draft must load with the project's data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from edugraph.build.pipeline import build, load_dataset
from edugraph.explore.draft import draft, draft_text
from edugraph.explore.grounding import check_sources

from .conftest import BUNDLED, FIXTURES, POLICY, PROVENANCE

TEXT = FIXTURES / "draft" / "harbour_summit.txt"
EXPECTED = FIXTURES / "draft" / "harbour_summit.draft.yaml"


def test_the_draft_of_the_invented_text_is_exactly_the_one_held(provenance_project: Path, cli) -> None:
    result = cli("draft", str(TEXT), "--id", "src-c")
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED.read_text(encoding="utf-8")


def test_sure_proposals_are_live_and_unsure_ones_commented(provenance_project: Path, cli) -> None:
    lines = cli("draft", str(TEXT), "--id", "src-c").stdout.splitlines()
    # The source record, from the headline and the date line.
    assert lines[lines.index("sources:") + 1:lines.index("sources:") + 7] == [
        "  # line 1: the headline",
        "  - id: src-c",
        "    name: Harbour Teachers Summit opens in Harbour City",
        "    title: Harbour Teachers Summit opens in Harbour City",
        "    file: harbour_summit.txt",
        "    published: 2025-03-03  # line 3: the date line",
    ]
    # The project's records the text names, by id, in the comment block.
    existing = [line for line in lines if line.startswith("#   - ") and "{" not in line]
    assert [line.split()[2] for line in existing] == [
        "harbour-city", "lena-park", "harbour-faculty-of-education", "harbour-university"]
    # A person after an honorific with a title at a new organisation and its acronym: live.
    at = lines.index("  - id: mina-sato")
    assert lines[at - 1].startswith('  # line 8: "')
    assert lines[at:at + 7] == [
        "  - id: mina-sato",
        "    name: Mina Sato",
        "    honorifics: [Professor]",
        "    positions:",
        lines[at + 4],
        "      - {organisation: coastal-institute-of-education, title: Director}",
        "    sources: [src-c]",
    ]
    assert "    aliases: [CIE]" in lines
    # A dated event in a known place, with a chair and a keynote speaker; counts are not sure.
    assert "    start: 2025-03-03" in lines and "    location: [harbour-city]" in lines
    assert "      - {agent: mina-sato, role: chair}" in lines
    assert "      # - {agent: lena-park, role: keynote}" in lines  # the event is not in its sentence
    assert "      # - {of: countries, value: 12, label: countries, bound: at-least}" in lines
    assert "      # - {of: teachers, value: 300, label: teachers, approximate: true}" in lines
    # 'in Port Ellis' and 'the closing ceremony' (no name, no date): commented out.
    assert "  # - id: port-ellis" in lines and "  # - id: closing-ceremony" in lines
    # A position of a record of the project: a comment naming the new source.
    assert "#   - {organisation: harbour-faculty-of-education, title: Dean, sources: [src-c]}" in lines


def test_the_draft_loads_builds_and_is_grounded_with_the_project(provenance_project: Path, cli) -> None:
    data = provenance_project / "data"
    shutil.copy(TEXT, data / "sources" / TEXT.name)
    assert cli("draft", str(TEXT), "--id", "src-c", "-o", str(data / "draft.yaml")).exit_code == 0
    dataset = load_dataset(data)
    assert {"src-c", "mina-sato", "coastal-institute-of-education", "harbour-teachers-summit",
            "harbour-reading-project"} <= set(dataset.by_id)
    assert "port-ellis" not in dataset.by_id  # commented out
    result = build(data, provenance_project / "dist")
    assert result.report.conforms, [f.format() for f in result.report.findings]
    assert check_sources(data).grounded


def test_output_is_deterministic_and_written_atomically(provenance_project: Path, cli) -> None:
    out = provenance_project / "draft.yaml"
    first = cli("draft", str(TEXT), "--id", "src-c", "-o", str(out))
    assert first.exit_code == 0 and first.stdout == ""
    assert out.read_text(encoding="utf-8") == EXPECTED.read_text(encoding="utf-8")
    assert draft(TEXT, PROVENANCE, "src-c") == draft(TEXT, PROVENANCE, "src-c")
    assert [p.name for p in provenance_project.iterdir() if p.name.startswith(".draft")] == []


def test_the_next_free_source_id(tmp_path: Path) -> None:
    records = load_dataset(POLICY).records
    assert "  - id: src-005" in draft_text("A text.\n", "new.txt", records).splitlines()
    provenance = load_dataset(PROVENANCE).records  # src-a and src-b: no src-NNN yet
    assert "  - id: src-000" in draft_text("A text.\n", "new.txt", provenance).splitlines()


def test_a_missing_or_undecodable_text_or_a_taken_id_is_exit_2(provenance_project: Path, cli) -> None:
    missing = cli("draft", "nowhere.txt")
    assert missing.exit_code == 2
    assert missing.stderr == ("error: nowhere.txt: the text does not exist; give the path of the "
                              "document's plain text\n")
    bad = provenance_project / "bad.txt"
    bad.write_bytes(b"A first line.\nA second \xff line.\n")
    undecodable = cli("draft", str(bad))
    assert undecodable.exit_code == 2
    assert undecodable.stderr == (f"error: {bad}:2: not UTF-8 text (invalid start byte at byte 23); "
                                  "save the document's text as UTF-8\n")
    taken = cli("draft", str(TEXT), "--id", "src-a")
    assert taken.exit_code == 2
    assert taken.stderr == "error: the id 'src-a' is taken; leave --id out for the next free src-NNN\n"
    slug = cli("draft", str(TEXT), "--id", "Src C")
    assert slug.exit_code == 2
    assert slug.stderr.startswith("error: 'Src C' is not a valid id")


def test_drafts_of_the_bundled_texts_load_with_the_bundled_data(tmp_path: Path) -> None:
    """Each of data/'s own texts, drafted again as if new: the draft loads beside the records."""
    for text in sorted((BUNDLED / "sources").glob("*.txt")):
        data = tmp_path / text.stem
        shutil.copytree(BUNDLED, data)
        (data / "draft.yaml").write_text(draft(text, data), encoding="utf-8")
        assert load_dataset(data).by_id
