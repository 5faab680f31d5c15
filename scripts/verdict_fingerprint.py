"""A sha256 of every offline judge's verdicts on each of its judge-set files (dev and frozen test sets alike).

A change meant only to make a judge faster must leave every line of this output the same:

    .venv/bin/python scripts/verdict_fingerprint.py > /tmp/before.txt
    ... change the judge ...
    .venv/bin/python scripts/verdict_fingerprint.py | diff /tmp/before.txt -

Only the hash of the verdict list is printed, never an item, so running it reveals nothing of a frozen test set to
whoever is changing a judge. A judge whose verdicts do change needs a new `JudgeSpec.version` and a new test set.
"""

from __future__ import annotations

import argparse
import hashlib
import json

import tony._registry  # noqa: F401  (imports every evaluation, so that each judge registers itself)
from tony.core.judges.validation import JudgeSpec, judge_sets_dir, read_jsonl, registered_judges


def fingerprint(spec: JudgeSpec, items: list[dict]) -> str:
    """The first 16 hex digits of the sha256 of the judge's verdicts, in file order."""
    verdicts = [spec.predict(item) for item in items]
    return hashlib.sha256(json.dumps(verdicts).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judge", action="append", help="only these judges (default: all registered)")
    args = parser.parse_args()
    specs = registered_judges()
    unknown = [name for name in args.judge or [] if name not in specs]
    if unknown:
        parser.error(f"--judge: no registered judge {', '.join(unknown)}; known: {', '.join(sorted(specs))}")
    for name in args.judge or sorted(specs):
        spec = specs[name]
        for path in sorted(judge_sets_dir().glob(f"{spec.set_name}.*.jsonl")):
            items = read_jsonl(path)
            print(f"{name:<24} v{spec.version:<3} {path.name:<32} {len(items):>5} items  {fingerprint(spec, items)}")


if __name__ == "__main__":
    main()
