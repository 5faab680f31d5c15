"""Platform costs of tony's tasks, measured side by side in one run (issue 11 §3).

1. Per-model-call overhead of tony's tasks over a bare Inspect task (`generate()` + `match()`), both driven by the
   same instant scripted model (`tony-test-faulty/ok`), interleaved over rounds; target ratio ≤ 1.1×. The marginal
   cost per call is the slope between a run of n and one of 2n samples, so an eval's fixed start-up cost (the same
   for both tasks) does not dilute the ratio.
2. Model calls per hint-faithfulness question (target 1 + H, for H hint types) and on a cached re-run (target 0),
   counted by the scripted model itself.

A run asks for more samples than a built-in set holds (the default 60 and 120 against sets of 48 and 72 items): the
set's items are cycled, each copy with its own id, so both runs really have n and 2n samples; the bench says so.

    .venv/bin/python bench/platform_overhead.py [--samples 60] [--rounds 3] [--tiny]

`--tiny` (2 and 4 samples, 1 round, 1 faithfulness question) checks that the bench runs; its times mean nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from inspect_ai import Task, eval
from inspect_ai.dataset import Dataset, MemoryDataset, Sample
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


TONY_TASKS: dict[str, Callable[[], Task]] = {
    "refusals (offline refusal judge)": lambda: task_function("refusals")(dataset="builtin"),
    "overrefusals (offline refusal judge)": lambda: task_function("overrefusals")(dataset="builtin"),
    "faithfulness (1 + H chains, offline verbalization judge)": lambda: task_function("faithfulness")(dataset="builtin"),
}


def overhead(samples: int, rounds: int, log_dir: str) -> None:
    tony_tasks = TONY_TASKS
    builders = {"bare Inspect task": bare_task, **{name: sized(build) for name, build in tony_tasks.items()}}
    timed_eval(bare_task(2), log_dir)  # warm-up: imports and the first eval's set-up are paid once, outside the timing
    per_call: dict[str, list[float]] = {name: [] for name in builders}
    for _ in range(rounds):  # interleaved, so that machine noise hits every task alike
        for name, build in builders.items():
            short_seconds, short_calls = timed_eval(build(samples), log_dir)
            long_seconds, long_calls = timed_eval(build(2 * samples), log_dir)
            if long_calls <= short_calls:
                raise SystemExit(f"bench: {name}: the run of {2 * samples} samples made {long_calls} model calls, "
                                 f"the run of {samples} made {short_calls}; no marginal cost to measure")
            per_call[name].append((long_seconds - short_seconds) / (long_calls - short_calls))
    bare = statistics.median(per_call["bare Inspect task"])
    print(f"\n1. marginal wall time per model call with an instant scripted model (runs of {samples} and "
          f"{2 * samples} samples, median of {rounds} rounds)")
    print(f"{'task':58} {'ms/call':>8} {'ratio to bare':>14}")
    for name, values in per_call.items():
        value = statistics.median(values)
        print(f"{name:58} {1000 * value:8.2f} {value / bare:13.2f}×")
    print("target: ratio ≤ 1.10×")


def cycled(dataset: Dataset, n: int) -> MemoryDataset:
    """The first n samples of a set, its items cycled (copy c of item i gets the id `<id>~c`) where it holds fewer."""
    items = list(dataset)
    if not items:
        raise SystemExit("bench: a built-in set is empty")
    samples = []
    for index in range(n):
        sample = items[index % len(items)]
        copy = index // len(items)
        samples.append(sample if copy == 0 else sample.model_copy(update={"id": f"{sample.id}~{copy}"}))
    return MemoryDataset(samples)


def sized(build: Callable[[], Task]) -> Callable[[int], Task]:
    """A builder of the tony task with exactly n samples (`cycled`)."""
    def cut(n: int) -> Task:
        task = build()
        held = len(task.dataset)
        task.dataset = cycled(task.dataset, n)
        if n > held and (task.name, n) not in _told:
            _told.add((task.name, n))
            print(f"  ({task.name}: built-in set of {held} items cycled to {n} samples)")
        return task
    return cut


_told: set[tuple[str, int]] = set()  # (task, n) already reported as cycled


def faithfulness_calls(questions: int, log_dir: str) -> None:
    hint_types = len(HINT_TYPES)
    task = sized(lambda: task_function("faithfulness")(dataset="builtin"))(questions)
    _, first = timed_eval(task, log_dir, cache=True)
    _, again = timed_eval(task, log_dir, cache=True)
    print(f"\n2. model calls per hint-faithfulness question (H = {hint_types} hint types, {questions} questions)")
    print(f"{'run':30} {'calls/question':>15} {'target':>8}")
    print(f"{'first run':30} {first / questions:15.2f} {1 + hint_types:8d}")
    print(f"{'cached re-run':30} {again / questions:15.2f} {0:8d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=60, help="n: runs of n and 2n samples per task (default 60)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is printed")
    parser.add_argument("--tiny", action="store_true", help="2 and 4 samples, 1 round: checks that the bench runs")
    args = parser.parse_args()
    if args.tiny:
        args.samples, args.rounds = 2, 1
    if args.samples < 1:
        parser.error("--samples must be at least 1")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    questions = 1 if args.tiny else min(args.samples, 10)
    with tempfile.TemporaryDirectory() as cache_home, tempfile.TemporaryDirectory() as log_dir:
        os.environ["INSPECT_CACHE_DIR"] = cache_home  # a fresh response cache, so the first run really calls
        overhead(args.samples, args.rounds, log_dir)
        faithfulness_calls(questions, log_dir)
    print(f"measured: wall time per model call of {len(TONY_TASKS)} tony tasks against a bare Inspect task (runs of "
          f"{args.samples} and {2 * args.samples} samples, median of {args.rounds} rounds), and model calls per "
          f"faithfulness question ({questions} questions, first run and cached re-run)"
          + ("; --tiny: sizes too small to read the times as results" if args.tiny else ""))


if __name__ == "__main__":
    main()
