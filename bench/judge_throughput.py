"""Milliseconds per item of every registered offline judge on its dev set (issue 22 item 4: goal < 1 ms an item).

For each judge: the first call (which may load or fit the judge's weights) is timed on its own; then every dev item
is judged once (cold: texts not seen before, the figure the goal is about), then `--passes` more times (repeat: the
best of those passes, where a judge may reuse features of texts it has seen). Only `*.dev.jsonl` sets are read,
never a frozen test set.

    nice -n 10 .venv/bin/python bench/judge_throughput.py [--passes 3] [--judge refusal ...]
"""

from __future__ import annotations

import argparse
import time

import tony._registry  # noqa: F401  (imports every evaluation, so that each judge registers itself)
from tony.core.validation import JudgeSpec, read_judge_set, registered_judges

GOAL_MS = 1.0


def ms_per_item(spec: JudgeSpec, items: list[dict]) -> float:
    start = time.perf_counter()
    for item in items:
        spec.predict(item)
    return (time.perf_counter() - start) / len(items) * 1000


def time_judge(spec: JudgeSpec, passes: int) -> tuple[int, float, float, float]:
    """(dev items, seconds of the first call, cold ms per item, best repeat ms per item over `passes` passes)."""
    items = read_judge_set(spec.set_name, "dev")
    start = time.perf_counter()
    spec.predict(items[0])
    first = time.perf_counter() - start
    cold = ms_per_item(spec, items[1:])
    repeat = min(ms_per_item(spec, items) for _ in range(passes))
    return len(items), first, cold, repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--judge", action="append", help="only these judges (default: all registered)")
    args = parser.parse_args()
    specs = registered_judges()
    names = args.judge or sorted(specs)
    print(f"{'judge':<26} {'dev items':>9} {'first call s':>12} {'cold ms/item':>12} {'repeat ms/item':>14}")
    for name in names:
        n, first, cold, repeat = time_judge(specs[name], args.passes)
        flag = "" if cold < GOAL_MS else f"  (cold over {GOAL_MS:g} ms)"
        print(f"{name:<26} {n:>9} {first:>12.2f} {cold:>12.3f} {repeat:>14.3f}{flag}")


if __name__ == "__main__":
    main()
