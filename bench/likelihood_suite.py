"""The full suite's likelihood runs: seconds of likelihood scoring per run, before vs after prefix reuse (estimated).

Each full-suite run that scores continuations (TruthfulQA, BBQ by likelihood, Winogender, occupation bias, MMLU by
letter likelihood) is built with its suite arguments; its items become the exact `continuation_logprobs` calls its
solver or scorer makes. `--n` items per run, spread over the run, are scored by both methods (the previous one,
every continuation from an empty cache, and prefix reuse, calls in run order), and the mean seconds per item are
scaled to the run's item count. Only the likelihood scoring is timed: the runs' generations (BBQ's letter, MMLU's
chains of thought) are not part of it.

    nice -n 10 .venv/bin/python bench/likelihood_suite.py [--n 6] [--data-dir ../shared/data] [--tiny]

`--tiny` (1 item of the first likelihood run only) checks that the bench runs; its times are not results.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessageUser, get_model

import tony._registry  # noqa: F401  (registers every evaluation)
from tony.core.data import DATA_DIR_ENV, DataError
from tony.core.plugin import evaluations, task_function
from tony.evals.gopher.bias import FEMALE, MALE, fill
from tony.evals.o1_facts_fairness.truthfulqa import context_for
from tony.model.gguf_likelihood import score_from_scratch, score_with_shared_prefix

Call = tuple[str, list[str]]


def calls_for(task: str, api: Any, task_metadata: dict[str, Any]) -> Callable[[Sample], list[Call]] | None:
    """The likelihood calls one sample of `task` makes, or None for a task that scores no continuation."""
    chat = lambda sample: api.chat_prompt([ChatMessageUser(content=str(sample.input))])  # noqa: E731
    if task == "truthfulqa":
        return lambda s: [(context_for(str(s.input)), [f" {o}" for o in dict.fromkeys(
            [*s.metadata["mc1_targets"], *s.metadata["mc2_targets"]])])]
    if task == "bbq":
        return lambda s: [(chat(s), list(s.metadata["options"]))]
    if task == "gopher_winogender":
        return lambda s: [(str(s.input), [f" {s.metadata['occupation']}", f" {s.metadata['participant']}"])]
    if task == "gopher_occupation_bias":
        return lambda s: [call for t in task_metadata["templates"] for call in
                          ((fill(t, s.metadata["occupation"]), list(FEMALE)), (fill(t, s.metadata["occupation"]), list(MALE)))]
    if task == "gemini_mmlu":
        from tony.evals.gemini.task import LETTERS

        return lambda s: [(chat(s), list(LETTERS))]
    return None


def seconds_per_item(llama: Any, scorer: Any, items: list[list[Call]]) -> float:
    llama.reset()
    start = time.perf_counter()
    for calls in items:
        for context, continuations in calls:
            scorer(llama, context, continuations)
    return (time.perf_counter() - start) / len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=6, help="items timed per run")
    parser.add_argument("--data-dir", default=os.environ.get(DATA_DIR_ENV) or "../shared/data",
                        help=f"public data (default: {DATA_DIR_ENV}, else ../shared/data)")
    parser.add_argument("--tiny", action="store_true", help="1 item of the first likelihood run only")
    args = parser.parse_args()
    if args.tiny:
        args.n = 1
    if args.n < 1:
        parser.error("--n must be at least 1")
    api = get_model("tony-gguf/smollm2").api
    llama = api._model(logits_all=True).llama
    threads = api.threads()
    llama._ctx.set_n_threads(threads, threads)
    print(f"llama.cpp threads {threads}; {args.n} items timed per run, scaled to the run's items")
    print(f"{'run':<36} {'items':>6} {'calls/item':>10} {'before s/item':>13} {'after s/item':>12} "
          f"{'before total s':>14} {'after total s':>13} {'ratio':>6}")
    totals = [0.0, 0.0]
    runs: list[str] = []
    for evaluation in evaluations():
        for entry in evaluation.entries("full"):
            if args.tiny and runs:
                break
            extra = {"data_dir": args.data_dir} if entry.datasets else {}
            try:
                task = task_function(entry.task)(**entry.args, **extra)
            except DataError as error:
                parser.error(f"run {entry.name}: {error}")
            make = calls_for(entry.task, api, dict(task.metadata or {}))
            if make is None or (entry.task == "bbq" and "likelihood" not in entry.args.get("methods", "likelihood")):
                continue
            samples = list(task.dataset)[: entry.limit]
            step = max(1, len(samples) // args.n)
            timed = [make(s) for s in samples[::step][: args.n]]
            before = seconds_per_item(llama, score_from_scratch, timed)
            after = seconds_per_item(llama, score_with_shared_prefix, timed)
            totals[0] += before * len(samples)
            totals[1] += after * len(samples)
            runs.append(entry.name)
            print(f"{entry.name:<36} {len(samples):>6} {len(timed[0]):>10} {before:>13.3f} {after:>12.3f} "
                  f"{before * len(samples):>14.0f} {after * len(samples):>13.0f} {before / after:>6.2f}", flush=True)
    print(f"{'all likelihood runs':<36} {'':>6} {'':>10} {'':>13} {'':>12} {totals[0]:>14.0f} {totals[1]:>13.0f} "
          f"{totals[0] / totals[1]:>6.2f}")
    print(f"measured: seconds of likelihood scoring before and after prefix reuse for {len(runs)} full-suite run(s) "
          f"({', '.join(runs)}), from {args.n} timed item(s) per run scaled to its items"
          + ("; --tiny: one item of one run, not a result" if args.tiny else ""))


if __name__ == "__main__":
    main()
