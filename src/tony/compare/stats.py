"""The statistics of a comparison of two runs: a difference B − A with a 95% interval and a p-value per metric,
and Holm's correction over all compared metrics.

Paired (the same items scored in A and in B):
- binary outcomes: McNemar's exact test (the binomial test on the discordant pairs; McNemar 1947) and Newcombe's
  hybrid score interval for a difference of paired proportions (Newcombe 1998, Stat. Med. 17:2635, method 10,
  `tony.core.stats.intervals.paired_difference_interval`);
- other scores: the paired bootstrap over items (Efron & Tibshirani 1993, ch. 13 and 16).
Unpaired (different items), labelled so:
- binary outcomes: Newcombe's hybrid score interval for independent proportions (Newcombe 1998, Stat. Med.
  17:873, method 10) and Fisher's exact test;
- other scores: the bootstrap of each run's items separately;
- a card's headline metrics (aggregates with their own intervals): the MOVER interval (Zou & Donner 2008,
  Stat. Med. 27:1693), which is Newcombe's method 10 when both intervals are Wilson's; untested, since a p-value
  read from two intervals' widths is far too small at small n (0/3 vs 3/3 gave p < 0.0001, Fisher's exact 0.1).

The exact tests (McNemar, Fisher) are exact at any n: at small n they simply cannot reach a small p. A bootstrap is
not: see MIN_BOOTSTRAP_UNITS. A bootstrap whose resamples all give the same value (every item differs by the same
amount, or not at all) has no spread to read an interval or a p-value from: it gives none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats as scipy_stats

from tony.core.stats.intervals import BOOTSTRAP_RESAMPLES, CONFIDENCE, UNDEFINED, Interval, wilson_interval

# Fewest units (items, or each run's items unpaired) a bootstrap is read at. n units have C(2n − 1, n) distinct
# resamples: 1, 3, 10, 35, 126 for n = 1…5, so below ~8 the B = 2000 draws repeat a few resamples and the p-value's
# resolution 1/(B + 1) is not reached (one unit: every draw is the item itself, a zero-width interval and the
# smallest p); at n = 10 there are C(19, 10) = 92,378, and the percentile interval's spread is
# √((n − 1)/n) = 0.95 of the sampling spread, i.e. at most 5% too narrow (Efron & Tibshirani 1993, §5.2, §13.3).
MIN_BOOTSTRAP_UNITS = 10

def mcnemar_exact(a_only: int, b_only: int) -> float:
    """Two-sided exact McNemar p-value from the discordant pairs (items passed by A only, by B only): under H0 each
    discordant pair falls either way with probability ½, so p = min(1, 2 · P[X ≤ min(b, c)]), X ~ Bin(b + c, ½)."""
    discordant = a_only + b_only
    if discordant == 0:
        return 1.0
    return min(1.0, 2 * float(scipy_stats.binom.cdf(min(a_only, b_only), discordant, 0.5)))


def mover_difference(first: Interval, second: Interval) -> Interval:
    """θ₁ − θ₂ with the MOVER interval (Zou & Donner 2008) from two independent estimates' intervals (l, u):
    L = θ₁ − θ₂ − √((θ₁ − l₁)² + (u₂ − θ₂)²),  U = θ₁ − θ₂ + √((u₁ − θ₁)² + (θ₂ − l₂)²)."""
    if None in (first.value, first.low, first.high, second.value, second.low, second.high):
        return UNDEFINED if first.value is None or second.value is None else Interval(first.value - second.value, None, None)
    t1, l1, u1 = float(first.value), float(first.low), float(first.high)  # type: ignore[arg-type]
    t2, l2, u2 = float(second.value), float(second.low), float(second.high)  # type: ignore[arg-type]
    theta = t1 - t2
    return Interval(theta, theta - math.sqrt((t1 - l1) ** 2 + (u2 - t2) ** 2),
                    theta + math.sqrt((u1 - t1) ** 2 + (t2 - l2) ** 2))


def newcombe_unpaired(successes_1: int, n_1: int, successes_2: int, n_2: int) -> Interval:
    """p₁ − p₂ for independent proportions with Newcombe's hybrid score interval (Newcombe 1998, Stat. Med.
    17:873, method 10): the MOVER combination of the two Wilson intervals."""
    if n_1 <= 0 or n_2 <= 0:
        return UNDEFINED
    return mover_difference(wilson_interval(successes_1, n_1), wilson_interval(successes_2, n_2))


def fisher_exact_p(successes_1: int, n_1: int, successes_2: int, n_2: int) -> float:
    """Two-sided Fisher exact test of equal proportions in two independent samples (Fisher 1935)."""
    table = [[successes_1, n_1 - successes_1], [successes_2, n_2 - successes_2]]
    return float(scipy_stats.fisher_exact(table).pvalue)


def degenerate(draws: np.ndarray) -> bool:
    """Every resample gave the same value (to rounding): there is no spread to read an interval from."""
    return bool(np.ptp(draws) <= 1e-12 * max(1.0, float(np.max(np.abs(draws)))))


def _percentile_result(value: float, draws: np.ndarray) -> tuple[Interval, float | None]:
    """Percentile interval of bootstrap draws of a difference, and the two-sided bootstrap p-value
    p = min(1, 2 · min(#{d* ≤ 0} + 1, #{d* ≥ 0} + 1) / (B + 1)) (the test that inverts the percentile interval;
    never below 2/(B + 1), the resolution of B draws). Degenerate draws: no interval and no p."""
    if degenerate(draws):
        return Interval(value, None, None), None
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    below, above = int(np.sum(draws <= 0)), int(np.sum(draws >= 0))
    p = min(1.0, 2 * (min(below, above) + 1) / (len(draws) + 1))
    return Interval(value, float(low), float(high)), p


def paired_bootstrap(a: Sequence[float], b: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES,
                     seed: int = 0) -> tuple[Interval, float | None]:
    """Mean of B − A over paired items: the items are resampled with replacement, each keeping its two scores, and
    d* = mean(b* − a*) gives the percentile interval and the bootstrap p-value."""
    differences = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if len(differences) == 0:
        return UNDEFINED, None
    rng = np.random.default_rng(seed)
    draws = differences[rng.integers(0, len(differences), size=(resamples, len(differences)))].mean(axis=1)
    return _percentile_result(float(differences.mean()), draws)


def unpaired_bootstrap(a: Sequence[float], b: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES,
                       seed: int = 0) -> tuple[Interval, float | None]:
    """mean(B) − mean(A) over different items: each run's items are resampled separately."""
    first, second = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(first) == 0 or len(second) == 0:
        return UNDEFINED, None
    rng = np.random.default_rng(seed)
    draws = (second[rng.integers(0, len(second), size=(resamples, len(second)))].mean(axis=1)
             - first[rng.integers(0, len(first), size=(resamples, len(first)))].mean(axis=1))
    return _percentile_result(float(second.mean() - first.mean()), draws)


def bootstrap_mean(values: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0) -> Interval:
    """A run's mean score with its percentile bootstrap interval over items (none where every draw is the same)."""
    array = np.asarray(values, dtype=float)
    if len(array) == 0:
        return UNDEFINED
    rng = np.random.default_rng(seed)
    draws = array[rng.integers(0, len(array), size=(resamples, len(array)))].mean(axis=1)
    if degenerate(draws):
        return Interval(float(array.mean()), None, None)
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return Interval(float(array.mean()), float(low), float(high))


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm–Bonferroni adjusted p-values (Holm 1979): with the m p-values sorted, p₍ᵢ₎ is multiplied by m − i + 1
    and made non-decreasing; rejecting where the adjusted p < α keeps the family-wise error rate at α.
    None (no test) stays None and is not counted in m."""
    tested = sorted((p, index) for index, p in enumerate(p_values) if p is not None)
    m = len(tested)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, index) in enumerate(tested):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[index] = running
    return adjusted
