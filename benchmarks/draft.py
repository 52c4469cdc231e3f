"""How well ``edugraph draft`` proposes the records of each bundled source (see benchmarks/README.md).

For each source S of data/: the records citing S other than S itself are what the draft should
find. A record that cites another source too stays in the dataset the draft sees and must be named
by its id in the draft's list of the project's records; a record citing S alone is taken out of
that dataset (with S) and must be proposed as a new record, matched by name, case-insensitively
(as check-sources compares text), to the record's name, aliases or mentioned_as. Recall is the
share of those records found; precision the share of proposals (the project's records listed and
the new records proposed) that are right, counted over every proposal and over the live ones only
(those the draft does not comment out).

    python benchmarks/draft.py [--data DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from edugraph.build.pipeline import load_dataset
from edugraph.explore.draft import draft_text
from edugraph.explore.draftlinks import read
from edugraph.explore.grounding import names_in
from edugraph.explore.textmatch import comparable_text
from edugraph.model.kinds import SOURCE
from edugraph.vocab.ontology import vocabularies

ROOT = Path(__file__).resolve().parents[1]


def score(data: Path, verbose: bool = False) -> list[dict]:
    records = load_dataset(data).records
    rows = []
    for source in [r for r in records if r.kind == SOURCE]:
        citing = [r for r in records if r.kind != SOURCE and source.id in r.cited_sources]
        alone = {r.id for r in citing if r.cited_sources == [source.id]}
        seen = [r for r in records if r.id not in alone and r.id != source.id]
        raw = (data / "sources" / source.values["file"]).read_text(encoding="utf-8-sig")
        draft_text(raw, source.values["file"], seen, source.id)  # it must draft without error
        findings = read(raw, seen, vocabularies())
        wanted_new = {r.id: {comparable_text(n) for n in names_in(r, None)} for r in citing if r.id in alone}
        wanted_old = {r.id for r in citing if r.id not in alone}
        found: set[str] = set()
        right_all = right_live = live = 0
        for mention in findings.existing:
            ok = mention.id in wanted_old
            found |= {mention.id} if ok else set()
            right_all += ok
            right_live += ok
            live += 1
            if verbose and not ok:
                print(f"  {source.id} wrong existing: {mention.id}", file=sys.stderr)
        for proposal in findings.proposals:
            names = {comparable_text(proposal.name), *map(comparable_text, proposal.fields.get("aliases", []))}
            hits = {rid for rid, theirs in wanted_new.items() if names & theirs}
            is_live = proposal.sure and (proposal.kind != "event" or "start" in proposal.fields)
            found |= hits
            right_all += bool(hits)
            right_live += bool(hits) and is_live
            live += is_live
            if verbose and not hits:
                print(f"  {source.id} wrong new: {proposal.kind} {proposal.name!r}", file=sys.stderr)
        missed = sorted((set(wanted_new) | wanted_old) - found)
        total = len(wanted_new) + len(wanted_old)
        proposals = len(findings.existing) + len(findings.proposals)
        rows.append({"source": source.id, "records": total, "existing": len(wanted_old),
                     "new": len(wanted_new), "found": len(found), "proposals": proposals,
                     "right": right_all, "live": live, "right_live": right_live, "missed": missed})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--verbose", action="store_true", help="list the wrong proposals on stderr")
    args = parser.parse_args()
    rows = score(args.data, args.verbose)
    print("| source | records (existing + new) | found | recall | proposals | right | precision "
          "| live | right | precision (live) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    totals = dict.fromkeys(("records", "existing", "new", "found", "proposals", "right", "live", "right_live"), 0)
    for row in [*rows, None]:
        if row is None:
            row = {"source": "all", **totals}
        else:
            for key in totals:
                totals[key] += row[key]
        print(f"| {row['source']} | {row['records']} ({row['existing']} + {row['new']}) | {row['found']} "
              f"| {row['found'] / row['records']:.2f} | {row['proposals']} | {row['right']} "
              f"| {row['right'] / max(1, row['proposals']):.2f} | {row['live']} | {row['right_live']} "
              f"| {row['right_live'] / max(1, row['live']):.2f} |")
    for row in rows:
        if row["missed"]:
            print(f"\n{row['source']} missed: {', '.join(row['missed'])}", end="")
    print()


if __name__ == "__main__":
    main()
