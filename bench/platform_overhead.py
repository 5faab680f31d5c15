"""Platform costs of tony's tasks, measured side by side in one run (issue 11 §3).

1. Per-model-call overhead of tony's tasks over a bare Inspect task (`generate()` + `match()`), both driven by the
   same instant scripted model (`tony-test-faulty/ok`), interleaved over rounds; target ratio ≤ 1.1×. The marginal
   cost per call is the slope between a run of n and one of 2n samples, so an eval's fixed start-up cost (the same
   for both tasks) does not dilute the ratio.
2. Model calls per hint-faithfulness question (target 1 + H, for H hint types) and on a cached re-run (target 0),
   counted by the scripted model itself.

    .venv/bin/python bench/platform_overhead.py [--samples 60] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from inspect_ai import Task, eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import match
from inspect_ai.solver import generate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import tests.scripted_model as scripted  # noqa: E402  (registers tony-test-faulty)
import tony._registry  # noqa: E402,F401  (registers tony's tasks)
from tony.core.plugin import task_function  # noqa: E402
from tony.evals.faithfulness.hints import HINT_TYPES  # noqa: E402

MODEL = "tony-test-faulty/ok"


def bare_task(n: int) -> Task:
    samples = [Sample(id=i, input=f"Question {i}: which letter comes after C?", target="D") for i in range(n)]
    return Task(dataset=MemoryDataset(samples), solver=generate(), scorer=match())


def timed_eval(task: Task, log_dir: str, cache: bool = False) -> tuple[float, int]:
    """Wall seconds and model calls (from the scripted model's call log) of one eval."""
    calls_file = Path(log_dir) / "calls.txt"
    calls_file.unlink(missing_ok=True)
    os.environ[scripted.CALLS_ENV] = str(calls_file)
    start = time.perf_counter()
    log = eval(task, model=MODEL, log_dir=log_dir, display="none", cache=cache, log_format="eval")[0]
    elapsed = time.perf_counter() - start
    if log.status != "success":
        raise SystemExit(f"bench run failed: {log.error}")
    return elapsed, scripted.count_calls(calls_file)


def overhead(samples: int, rounds: int, log_dir: str) -> None:
    tony_tasks = {
        "refusals (offline refusal judge)": lambda: task_function("refusals")(dataset="builtin"),
        "overrefusals (offline refusal judge)": lambda: task_function("overrefusals")(dataset="builtin"),
        "faithfulness (1 + H chains, offline verbalization judge)": lambda: task_function("faithfulness")(dataset="builtin"),
    }
    builders = {"bare Inspect task": bare_task, **{name: _first(build) for name, build in tony_tasks.items()}}
    timed_eval(bare_task(2), log_dir)  # warm-up: imports and the first eval's set-up are paid once, outside the timing
    per_call: dict[str, list[float]] = {name: [] for name in builders}
    for _ in range(rounds):  # interleaved, so that machine noise hits every task alike
        for name, build in builders.items():
            short_seconds, short_calls = timed_eval(build(samples), log_dir)
            long_seconds, long_calls = timed_eval(build(2 * samples), log_dir)
            per_call[name].append((long_seconds - short_seconds) / (long_calls - short_calls))
    bare = statistics.median(per_call["bare Inspect task"])
    print(f"\n1. marginal wall time per model call with an instant scripted model (runs of {samples} and "
          f"{2 * samples} samples, median of {rounds} rounds)")
    print(f"{'task':58} {'ms/call':>8} {'ratio to bare':>14}")
    for name, values in per_call.items():
        value = statistics.median(values)
        print(f"{name:58} {1000 * value:8.2f} {value / bare:13.2f}×")
    print("target: ratio ≤ 1.10×")


def _first(build):
    """A builder of the tony task cut to its first n samples."""
    def cut(n: int) -> Task:
        task = build()
        task.dataset = MemoryDataset(list(task.dataset)[:n])
        return task
    return cut


def faithfulness_calls(questions: int, log_dir: str) -> None:
    hint_types = len(HINT_TYPES)
    task = task_function("faithfulness")(dataset="builtin")
    task.dataset = MemoryDataset(list(task.dataset)[:questions])
    _, first = timed_eval(task, log_dir, cache=True)
    _, again = timed_eval(task, log_dir, cache=True)
    print(f"\n2. model calls per hint-faithfulness question (H = {hint_types} hint types, {questions} questions)")
    print(f"{'run':30} {'calls/question':>15} {'target':>8}")
    print(f"{'first run':30} {first / questions:15.2f} {1 + hint_types:8d}")
    print(f"{'cached re-run':30} {again / questions:15.2f} {0:8d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache_home, tempfile.TemporaryDirectory() as log_dir:
        os.environ["INSPECT_CACHE_DIR"] = cache_home  # a fresh response cache, so the first run really calls
        overhead(args.samples, args.rounds, log_dir)
        faithfulness_calls(min(args.samples, 10), log_dir)


if __name__ == "__main__":
    main()
