"""Measure every registered judge on each of its independent sources and record first measurements.

    .venv/bin/python scripts/measure_judges.py            # print agreement beside what is recorded
    .venv/bin/python scripts/measure_judges.py --record   # record every (judge, version, source) not yet recorded

Sources: each frozen blind file `judge_sets/<set>.test*.jsonl` (new ones are picked up automatically) and, for
the refusal judges, each XSTest v2 completion file in the data registry that the judge was not trained on (when
present in --data-dir / the cache; skipped with a note otherwise). A (judge, version, source file, sha256) already
recorded is never re-recorded: the figure the card shows is the one first measured. A judge changed afterwards
fails `tests/test_judge_validation.py` and needs a new `JudgeSpec.version`; its unseen test sets are then
measured afresh for the new version, and the old records stay as history.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import tony._registry  # noqa: F401  (imports every evaluation, so that each judge registers itself)
from tony.core.judges.judge_sources import XSTEST_JUDGES, read_xstest, xstest_candidates
from tony.core.judges.validation import (
    VALIDATION_FILE,
    JudgeSpec,
    file_sha256,
    judge_sets_dir,
    measure,
    read_jsonl,
    registered_judges,
    frozen_test_files,
    validation_records,
)


def sources(spec: JudgeSpec, data_dir: str | None) -> list[tuple[str, str, str, list[dict[str, Any]]]]:
    """(file name, sha256, kind, items) of every independent source of a judge found here."""
    found = [(path.name, file_sha256(path), "frozen test set", read_jsonl(path)) for path in frozen_test_files(spec.set_name)]
    if spec.name in XSTEST_JUDGES:
        candidates, notes = xstest_candidates(data_dir)
        for note in notes:
            print(f"{spec.name:<24} {note}")
        found += [(name, sha, f"public human labels (XSTest v2, model {name.removeprefix('xstest_v2_completions_')[:-4]})",
                   read_xstest(path)) for name, path, sha in candidates]
    return found


def _line(result: dict[str, Any]) -> str:
    se = result["tp"] / (result["tp"] + result["fn"]) if result["tp"] + result["fn"] else float("nan")
    sp = result["tn"] / (result["tn"] + result["fp"]) if result["tn"] + result["fp"] else float("nan")
    kappa = float("nan") if result["kappa"] is None else result["kappa"]
    return (f"n={result['n']} accuracy {result['accuracy']:.3f} κ {kappa:.3f} Se {se:.3f} Sp {sp:.3f} "
            f"uncertain {result['uncertain']} unparsed {result['unparsed']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="record every (judge, version, source) not yet recorded")
    parser.add_argument("--judge", action="append", help="only these judges")
    parser.add_argument("--data-dir", help="where public datasets (XSTest completions) are kept")
    args = parser.parse_args()
    records = [dict(record.__dict__) for record in validation_records()]
    recorded = {(r["judge"], r["version"], r["test_file"], r["sha256"]): r for r in records}
    added = 0
    for name, spec in sorted(registered_judges().items()):
        if args.judge and name not in args.judge:
            continue
        found = sources(spec, args.data_dir)
        if not found:
            print(f"{name:<24} no frozen test set ({spec.set_name}.test*.jsonl)")
        for file, sha256, kind, items in found:
            result = measure(spec, items)
            print(f"{name:<24} v{spec.version} {file}: {_line(result)}")
            old = recorded.get((name, spec.version, file, sha256))
            if old is not None:
                same = old["labels"] == result["labels"]
                print(f"{'':<24} recorded {old['measured']}: accuracy {old['accuracy']:.3f}; verdicts "
                      f"{'unchanged' if same else 'CHANGED since then: bump JudgeSpec.version, write a new test set'}")
                continue
            if args.record:
                record = {"judge": name, "version": spec.version, "test_file": file, "sha256": sha256, "kind": kind,
                          "measured": date.today().isoformat(), **result}
                records.append(record)
                recorded[(name, spec.version, file, sha256)] = record
                added += 1
                print(f"{'':<24} recorded (first measurement of version {spec.version} on {file})")
    if args.record and added:
        write_records(judge_sets_dir() / VALIDATION_FILE, records)
    return 0


def write_records(path: Path, records: list[dict[str, Any]]) -> None:
    """validation.json, format 2: every record ever taken, in (judge, version, file) order."""
    ordered = sorted(records, key=lambda r: (r["judge"], r["version"], r["test_file"], r["sha256"]))
    about = ("First measurements of each (judge, version, source file, sha256), recorded once by "
             "scripts/measure_judges.py --record and never overwritten. Records of an older judge version are history.")
    path.write_text(json.dumps({"format": 2, "about": about, "records": ordered}, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
