"""Milliseconds per item of every registered offline judge on its dev set (issue 22 item 4: goal < 1 ms an item).

For each judge: the first call (which may load or fit the judge's weights) is timed on its own; then every dev item
is judged once (cold: texts not seen before, every memo of texts emptied first; the figure the goal is about), then `--passes` more times (repeat: the
best of those passes, where a judge may reuse features of texts it has seen). Only `*.dev.jsonl` sets are read,
never a frozen test set.

    nice -n 10 .venv/bin/python bench/judge_throughput.py [--passes 3] [--judge refusal ...] [--tiny]

`--tiny` (the first 5 dev items of each judge, 1 repeat pass) checks that the bench runs; its times are not results.
"""

from __future__ import annotations

import argparse
import functools
import gc
import time

import tony._registry  # noqa: F401  (imports every evaluation, so that each judge registers itself)
from tony.core.judges.validation import JudgeSpec, read_judge_set, registered_judges

GOAL_MS = 1.0


def clear_text_memos() -> int:
    """Empty every bounded memo (`lru_cache(maxsize=N)`: features of texts already read), so that one judge's cold
    pass gains nothing from another judge having read the same items. Unbounded caches (`cache`: weights loaded,
    cue regexes compiled once per process) are kept, as they would be in a run. Returns how many were emptied."""
    memos = [obj for obj in gc.get_objects()
             if isinstance(obj, functools._lru_cache_wrapper) and obj.cache_info().maxsize is not None]
    for memo in memos:
        memo.cache_clear()
    return len(memos)


def ms_per_item(spec: JudgeSpec, items: list[dict]) -> float:
    start = time.perf_counter()
    for item in items:
        spec.predict(item)
    return (time.perf_counter() - start) / len(items) * 1000


def time_judge(spec: JudgeSpec, passes: int, limit: int | None = None) -> tuple[int, float, float, float]:
    """(dev items, seconds of the first call, cold ms per item, best repeat ms per item over `passes` passes)."""
    items = read_judge_set(spec.set_name, "dev")[:limit]
    clear_text_memos()
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
    parser.add_argument("--tiny", action="store_true", help="the first 5 dev items per judge, 1 repeat pass")
    args = parser.parse_args()
    limit = 5 if args.tiny else None
    if args.tiny:
        args.passes = 1
    if args.passes < 1:
        parser.error("--passes must be at least 1")
    specs = registered_judges()
    names = args.judge or sorted(specs)
    unknown = [name for name in names if name not in specs]
    if unknown:
        parser.error(f"--judge: no registered judge {', '.join(unknown)}; known: {', '.join(sorted(specs))}")
    print(f"{'judge':<26} {'dev items':>9} {'first call s':>12} {'cold ms/item':>12} {'repeat ms/item':>14}")
    for name in names:
        n, first, cold, repeat = time_judge(specs[name], args.passes, limit)
        flag = "" if cold < GOAL_MS else f"  (cold over {GOAL_MS:g} ms)"
        print(f"{name:<26} {n:>9} {first:>12.2f} {cold:>12.3f} {repeat:>14.3f}{flag}")
    print(f"measured: ms per dev item of {len(names)} offline judges, cold and best of {args.passes} repeat passes"
          + ("; --tiny: 5 items per judge, too few to read as results" if args.tiny else ""))


if __name__ == "__main__":
    main()
