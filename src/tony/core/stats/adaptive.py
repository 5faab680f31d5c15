"""Adaptive sample size: stop an evaluation once its headline 95% interval is narrower than a target width.

The sequential rule (after Frey 2010, "Fixed-width sequential confidence intervals for a proportion", The American
Statistician 64(3), who tunes the nominal level of such a rule by its exact coverage): after every sample from the n_min-th on, compute the Wilson interval of the headline rate with
a critical value z*; stop as soon as it is at most w wide (or when the run's samples are exhausted), and report that
interval. Looking after every sample and stopping on a narrow interval would let a plain z = 1.96 interval cover less
than 95% of the time (it stops when p̂ happens to lie far from 1/2), so z* is *calibrated*: the coverage
P_p(p ∈ interval at the stopping time) of the whole procedure is computed exactly, by dynamic programming over the
binomial paths, for a grid of true rates p, and z* is the smallest critical value whose minimum coverage over that
grid is at least 1 − α. Coverage is Σ over stopping states (n, k) of P_p(stop at (n, k)) · 1[L(n, k) ≤ p ≤ U(n, k)]:
smooth in p except where p crosses a state's end L or U, where it jumps (down just outside the end). So the grid
holds, besides a dense base grid, the points just either side (± 1e-9) of every reachable stopping state's two
ends: the coverage is checked at each jump, not only at the base points. The stated coverage therefore holds for
this stopping rule at every rate checked, not only asymptotically (as it would for Chow & Robbins 1965 with z = 1.96);
between the checked points it can differ only through the smooth part, which the dense base grid follows.

It needs outcomes in random order, one at a time: `tony card --ci-width` shuffles each run's samples (fixed seed)
and the stopper (`adaptive_stopping.HeadlineStopper`) takes outcomes in the order their samples were scheduled,
waiting for the earlier ones, so concurrency cannot let short (e.g. refused) replies arrive first. A score in [0, 1]
that is not 0 or 1 is turned into a Bernoulli outcome with that probability (randomised rounding, seeded by the
sample id), which keeps the mean and so the coverage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats as scipy_stats

CONFIDENCE = 0.95
DEFAULT_MIN_N = 30
SMALL_COUNT = 3  # counts this close to 0 or n get the exact limit on that side (Brown, Cai & DasGupta 2001)
GRID_POINTS = 240  # true rates in (0, 1/2] at which the coverage is computed (the rule is symmetric in p ↔ 1 − p)
EPSILON = 1e-9  # how far either side of a stopping interval's end the grid checks the coverage


def wilson_bounds(successes: np.ndarray, n: int, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (Wilson 1927) for k successes of n at critical value z, vectorised over k."""
    p_hat = successes / n
    denominator = 1 + z**2 / n
    centre = (p_hat + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(p_hat * (1 - p_hat) / n + z**2 / (4 * n**2)) / denominator
    low, high = np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
    # Brown, Cai & DasGupta 2001 (§4.1.1): Wilson's limit next to 0 or n successes is far too tight; for k ≤ 3
    # (and n − k ≤ 3) take the exact (Clopper–Pearson) limit on that side where it is wider.
    alpha = 2 * scipy_stats.norm.sf(z)
    few = (successes >= 1) & (successes <= SMALL_COUNT)
    if few.any():
        exact = scipy_stats.beta.ppf(alpha / 2, successes[few], n - successes[few] + 1)
        low[few] = np.minimum(low[few], exact)
    failures = n - successes
    few = (failures >= 1) & (failures <= SMALL_COUNT)
    if few.any():
        exact = scipy_stats.beta.ppf(1 - alpha / 2, successes[few] + 1, failures[few])
        high[few] = np.maximum(high[few], exact)
    return low, high


def stop_n_cap(width: float, z: float) -> int:
    """The n by which every Wilson interval at z is at most `width` wide (its widest, at p̂ = 1/2, is < z/√n)."""
    return max(1, math.ceil((z / width) ** 2))


def stopping_endpoints(z: float, width: float, min_n: int, max_n: int) -> np.ndarray:
    """The interval ends (low and high) of every reachable stopping state (n, k) of the rule: those where a path
    that has not stopped before n arrives and the Wilson(z) interval is at most `width` wide (or n = max_n)."""
    max_n = min(max_n, stop_n_cap(width, z))
    reachable = np.ones(1, dtype=bool)  # n = 0: k = 0
    ends: list[np.ndarray] = []
    for n in range(1, max_n + 1):
        grown = np.zeros(n + 1, dtype=bool)
        grown[:-1] |= reachable
        grown[1:] |= reachable
        if n < min_n:
            reachable = grown
            continue
        low, high = wilson_bounds(np.arange(n + 1), n, z)
        stop = (high - low <= width) | (n == max_n)
        ends += [low[grown & stop], high[grown & stop]]
        reachable = grown & ~stop
    return np.unique(np.concatenate(ends)) if ends else np.zeros(0)


def rate_grid(min_n: int, width: float, z: float, max_n: int) -> np.ndarray:
    """True rates at which coverage is checked: a grid dense near 0, plus the points just either side (± EPSILON) of
    every reachable stopping state's interval ends, where coverage jumps (it dips just outside an end)."""
    base = 0.5 * np.linspace(0.0, 1.0, GRID_POINTS + 1)[1:] ** 1.5
    ends = stopping_endpoints(z, width, min_n, max_n)
    near = np.concatenate([ends - EPSILON, ends + EPSILON])
    return np.unique(np.concatenate([base, near[(near > 0) & (near <= 0.5)]]))


@dataclass(frozen=True)
class RuleProfile:
    """Exact operating characteristics of the sequential rule at each true rate p."""

    rates: np.ndarray
    coverage: np.ndarray  # P_p(p in the reported interval)
    expected_n: np.ndarray  # E_p[samples used]


def profile(z: float, width: float, min_n: int, max_n: int, rates: np.ndarray) -> RuleProfile:
    """Coverage and expected sample size of 'stop at the first n ≥ min_n whose Wilson(z) interval is ≤ width wide,
    or at max_n', by dynamic programming over P_p(k successes at n, not yet stopped). Only the span of k that a
    path not yet stopped can reach is carried (`first` is its smallest k)."""
    max_n = min(max_n, stop_n_cap(width, z))
    p, q = rates[:, None], 1 - rates[:, None]
    alive, first = np.ones((len(rates), 1)), 0  # n = 0: k = 0 with probability 1
    coverage = np.zeros(len(rates))
    expected_n = np.zeros(len(rates))
    for n in range(1, max_n + 1):
        grown = np.zeros((len(rates), alive.shape[1] + 1))  # k = first .. first + span
        grown[:, 1:] = alive * p
        grown[:, :-1] += alive * q
        alive = grown
        if n < min_n:
            continue
        k = np.arange(first, first + alive.shape[1])
        low, high = wilson_bounds(k, n, z)
        stop = (high - low <= width) | (n == max_n)
        if stop.any():
            stopped = alive[:, stop]
            coverage += (stopped * ((low[stop] <= p) & (p <= high[stop]))).sum(axis=1)
            expected_n += n * stopped.sum(axis=1)
            alive[:, stop] = 0.0
            going = np.flatnonzero(~stop)
            if going.size == 0:
                break
            alive, first = alive[:, going[0]:going[-1] + 1], first + int(going[0])
    return RuleProfile(rates, coverage, expected_n)


@lru_cache(maxsize=64)
def calibrated_z(width: float, min_n: int, max_n: int, confidence: float = CONFIDENCE) -> float:
    """Frey's calibration: the smallest critical value z* (to 0.002) whose sequential rule covers every rate of the
    grid with probability ≥ `confidence`."""
    nominal = float(scipy_stats.norm.ppf(1 - (1 - confidence) / 2))

    def covers(z: float) -> bool:
        rates = rate_grid(min_n, width, z, max_n)
        return bool(profile(z, width, min_n, max_n, rates).coverage.min() >= confidence)

    low, high = nominal, nominal
    while not covers(high):
        low, high = high, high + 0.25
    if high == nominal:
        return nominal
    while high - low > 0.002:
        middle = (low + high) / 2
        low, high = (low, middle) if covers(middle) else (middle, high)
    return round(high, 4)


@dataclass(frozen=True)
class Decision:
    """Where the rule stands after n outcomes."""

    stop: bool
    n: int
    successes: float
    low: float
    high: float
    z: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class SequentialRule:
    """The calibrated rule for one run: target width, minimum n, the run's sample count and the coverage."""

    width: float
    min_n: int = DEFAULT_MIN_N
    max_n: int = 10**6
    confidence: float = CONFIDENCE

    @property
    def z(self) -> float:
        return calibrated_z(self.width, self.min_n, min(self.max_n, self._cap()), self.confidence)

    def _cap(self) -> int:
        # beyond this n the rule has always stopped (z* < 3 for confidences up to 99%), so longer runs share z*
        return stop_n_cap(self.width, 3.0)

    def decide(self, successes: int, n: int) -> Decision:
        z = self.z
        low, high = (float(b[0]) for b in wilson_bounds(np.array([successes]), n, z)) if n else (0.0, 1.0)
        stop = n >= self.max_n or (n >= self.min_n and high - low <= self.width)
        return Decision(stop, n, successes, low, high, z)
