"""Shared statistics for every tony evaluation: Wilson, bootstrap and clustered intervals.

Each evaluation reports its headline numbers with a 95% interval computed here, so
that two sections of a system card are always comparable.

Intervals from few independent units are not given: a bootstrap or a clustered interval over fewer than
`MIN_UNITS` units returns the value with no ends and the note `TOO_FEW_UNITS`, which the card prints and the
scorecard does not band (`tony.core.scorecard.band_interval`: no interval, not banded).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000
# The fewest independent units a bootstrap (or clustered) interval is given for. The percentile bootstrap of a mean
# is about x̄ ± z·s·√((n−1)/n)/√n (plug-in variance, normal quantile), so for normal data its coverage is
# P(|T_{n−1}| ≤ z·√((n−1)/n)) (Hesterberg 2015, "What teachers should know about the bootstrap", §4 narrowness
# bias): 0.75 at n = 3, 0.85 at 5, 0.898 at 9, 0.904 at 10. Ten is the smallest n at which a nominal 95% interval
# covers at least 90%; below it the interval would claim far more than it holds.
MIN_UNITS = 10
TOO_FEW_UNITS = "n too small for an interval"


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided confidence interval; None where undefined."""

    value: float | None
    low: float | None
    high: float | None
    note: str = ""  # why the ends are missing where the value is defined (e.g. TOO_FEW_UNITS)

    def as_dict(self) -> dict[str, float | None]:
        return {"value": self.value, "low": self.low, "high": self.high}


UNDEFINED = Interval(None, None, None)


def too_few_units(value: float | None, n: int) -> Interval:
    """The value without an interval, because n < MIN_UNITS independent units carry it."""
    return Interval(value, None, None, f"{TOO_FEW_UNITS}: {n} unit{'s' if n != 1 else ''}, fewer than {MIN_UNITS}")


def _z(confidence: float) -> float:
    return float(scipy_stats.norm.ppf(1 - (1 - confidence) / 2))


def _wilson(p_hat: float, trials: float, z: float) -> Interval:
    """Wilson (1927): (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)."""
    denominator = 1 + z**2 / trials
    centre = (p_hat + z**2 / (2 * trials)) / denominator
    half_width = z * math.sqrt(p_hat * (1 - p_hat) / trials + z**2 / (4 * trials**2)) / denominator
    return Interval(p_hat, max(0.0, centre - half_width), min(1.0, centre + half_width))


def wilson_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> Interval:
    """Wilson score interval for a binomial proportion (Wilson 1927)."""
    if trials <= 0:
        return UNDEFINED
    if not 0 <= successes <= trials:
        raise ValueError(f"successes={successes} must lie in [0, trials={trials}]")
    return _wilson(successes / trials, trials, _z(confidence))


def cluster_rate_interval(clusters: Sequence[tuple[int, int]], confidence: float = CONFIDENCE) -> Interval:
    """A rate over units that come in clusters (e.g. k continuations of one prompt, the transcripts of one item),
    with an interval that treats the clusters, not the units, as independent.

    For cluster i with y_i events among m_i units, p̂ = Σ y_i / Σ m_i (a ratio estimate) and its linearised
    variance V(p̂) = n/(n−1) · Σ_i (y_i − p̂ m_i)² / (Σ_i m_i)² (Cochran 1977, Sampling Techniques, §6.3 and
    §9.8, ratio estimate with clusters as units); the interval is p̂ ± z·√V, clipped to [0, 1]. Where the clusters
    show no spread (V = 0: every cluster the same share, in practice all 0 or all 1) √V says nothing, and the
    interval is Wilson's over the n clusters as if each were one unit (the bound when a cluster's units all agree).
    Fewer than MIN_UNITS clusters: the rate without an interval. Clusters with m_i = 0 are left out.
    """
    moments = _cluster_moments(clusters)
    if moments is None:
        return UNDEFINED
    p_hat, variance, n, _ = moments
    if n < MIN_UNITS:
        return too_few_units(p_hat, n)
    z = _z(confidence)
    if variance <= 1e-15:
        return _wilson(p_hat, n, z)
    half_width = z * math.sqrt(variance)
    return Interval(p_hat, max(0.0, p_hat - half_width), min(1.0, p_hat + half_width))


def _cluster_moments(clusters: Sequence[tuple[int, int]]) -> tuple[float, float, int, int] | None:
    """(p̂, V(p̂), clusters, units) of the ratio estimate, clusters with no units left out; None without units."""
    kept = [(y, m) for y, m in clusters if m > 0]
    if any(not 0 <= y <= m for y, m in kept):
        raise ValueError("each cluster needs 0 ≤ events ≤ units")
    total = sum(m for _, m in kept)
    if not total:
        return None
    p_hat = sum(y for y, _ in kept) / total
    n = len(kept)
    variance = n / (n - 1) * sum((y - p_hat * m) ** 2 for y, m in kept) / total**2 if n > 1 else 0.0
    return p_hat, variance, n, total


def cluster_effective_n(clusters: Sequence[tuple[int, int]]) -> float:
    """The number of independent units a clustered rate is worth: n_eff = p̂(1 − p̂) / V(p̂) (Kish 1965, Survey
    Sampling, §8.2: units over the design effect), between the number of clusters and the number of units; the
    number of clusters where V = 0 (as in `cluster_rate_interval`). For a judge-error correction's Beta draw."""
    moments = _cluster_moments(clusters)
    if moments is None:
        return 0.0
    p_hat, variance, n, total = moments
    if variance <= 1e-15:
        return float(n)
    return float(min(max(p_hat * (1 - p_hat) / variance, n), total))


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
    the statistic on the original units. Fewer than MIN_UNITS units: the value with
    no interval and the note TOO_FEW_UNITS (one unit gives [v, v], two [min, max]).
    """
    value = statistic(units) if len(units) else None
    if value is None:
        return UNDEFINED
    if len(units) < MIN_UNITS:
        return too_few_units(value, len(units))
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
