"""`tony card --ci-width W` against a fixed sample size, on scripted models with known rates.

Fixed n: the smallest n whose Wilson 95% interval (what the card prints) is at most W wide whatever the rate, i.e.
the n one must plan for without knowing the rate. Adaptive: tony's sequential rule (Frey 2010; `tony.core.stats.adaptive`),
which stops at the first n ≥ --ci-min-n whose calibrated interval is at most W wide. For each true rate p, both are
simulated `--reps` times (i.i.d. 0/1 outcomes, one model call each) and the script prints side by side the achieved
width (mean and largest), the empirical coverage of p, the model calls, and adaptive / fixed calls; the exact
coverage and expected calls of the rule (by dynamic programming) are printed beside the simulated ones. The oracle ratio is
what a fixed n chosen knowing the rate would cost: no rule that keeps the coverage can do much better. Then one
small real Inspect run (a scripted model answering right with probability 0.05) shows the wiring: samples run, and the card's
note for the stopped run.

    .venv/bin/python bench/adaptive_sample_size.py [--width 0.10] [--min-n 30] [--reps 4000] [--rates 0.05,0.2,0.5] [--tiny]

`--tiny` (width 0.3, --min-n 10, 100 repetitions of rate 0.2, a real run of 40 planned samples) checks that the bench
runs; at that size its figures are not results.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.scripted_model import RateModel  # noqa: E402  (registers tony-test-rate)
from tony.core.stats.adaptive import calibrated_z, profile, stop_n_cap, wilson_bounds
from tony.core.stats.intervals import wilson_interval

NOMINAL_Z = 1.959964


@dataclass(frozen=True)
class Outcome:
    calls: np.ndarray  # model calls per repetition
    width: np.ndarray  # achieved interval width per repetition
    covered: np.ndarray  # whether the interval held the true rate


def fixed_n(width: float) -> int:
    """The smallest n whose (plain) Wilson 95% interval is at most `width` wide for every count."""
    n = 1
    while max(wilson_interval(k, n).high - wilson_interval(k, n).low for k in (n // 2, (n + 1) // 2)) > width:
        n += 1
    return n


def oracle_n(p: float, width: float) -> int:
    """The fixed n one would pick knowing p: the smallest n whose Wilson interval at k = round(n p) is ≤ width."""
    n = 1
    while (lambda i: i.high - i.low)(wilson_interval(round(n * p), n)) > width:
        n += 1
    return n


def simulate_fixed(p: float, n: int, reps: int, rng: np.random.Generator) -> Outcome:
    successes = rng.binomial(n, p, size=reps)
    bounds = [wilson_interval(int(k), n) for k in range(n + 1)]
    low = np.array([bounds[k].low for k in successes])
    high = np.array([bounds[k].high for k in successes])
    return Outcome(np.full(reps, n), high - low, (low <= p) & (p <= high))


def simulate_adaptive(p: float, width: float, min_n: int, z: float, reps: int, rng: np.random.Generator) -> Outcome:
    """Each repetition: outcomes one at a time; stop at the first n ≥ min_n whose Wilson(z*) interval is ≤ width."""
    cap = stop_n_cap(width, z)
    low, high, stop = np.zeros((cap + 1, cap + 1)), np.ones((cap + 1, cap + 1)), np.zeros((cap + 1, cap + 1), bool)
    for n in range(min_n, cap + 1):
        lo, hi = wilson_bounds(np.arange(n + 1), n, z)
        low[n, : n + 1], high[n, : n + 1] = lo, hi
        stop[n, : n + 1] = (hi - lo <= width) | (n == cap)
    counts = np.cumsum(rng.random((reps, cap)) < p, axis=1)  # successes after n = 1..cap outcomes
    ns = np.arange(1, cap + 1)
    stops = stop[ns[None, :], counts]
    first = stops.argmax(axis=1)  # index of the first n that stops
    n_used, k_used = ns[first], counts[np.arange(reps), first]
    lo, hi = low[n_used, k_used], high[n_used, k_used]
    return Outcome(n_used, hi - lo, (lo <= p) & (p <= hi))


def table(rates: list[float], width: float, min_n: int, reps: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_fixed = fixed_n(width)
    started = time.monotonic()
    z = calibrated_z(width, min_n, stop_n_cap(width, 3.0))
    exact = profile(z, width, min_n, stop_n_cap(width, 3.0), np.array(rates))
    print(f"target width {width:g}, 95% intervals, {reps} repetitions per rate; fixed n = {n_fixed}; adaptive: "
          f"--ci-min-n {min_n}, calibrated z* = {z:.3f} (nominal {NOMINAL_Z:.3f}; calibrated in "
          f"{time.monotonic() - started:.0f} s)")
    header = (f"{'rate':>5} | {'fixed: calls':>12} {'width':>6} {'max':>6} {'cover':>6} | {'adaptive: calls':>15} "
              f"{'width':>6} {'max':>6} {'cover':>6} {'exact cover':>11} {'exact calls':>11} | {'calls ratio':>11} {'oracle ratio':>12}")
    print(header)
    print("-" * len(header))
    ratios, oracles = [], []
    for index, p in enumerate(rates):
        fixed = simulate_fixed(p, n_fixed, reps, rng)
        adaptive = simulate_adaptive(p, width, min_n, z, reps, rng)
        ratio = adaptive.calls.mean() / fixed.calls.mean()
        ratios.append(ratio)
        print(f"{p:>5g} | {fixed.calls.mean():>12.0f} {fixed.width.mean():>6.3f} {fixed.width.max():>6.3f} "
              f"{fixed.covered.mean():>6.3f} | {adaptive.calls.mean():>15.1f} {adaptive.width.mean():>6.3f} "
              f"{adaptive.width.max():>6.3f} {adaptive.covered.mean():>6.3f} {exact.coverage[index]:>11.4f} "
              f"{exact.expected_n[index]:>11.1f} | {ratio:>11.3f} {oracle_n(p, width) / n_fixed:>12.3f}")
        oracles.append(oracle_n(p, width) / n_fixed)
    print(f"mean calls ratio over these rates: {np.mean(ratios):.3f} (target ≤ 0.5); a fixed n chosen knowing each "
          f"rate (oracle) would average {np.mean(oracles):.3f}")
    sim_se = np.sqrt(0.95 * 0.05 / reps)
    print(f"(simulated coverage has a standard error of about {sim_se:.3f}; the exact columns have none)")


def real_run(width: float, min_n: int, planned: int = 1000, rate: float = 0.05) -> int:
    """One Inspect run through HeadlineStopper: a scripted model answers right with probability `rate`."""
    from inspect_ai import Task, eval
    from inspect_ai.dataset import MemoryDataset, Sample
    from inspect_ai.scorer import match

    from tony.core.stats.adaptive_stopping import HeadlineStopper, stopping_note

    dataset = MemoryDataset([Sample(input=f"Question {i}: yes or no?", target="yes", id=i) for i in range(planned)])
    task = Task(dataset=dataset, scorer=match(), early_stopping=HeadlineStopper(width, min_n), name=f"rate_{rate}")
    started = time.monotonic()
    RateModel.calls = 0
    log = eval(task, model=f"tony-test-rate/{rate}", model_args={"seed": 7}, display="none", log_dir="/tmp/tony-adaptive-bench",
               max_connections=4)[0]
    print(f"\nreal Inspect run (scripted model, rate {rate}, {planned} samples planned, 4 at a time): "
          f"{RateModel.calls} model calls, {len(log.samples or [])} samples logged, status {log.status}, "
          f"{time.monotonic() - started:.1f} s")
    print(f"card note: {stopping_note(log.results and log.results.early_stopping) or '(not stopped)'}")
    return len(log.samples or [])


def parse_rates(text: str) -> list[float]:
    """`0.05,0.2` -> [0.05, 0.2]; each a probability."""
    try:
        rates = [float(rate) for rate in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not rates or not all(0.0 <= rate <= 1.0 for rate in rates):
        raise argparse.ArgumentTypeError(f"every rate must lie in [0, 1]: {text!r}")
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--width", type=float, default=0.10)
    parser.add_argument("--min-n", type=int, default=30)
    parser.add_argument("--reps", type=int, default=4000)
    parser.add_argument("--rates", type=parse_rates, default=parse_rates("0.05,0.2,0.5"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-real-run", action="store_true")
    parser.add_argument("--tiny", action="store_true", help="width 0.3, --min-n 10, 100 reps of one rate, small real run")
    arguments = parser.parse_args()
    planned = 1000
    if arguments.tiny:
        arguments.width, arguments.min_n, arguments.reps, arguments.rates, planned = 0.3, 10, 100, [0.2], 40
    if not 0.0 < arguments.width < 1.0:
        parser.error(f"--width must lie in (0, 1), not {arguments.width}")
    if arguments.min_n < 1 or arguments.reps < 1:
        parser.error("--min-n and --reps must be at least 1")
    table(arguments.rates, arguments.width, arguments.min_n, arguments.reps, arguments.seed)
    ran = None if arguments.no_real_run else real_run(arguments.width, arguments.min_n, planned)
    print(f"measured: model calls, achieved width and coverage of a fixed n against the --ci-width rule at width "
          f"{arguments.width:g} over {arguments.reps} simulated runs per rate ({len(arguments.rates)} rates)"
          + ("" if ran is None else f", and one real Inspect run that logged {ran} of {planned} planned samples")
          + ("; --tiny: sizes too small to read as results" if arguments.tiny else ""))


if __name__ == "__main__":
    main()
