"""Likelihood items per second before vs after prefix reuse, side by side in one run (issue 22 item 1).

Before: every continuation evaluated with its whole context from an empty cache (`score_from_scratch`, the previous
method). After: the context evaluated once per item, reusing the cache's common prefix with the previous item
(`score_with_shared_prefix`, what tony-gguf does now). Same GGUF, same llama.cpp context, same threads; the two
methods alternate in rounds so that machine load hits both alike. TruthfulQA MC2 (context = primer + question,
continuations = every distinct MC1/MC2 option) and Winogender (two candidates per sentence), from `--data-dir` when
it holds them, else tony's built-in items. Also prints the largest |Δ log P| between the methods (should be 0).

    nice -n 10 .venv/bin/python bench/likelihood_throughput.py [--n 20] [--rounds 2] [--data-dir ../shared/data] [--tiny]

`--tiny` (2 items per benchmark, 1 round) checks that the bench runs; its speeds are not results.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from inspect_ai.model import get_model

from tony.evals.gopher.bias import builtin_coref, coref_context, winogender_items
from tony.evals.o1_facts_fairness.truthfulqa import builtin_samples, context_for, public_samples
from tony.model.gguf_likelihood import score_from_scratch, score_with_shared_prefix

Item = tuple[str, list[str]]
Scorer = Callable[[Any, str, list[str]], list[float]]


def truthfulqa_items(data_dir: str | None, n: int) -> tuple[list[Item], str]:
    try:
        samples, _ = public_samples(data_dir, "current")
        source = "mc_task.json"
    except Exception as error:  # noqa: BLE001 - any missing or unreadable file: fall back, and say so
        samples, source = builtin_samples(), f"built-in ({type(error).__name__}: {error})"
    items = []
    for sample in samples[:n]:
        options = list(dict.fromkeys([*sample.metadata["mc1_targets"], *sample.metadata["mc2_targets"]]))
        items.append((context_for(str(sample.input)), [f" {o}" for o in options]))
    return items, source


def winogender_bench_items(data_dir: str | None, n: int) -> tuple[list[Item], str]:
    try:
        coref, _, _ = winogender_items(data_dir)
        source = "all_sentences.tsv"
    except Exception as error:  # noqa: BLE001 - any missing or unreadable file: fall back, and say so
        coref, source = builtin_coref(), f"built-in ({type(error).__name__}: {error})"
    step = max(1, len(coref) // n)  # spread over occupations rather than the first few
    return [(coref_context(i), [f" {i.occupation}", f" {i.participant}"]) for i in coref[::step][:n]], source


def timed(llama: Any, scorer: Scorer, items: list[Item]) -> tuple[float, list[list[float]]]:
    llama.reset()
    start = time.perf_counter()
    scores = [scorer(llama, context, options) for context, options in items]
    return time.perf_counter() - start, scores


def compare(name: str, llama: Any, items: list[Item], rounds: int) -> float:
    before_s = after_s = 0.0
    largest = 0.0
    for _ in range(rounds):
        seconds, before = timed(llama, score_from_scratch, items)
        before_s += seconds
        seconds, after = timed(llama, score_with_shared_prefix, items)
        after_s += seconds
        largest = max(largest, max(abs(a - b) for x, y in zip(before, after) for a, b in zip(x, y)))
    n = len(items) * rounds
    continuations = sum(len(options) for _, options in items) / len(items)
    ratio = before_s / after_s
    print(f"{name:<16} {len(items):>3} items x {rounds} rounds, {continuations:4.1f} continuations/item: "
          f"before {n / before_s:6.2f} items/s   after {n / after_s:6.2f} items/s   ratio {ratio:4.2f}x   "
          f"max |Δ log P| {largest:.2e}")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="items per benchmark")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: the provider's)")
    parser.add_argument("--tiny", action="store_true", help="2 items per benchmark, 1 round")
    args = parser.parse_args()
    if args.tiny:
        args.n, args.rounds = 2, 1
    if args.n < 1 or args.rounds < 1:
        parser.error("--n and --rounds must be at least 1")

    api = get_model("tony-gguf/smollm2").api
    llama = api._model(logits_all=True).llama
    threads = args.threads or api.threads()
    llama._ctx.set_n_threads(threads, threads)
    mc2, mc2_source = truthfulqa_items(args.data_dir, args.n)
    wino, wino_source = winogender_bench_items(args.data_dir, args.n)
    print(f"llama.cpp threads {threads}; TruthfulQA from {mc2_source}; Winogender from {wino_source}")
    ratio = compare("TruthfulQA MC2", llama, mc2, args.rounds)
    compare("Winogender", llama, wino, args.rounds)
    print(f"goal >= 3x on MC2: {'met' if ratio >= 3 else 'NOT met'} ({ratio:.2f}x)")
    print(f"measured: likelihood items per second before and after prefix reuse, and the largest |Δ log P| between "
          f"them, on {args.n} TruthfulQA MC2 and {args.n} Winogender items × {args.rounds} rounds"
          + ("; --tiny: too few items to read the speeds as results" if args.tiny else ""))


if __name__ == "__main__":
    main()
