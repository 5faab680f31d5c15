"""Measure every registered judge once on its frozen test set and record the first measurement.

    .venv/bin/python scripts/measure_judges.py            # print agreement beside what is recorded
    .venv/bin/python scripts/measure_judges.py --record   # record judges not yet measured on their test set

A judge already recorded on the same test file (same sha256) is never re-recorded: the figure the card
shows is the one first measured. A judge changed afterwards fails `tests/test_judge_validation.py`
and needs a new test set (a new file, written blind to the judge), which is then recorded anew.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

import tony._registry  # noqa: F401  (imports every evaluation, so that each judge registers itself)
from tony.core.validation import (
    VALIDATION_FILE,
    file_sha256,
    judge_sets_dir,
    judge_validation,
    measure,
    read_judge_set,
    recorded_validations,
    registered_judges,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="record judges with no measurement on their current test set")
    parser.add_argument("--judge", action="append", help="only these judges")
    args = parser.parse_args()
    path = judge_sets_dir() / VALIDATION_FILE
    records = dict(recorded_validations())
    for name, spec in sorted(registered_judges().items()):
        if args.judge and name not in args.judge:
            continue
        test_path = judge_sets_dir() / f"{spec.set_name}.test.jsonl"
        if not test_path.exists():
            print(f"{name:<16} no frozen test set ({test_path.name})")
            continue
        sha256 = file_sha256(test_path)
        result = measure(spec, read_judge_set(spec.set_name, "test"))
        se = result["tp"] / (result["tp"] + result["fn"]) if result["tp"] + result["fn"] else float("nan")
        sp = result["tn"] / (result["tn"] + result["fp"]) if result["tn"] + result["fp"] else float("nan")
        print(f"{name:<16} n={result['n']} accuracy {result['accuracy']:.3f} κ {result['kappa'] or float('nan'):.3f} "
              f"Se {se:.3f} Sp {sp:.3f} uncertain {result['uncertain']} unparsed {result['unparsed']}")
        recorded = judge_validation(name)
        if recorded is not None and recorded.sha256 == sha256:
            same = recorded.labels == result["labels"]
            print(f"{'':<16} recorded {recorded.measured}: accuracy {recorded.accuracy:.3f}; verdicts "
                  f"{'unchanged' if same else 'CHANGED since then: write a new test set'}")
            continue
        if args.record:
            records[name] = {"judge": name, "test_file": test_path.name, "sha256": sha256,
                             "measured": date.today().isoformat(), **result}
            print(f"{'':<16} recorded")
    if args.record:
        path.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
