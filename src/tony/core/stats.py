"""Shared statistics for every tony evaluation: Wilson and bootstrap intervals.

Each evaluation reports its headline numbers with a 95% interval computed here, so
that two sections of a system card are always comparable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided confidence interval; None where undefined."""

    value: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"value": self.value, "low": self.low, "high": self.high}


UNDEFINED = Interval(None, None, None)


def wilson_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> Interval:
    """Wilson score interval for a binomial proportion (Wilson 1927)."""
    if trials <= 0:
        return UNDEFINED
    if not 0 <= successes <= trials:
        raise ValueError(f"successes={successes} must lie in [0, trials={trials}]")
    z = scipy_stats.norm.ppf(1 - (1 - confidence) / 2)
    p_hat = successes / trials
    denominator = 1 + z**2 / trials
    centre = (p_hat + z**2 / (2 * trials)) / denominator
    half_width = z * math.sqrt(p_hat * (1 - p_hat) / trials + z**2 / (4 * trials**2)) / denominator
    return Interval(p_hat, max(0.0, centre - half_width), min(1.0, centre + half_width))


def bootstrap_interval(
    units: Sequence[object],
    statistic: Callable[[Sequence[object]], float | None],
    confidence: float = CONFIDENCE,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> Interval:
    """Percentile bootstrap over independent units (e.g. questions).

    `statistic` maps a resample of units to a number, or None where the statistic
    is undefined on that resample (those resamples are dropped). The point value is
    the statistic on the original units.
    """
    value = statistic(units) if len(units) else None
    if value is None:
        return UNDEFINED
    rng = np.random.default_rng(seed)
    n = len(units)
    draws: list[float] = []
    for _ in range(resamples):
        indices = rng.integers(0, n, size=n)
        resampled = statistic([units[i] for i in indices])
        if resampled is not None:
            draws.append(resampled)
    if not draws:
        return Interval(value, None, None)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return Interval(value, float(low), float(high))


def mean_t_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> Interval:
    """Student-t interval for a mean over a few independent runs (e.g. seeds)."""
    n = len(values)
    if n == 0:
        return UNDEFINED
    mean = float(np.mean(values))
    if n == 1:
        return Interval(mean, None, None)
    sem = float(np.std(values, ddof=1)) / math.sqrt(n)
    half_width = scipy_stats.t.ppf(1 - (1 - confidence) / 2, df=n - 1) * sem
    return Interval(mean, mean - half_width, mean + half_width)


def paired_difference_interval(both: int, first_only: int, second_only: int, neither: int,
                               confidence: float = CONFIDENCE) -> Interval:
    """p(first) − p(second) for two binary outcomes on the same units, with Newcombe's hybrid score interval
    for paired proportions (Newcombe 1998, Stat. Med. 17:2635, method 10), which stays informative when no
    unit is discordant (where a t or bootstrap interval collapses to a point)."""
    n = both + first_only + second_only + neither
    if n <= 0:
        return UNDEFINED
    p1, p2 = (both + first_only) / n, (both + second_only) / n
    w1, w2 = wilson_interval(both + first_only, n, confidence), wilson_interval(both + second_only, n, confidence)
    assert w1.low is not None and w1.high is not None and w2.low is not None and w2.high is not None
    margins = (both + first_only) * (second_only + neither) * (both + second_only) * (first_only + neither)
    cross = both * neither - first_only * second_only
    if margins == 0:
        phi = 0.0
    else:  # φ with Newcombe's continuity correction when ad > bc
        phi = (max(cross - n / 2, 0.0) if cross > 0 else cross) / math.sqrt(margins)
    theta = p1 - p2
    delta = math.sqrt((p1 - w1.low) ** 2 - 2 * phi * (p1 - w1.low) * (w2.high - p2) + (w2.high - p2) ** 2)
    epsilon = math.sqrt((w1.high - p1) ** 2 - 2 * phi * (w1.high - p1) * (p2 - w2.low) + (p2 - w2.low) ** 2)
    return Interval(theta, max(-1.0, theta - delta), min(1.0, theta + epsilon))


def agreement(predicted: Sequence[str], reference: Sequence[str]) -> dict[str, float | int | None]:
    """Accuracy and Cohen's kappa (Cohen 1960) of a judge against reference labels.

    Predictions that are `unparsed` count as disagreements and are also reported separately.
    """
    if len(predicted) != len(reference):
        raise ValueError("predicted and reference labels differ in length")
    n = len(reference)
    if n == 0:
        return {"n": 0, "accuracy": None, "kappa": None, "unparsed": 0}
    labels = sorted(set(reference) | set(predicted))
    p_o = sum(a == b for a, b in zip(predicted, reference)) / n  # observed agreement
    p_e = sum((predicted.count(label) / n) * (reference.count(label) / n) for label in labels)  # chance
    kappa = (p_o - p_e) / (1 - p_e) if p_e < 1 else None  # κ = (p_o − p_e) / (1 − p_e)
    return {"n": n, "accuracy": p_o, "kappa": kappa, "unparsed": sum(label == "unparsed" for label in predicted)}
