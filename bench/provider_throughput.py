"""Generated tokens per second through tony's Inspect provider vs calling llama_cpp directly.

Same GGUF, same prompts, greedy, same max_tokens; runs are interleaved (provider, raw, provider, …)
so that machine noise hits both alike. Prints the ratio provider / raw (target >= 0.9), and, for the
record, the ratio of raw llama_cpp driven from a worker thread vs the main thread (why the provider
runs llama.cpp on the event-loop thread).

Then the load case: the same prompts through the provider while one other process keeps a core busy, side by side
with the quiet speed (target: ratio >= 0.5 on 2 cores), and raw llama_cpp with a fixed thread per core (what the
provider did before it chose threads from the free cores) under the same load.

    .venv/bin/python bench/provider_throughput.py [--rounds 3] [--max-tokens 128] [--no-load-case] [--tiny]

`--tiny` (one prompt, 1 round, 8 tokens, no load case) checks that the bench runs; its speeds mean nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor

from inspect_ai.model import GenerateConfig, get_model

from tony.model.gguf import _extra_buffer_types, embedded_model_path

PROMPTS = [
    "Explain why the sky looks blue, step by step.",
    "Write a short paragraph about the history of bicycles.",
    "List five tips for learning a new language and explain each one.",
    "A train travels 60 km in 45 minutes. What is its average speed in km/h? Think step by step.",
]


def raw_llama():
    from llama_cpp import Llama

    with _extra_buffer_types(False):
        return Llama(model_path=str(embedded_model_path()), n_ctx=4096, n_threads=os.cpu_count(),
                     n_threads_batch=os.cpu_count(), verbose=False)


def raw_generate(llama, prompt: str, max_tokens: int) -> tuple[int, float]:
    start = time.perf_counter()
    llama.reset()
    response = llama.create_chat_completion(messages=[{"role": "user", "content": prompt}], temperature=0.0, max_tokens=max_tokens)
    return response["usage"]["completion_tokens"], time.perf_counter() - start


def provider_generate(model, prompt: str, max_tokens: int) -> tuple[int, float]:
    start = time.perf_counter()
    output = asyncio.run(model.generate(prompt, config=GenerateConfig(temperature=0.0, max_tokens=max_tokens)))
    return output.usage.output_tokens, time.perf_counter() - start


def tokens_per_second(runs: list[tuple[int, float]]) -> float:
    return sum(tokens for tokens, _ in runs) / sum(seconds for _, seconds in runs)


@contextmanager
def one_busy_process() -> Iterator[None]:
    """Another process spinning on one core for the duration."""
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(1.0)  # let the scheduler and the provider's core monitor see it
        yield
    finally:
        busy.kill()
        busy.wait()


def load_case(model, llama, rounds: int, max_tokens: int, prompts: list[str] = PROMPTS) -> None:
    """Provider speed with one competing busy process, against its quiet speed (measured just before)."""
    quiet = tokens_per_second([provider_generate(model, p, max_tokens) for _ in range(rounds) for p in prompts])
    with one_busy_process():
        loaded = tokens_per_second([provider_generate(model, p, max_tokens) for _ in range(rounds) for p in prompts])
        threads_loaded = model.api.threads()
        fixed = tokens_per_second([raw_generate(llama, p, max_tokens) for _ in range(rounds) for p in prompts])
    raw_quiet = tokens_per_second([raw_generate(llama, p, max_tokens) for _ in range(rounds) for p in prompts])
    print(f"one competing busy process (provider chose {threads_loaded} thread(s); raw llama_cpp runs {os.cpu_count()}):")
    print(f"  provider quiet {quiet:6.1f} tok/s | with one busy process {loaded:6.1f} tok/s | ratio {loaded / quiet:.3f} "
          "(target >= 0.5)")
    print(f"  raw fixed threads quiet {raw_quiet:6.1f} tok/s | with one busy process {fixed:6.1f} tok/s | "
          f"ratio {fixed / raw_quiet:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--no-load-case", dest="load_case", action="store_false", help="skip the busy-process case")
    parser.add_argument("--tiny", action="store_true", help="one prompt, 1 round, 8 tokens, no load case")
    arguments = parser.parse_args()
    prompts = PROMPTS[:1] if arguments.tiny else PROMPTS
    if arguments.tiny:
        arguments.rounds, arguments.max_tokens, arguments.load_case = 1, 8, False
    if arguments.rounds < 1:
        parser.error("--rounds must be at least 1")
    if arguments.max_tokens < 1:
        parser.error("--max-tokens must be at least 1")

    model = get_model("tony-gguf/smollm2")
    llama = raw_llama()
    worker = ThreadPoolExecutor(max_workers=1)
    provider_generate(model, "warm up", 8)
    raw_generate(llama, "warm up", 8)

    provider_runs, raw_runs, thread_runs = [], [], []
    round_ratios = []
    for _ in range(arguments.rounds):
        provider_round = [provider_generate(model, p, arguments.max_tokens) for p in prompts]
        raw_round = [raw_generate(llama, p, arguments.max_tokens) for p in prompts]
        provider_runs += provider_round
        raw_runs += raw_round
        round_ratios.append(tokens_per_second(provider_round) / tokens_per_second(raw_round))
    if arguments.load_case:
        load_case(model, llama, arguments.rounds, arguments.max_tokens, prompts)
    # Last, because once a second thread has driven llama.cpp, two OpenMP teams compete for the cores.
    for _ in range(arguments.rounds):
        thread_runs += [worker.submit(raw_generate, llama, p, arguments.max_tokens).result() for p in prompts]

    provider_tps, raw_tps, thread_tps = map(tokens_per_second, (provider_runs, raw_runs, thread_runs))
    print(f"cores: {os.cpu_count()}, prompts: {len(prompts)}, rounds: {arguments.rounds}, max_tokens: {arguments.max_tokens}")
    print(f"raw llama_cpp (main thread):   {raw_tps:6.1f} generated tok/s")
    print(f"tony-gguf provider via Inspect: {provider_tps:6.1f} generated tok/s")
    print(f"raw llama_cpp (worker thread): {thread_tps:6.1f} generated tok/s")
    print(f"ratio provider / raw: {provider_tps / raw_tps:.3f} (per round: {', '.join(f'{r:.3f}' for r in round_ratios)}; "
          f"median {statistics.median(round_ratios):.3f}; target >= 0.9)")
    print(f"ratio worker thread / main thread (raw): {thread_tps / raw_tps:.3f}")
    worker.shutdown()
    print(f"measured: generated tokens per second of the embedded GGUF through tony's provider, raw llama_cpp on the "
          f"main thread and on a worker thread ({len(prompts)} prompts × {arguments.rounds} rounds, up to "
          f"{arguments.max_tokens} tokens each)" + (", and under one busy process" if arguments.load_case else "")
          + ("; --tiny: sizes too small to read the speeds as results" if arguments.tiny else ""))


if __name__ == "__main__":
    main()
