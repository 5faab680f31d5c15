"""What a whole `tony card --suite full` costs on this machine, projected run by run from a seeded sample of each run.

The full suite on 2 cores takes many hours, so it is rarely run end to end. This bench builds every full-suite run
exactly as `tony card --suite full` does (same task arguments: k, K, turns, max tokens), keeps `--per-run` of its
samples drawn at random with a fixed seed, runs them one sample at a time (the embedded model computes on Inspect's
event loop, so a sample in flight beside another would be charged the other's model time), and projects each run from
Inspect's per-sample working time:

    projected seconds of run r = n_r × mean working seconds per sample of r          (n_r: the run's full size)

The runs share one model, so the card's wall clock is about the sum over runs. The ± is n_r × the standard error of
the mean (from the sampled items' spread; a run with one sample has none). Runs marked `last` (they only read the
other runs' logs) are not sampled. A fresh response cache is used, so every call reaches the model.

    nice -n 10 .venv/bin/python bench/full_suite_cost.py [--per-run 4] [--seed 0] [--model M] [--data-dir DIR]
                                                      [--only a,b] [--tiny]

`--tiny` (one sample each of two quick-suite runs, an offline judge check and SimpleQA, on the given model) checks
that the bench runs; its times are not results.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tony.cli import DEFAULT_MODEL, EvalPlan, suite_plan
from tony.core.data import DATA_DIR_ENV

TINY_RUNS = ("faithfulness_judge", "simpleqa")
GOAL_S = 3 * 3600  # issue 22: the full suite in an afternoon (3 hours) on 2 cores


@dataclass(frozen=True)
class RunCost:
    name: str
    full_n: int
    seconds: list[float]  # working seconds of each sampled sample
    calls: float  # model calls per sampled sample
    output_tokens: float  # output tokens per sampled sample
    errors: int
    first_error: str = ""

    @property
    def projected(self) -> float:
        return self.full_n * statistics.fmean(self.seconds) if self.seconds else math.nan

    @property
    def spread(self) -> float:
        if len(self.seconds) < 2:
            return math.nan
        return self.full_n * statistics.stdev(self.seconds) / math.sqrt(len(self.seconds))


def sampled_task(plan: EvalPlan, per_run: int, seed: int) -> tuple[Any, int]:
    """The run's task with `per_run` of its samples (seeded), and the run's full size."""
    from inspect_ai import task_with

    task = plan.inspect_task()
    dataset = task.dataset[: plan.limit] if plan.limit is not None else task.dataset[:]
    full_n = len(dataset)
    dataset.shuffle(seed=seed)
    return task_with(task, dataset=dataset[:per_run]), full_n


def run_cost(name: str, full_n: int, log: Any) -> RunCost:
    samples = log.samples or []
    seconds = [s.working_time for s in samples if s.working_time is not None and s.error is None]
    usage = [u for s in samples for u in (s.model_usage or {}).values()]
    calls = sum(len([e for e in s.events if getattr(e, "event", "") == "model"]) for s in samples)
    per = max(len(samples), 1)
    errors = [s.error.message.splitlines()[0] if s.error.message else "error" for s in samples if s.error is not None]
    return RunCost(name, full_n, seconds, calls / per, sum(u.output_tokens for u in usage) / per, len(errors),
                   errors[0][:120] if errors else "")


def measure(plans: list[EvalPlan], per_run: int, seed: int, model: str) -> list[RunCost]:
    from inspect_ai import eval

    built = [(plan, *sampled_task(plan, per_run, seed)) for plan in plans]
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as log_dir:
        os.environ["INSPECT_CACHE_DIR"] = cache  # a fresh response cache: every call reaches the model
        logs = eval([task for _, task, _ in built], model=model, log_dir=log_dir, display="none",
                    max_tasks=1, max_samples=1, fail_on_error=False, log_format="eval")
        by_name = {log.eval.task: log for log in logs}
        return [run_cost(plan.name, full_n, by_name[plan.name]) for plan, _, full_n in built]


def print_table(costs: list[RunCost]) -> float:
    print(f"{'run':36} {'full n':>6} {'sampled':>7} {'s/sample':>9} {'calls':>6} {'out tok':>7} {'projected s':>16}")
    for cost in sorted(costs, key=lambda c: -c.projected if not math.isnan(c.projected) else 0):
        mean = statistics.fmean(cost.seconds) if cost.seconds else math.nan
        spread = "" if math.isnan(cost.spread) else f" ± {cost.spread:.0f}"
        flag = "  (alone over 3 h)" if cost.projected > GOAL_S else ""
        errors = f"  ({cost.errors} errored: {cost.first_error})" if cost.errors else ""
        print(f"{cost.name:36} {cost.full_n:6d} {len(cost.seconds):7d} {mean:9.2f} {cost.calls:6.1f} "
              f"{cost.output_tokens:7.0f} {cost.projected:10.0f}{spread:>6}{flag}{errors}")
    known = [c for c in costs if not math.isnan(c.projected)]
    total = sum(c.projected for c in known)
    spread = math.sqrt(sum(c.spread ** 2 for c in known if not math.isnan(c.spread)))
    print(f"\nprojected full suite: {total:.0f} s ± {spread:.0f} ({total / 3600:.1f} h; goal {GOAL_S / 3600:.0f} h); "
          f"{len(costs) - len(known)} run(s) without a clean sample")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-run", type=int, default=4, help="samples drawn from each run (default 4)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--data-dir", default=os.environ.get(DATA_DIR_ENV) or "../shared/data")
    parser.add_argument("--only", default="", help="comma-separated run names (default: every full-suite run)")
    parser.add_argument("--tiny", action="store_true", help=f"1 sample of the quick runs {', '.join(TINY_RUNS)}")
    arguments = parser.parse_args()
    if arguments.per_run < 1:
        parser.error("--per-run must be at least 1")
    data_dir = arguments.data_dir if Path(arguments.data_dir).is_dir() else None
    if arguments.tiny:
        plans, per_run = [plan for plan in suite_plan("quick", None) if plan.name in TINY_RUNS], 1
    else:
        plans, per_run = suite_plan("full", data_dir), arguments.per_run
    plans = [plan for plan in plans if not plan.last]
    if arguments.only:
        wanted = set(arguments.only.split(","))
        unknown = wanted - {plan.name for plan in plans}
        if unknown:
            parser.error(f"no full-suite run named {', '.join(sorted(unknown))}")
        plans = [plan for plan in plans if plan.name in wanted]
    if data_dir is None and not arguments.tiny:
        print(f"no data directory at {arguments.data_dir}: the runs on public data are left out", file=sys.stderr)
    costs = measure(plans, per_run, arguments.seed, arguments.model)
    total = print_table(costs)
    print(f"measured: working seconds per sample of {len(costs)} run(s), {per_run} sample(s) each, on {arguments.model}; "
          f"projected whole-suite {total:.0f} s" + (" (--tiny: not a result)" if arguments.tiny else ""))


if __name__ == "__main__":
    main()
