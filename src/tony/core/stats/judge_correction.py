"""A judged rate corrected for its judge's errors only where the correction holds across text sources.

A judge's sensitivity Se and specificity Sp differ between text sources (one model's refusals are easier to read
than another's), so one validation set's Se/Sp is not the truth for the card's replies. Each class's accuracy is
modelled with a random effect over the judge's sources (DerSimonian & Laird 1986, Control Clin Trials 7:177), on
the logit scale with the ½ continuity correction:

    y_i = logit((x_i + ½) / (m_i + 1)),   v_i = 1/(x_i + ½) + 1/(m_i − x_i + ½)
    w_i = 1/v_i,  ȳ = Σ w_i y_i / Σ w_i,  Q = Σ w_i (y_i − ȳ)²
    τ² = max(0, (Q − (k − 1)) / (Σ w_i − Σ w_i² / Σ w_i))
    μ̂ = Σ w*_i y_i / Σ w*_i with w*_i = 1/(v_i + τ²),   SE(μ̂)² = 1 / Σ w*_i

and a NEW source's Se (or Sp) is drawn from the predictive distribution logit Se_new ~ N(μ̂, τ² + SE(μ̂)²)
(Higgins, Thompson & Spiegelhalter 2009, J R Stat Soc A 172:137). The Rogan–Gladen estimator
(Rogan & Gladen 1978, Am J Epidemiol 107:71), π̂ = (p̂ + Sp − 1) / (Se + Sp − 1), is recomputed for each draw of
(p̂ from its Jeffreys Beta, Se_new, Sp_new): the interval widens when the sources disagree (τ² grows).

What the card prints first (`judged_rate`):
  * the corrected value only where the judge has ≥ `MIN_SOURCES_TO_CORRECT` decided sources per class that agree (τ² ≤
    `MAX_TAU2_TO_CORRECT`), a pooled Youden J = Se + Sp − 1 ≥ `MIN_YOUDEN_TO_TRUST`, and leave-one-source-out
    evidence (`loso_cases`) that the correction at least halved the error against every held-out source's human
    rate;
  * otherwise the raw judged rate.
Its interval is always the union of the raw sampling interval (Wilson) and the correction's interval (the
predictive one with ≥ 2 sources per class; with fewer, a single-source Jeffreys-Beta band, called the judge-error
band), so it covers the human rate whether or not the correction is right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tony.core.stats.intervals import BOOTSTRAP_RESAMPLES, CONFIDENCE, Interval, wilson_interval

MIN_SOURCES = 2  # decided sources per class needed for a between-source (random-effects) model
MIN_SOURCES_TO_CORRECT = 4  # per class: with 3, leave-one-source-out passed by chance (bench/judge_correction.py)
MAX_TAU2_TO_CORRECT = 0.1  # between-source variance (logit scale) above which sources disagree too much to correct
LOSO_GAIN = 0.5  # every held-out source's corrected error must be at most this share of its raw error
MIN_YOUDEN_TO_TRUST = 0.5  # below this pooled J, a judge's rate is printed with a warning and bands no scorecard area


@dataclass(frozen=True)
class SourceCounts:
    """One independent source's confusion counts of a judge against human labels (abstentions left out)."""

    source: str
    tp: int
    fn: int
    tn: int
    fp: int

    @property
    def decided(self) -> int:
        return self.tp + self.fn + self.tn + self.fp

    def human_rate(self) -> float | None:
        return (self.tp + self.fn) / self.decided if self.decided else None

    def judged_rate(self) -> float | None:
        return (self.tp + self.fp) / self.decided if self.decided else None


@dataclass(frozen=True)
class RandomEffect:
    """One class's accuracy (Se or Sp) over k sources, DerSimonian–Laird on the logit scale."""

    k: int
    mu: float  # μ̂ on the logit scale
    se_mu: float  # SE(μ̂)
    tau2: float  # between-source variance τ²

    @property
    def mean(self) -> float:
        return float(1 / (1 + np.exp(-self.mu)))

    def predictive(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draws of a new source's accuracy: expit(N(μ̂, τ² + SE(μ̂)²))."""
        return 1 / (1 + np.exp(-rng.normal(self.mu, np.sqrt(self.tau2 + self.se_mu ** 2), size)))


def random_effect(successes: Sequence[int], totals: Sequence[int]) -> RandomEffect | None:
    """DerSimonian–Laird random effect of per-source proportions x_i/m_i (sources with m_i = 0 left out)."""
    pairs = [(x, m) for x, m in zip(successes, totals) if m > 0]
    if not pairs:
        return None
    x = np.array([p[0] for p in pairs], dtype=float)
    m = np.array([p[1] for p in pairs], dtype=float)
    y = np.log((x + 0.5) / (m - x + 0.5))
    w = 1 / (1 / (x + 0.5) + 1 / (m - x + 0.5))
    k = len(pairs)
    tau2 = 0.0
    if k > 1:
        q = float(np.sum(w * (y - np.sum(w * y) / np.sum(w)) ** 2))
        tau2 = max(0.0, (q - (k - 1)) / float(np.sum(w) - np.sum(w ** 2) / np.sum(w)))
    w_star = 1 / (1 / w + tau2)
    return RandomEffect(k, float(np.sum(w_star * y) / np.sum(w_star)), float(np.sqrt(1 / np.sum(w_star))), tau2)


def rogan_gladen(observed: float, sensitivity: float, specificity: float) -> float | None:
    """π̂ = (p̂ + Sp − 1) / (Se + Sp − 1), clipped to [0, 1] (Rogan & Gladen 1978); None where Se + Sp ≤ 1."""
    youden = sensitivity + specificity - 1
    if youden <= 0:
        return None
    return min(1.0, max(0.0, (observed + specificity - 1) / youden))


def pooled(sources: Sequence[SourceCounts]) -> tuple[float | None, float | None, float | None]:
    """(Se, Sp, Youden J) with every source's counts summed."""
    tp, fn = sum(s.tp for s in sources), sum(s.fn for s in sources)
    tn, fp = sum(s.tn for s in sources), sum(s.fp for s in sources)
    se = tp / (tp + fn) if tp + fn else None
    sp = tn / (tn + fp) if tn + fp else None
    return se, sp, (se + sp - 1 if se is not None and sp is not None else None)


def _percentile_interval(draws: np.ndarray, confidence: float) -> tuple[float, float]:
    """Percentile interval of RG draws; NaN draws (J ≤ 0: any rate fits) stretch it to [0, 1] when they exceed
    the tail share on their own."""
    tail = (1 - confidence) / 2
    undefined = float(np.mean(np.isnan(draws)))
    if undefined > tail:
        return 0.0, 1.0
    low, high = np.nanpercentile(draws, [tail * 100, 100 - tail * 100])
    return float(low), float(high)


def correction_interval(events: int, n: int, sources: Sequence[SourceCounts], confidence: float = CONFIDENCE,
                        resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0) -> tuple[Interval, str] | None:
    """The Rogan–Gladen point and interval for events/n: predictive over sources with ≥ MIN_SOURCES per class,
    else the single-pool Jeffreys-Beta band; None when a class has no decided item at all."""
    pos = [s for s in sources if s.tp + s.fn]
    neg = [s for s in sources if s.tn + s.fp]
    if not pos or not neg or n <= 0:
        return None
    rng = np.random.default_rng(seed)
    p_draws = rng.beta(events + 0.5, n - events + 0.5, resamples)
    if len(pos) >= MIN_SOURCES and len(neg) >= MIN_SOURCES:
        se_effect = random_effect([s.tp for s in pos], [s.tp + s.fn for s in pos])
        sp_effect = random_effect([s.tn for s in neg], [s.tn + s.fp for s in neg])
        assert se_effect is not None and sp_effect is not None
        se_point, sp_point = se_effect.mean, sp_effect.mean
        se_draws, sp_draws = se_effect.predictive(rng, resamples), sp_effect.predictive(rng, resamples)
        how = (f"predictive over {len(pos)}/{len(neg)} sources (τ² Se {se_effect.tau2:.2f}, "
               f"Sp {sp_effect.tau2:.2f})")
    else:
        se_point, sp_point, _ = pooled(sources)
        assert se_point is not None and sp_point is not None
        tp, fn = sum(s.tp for s in sources), sum(s.fn for s in sources)
        tn, fp = sum(s.tn for s in sources), sum(s.fp for s in sources)
        se_draws = rng.beta(tp + 0.5, fn + 0.5, resamples)
        sp_draws = rng.beta(tn + 0.5, fp + 0.5, resamples)
        how = f"judge-error band from {len(sources)} source(s), too few to model between-source variation"
    youden = se_draws + sp_draws - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        draws = np.where(youden > 0, np.clip((p_draws + sp_draws - 1) / youden, 0.0, 1.0), np.nan)
    low, high = _percentile_interval(draws, confidence)
    return Interval(rogan_gladen(events / n, se_point, sp_point), low, high), how


@dataclass(frozen=True)
class LosoCase:
    """One held-out source: the correction made with the other sources, against its human rate."""

    held_out: str
    human: float
    raw: float
    corrected: float | None

    @property
    def corrected_farther(self) -> bool:
        return self.corrected is not None and abs(self.corrected - self.human) > abs(self.raw - self.human) + 1e-12

    @property
    def clearly_better(self) -> bool:
        """The correction at most halved the raw error (a bare "not farther" passed by chance in simulation)."""
        return self.corrected is not None and abs(self.corrected - self.human) <= LOSO_GAIN * abs(self.raw - self.human)


def loso_cases(sources: Sequence[SourceCounts]) -> list[LosoCase]:
    """Leave-one-source-out: each source with both classes, corrected with the others' Se/Sp (random effect)."""
    cases = []
    for index, held in enumerate(sources):
        if not (held.tp + held.fn and held.tn + held.fp):
            continue
        others = [s for i, s in enumerate(sources) if i != index]
        judged, human = held.judged_rate(), held.human_rate()
        assert judged is not None and human is not None
        result = correction_interval(held.tp + held.fp, held.decided, others, resamples=200)
        cases.append(LosoCase(held.source, human, judged, result[0].value if result else None))
    return cases


def correction_holds(sources: Sequence[SourceCounts]) -> bool:
    """Whether leave-one-source-out says the correction helps: ≥ MIN_SOURCES_TO_CORRECT sources per class (so
    every held-out correction has a between-source model and there are enough cases), the sources agree (τ² ≤ MAX_TAU2_TO_CORRECT for Se and Sp),
    and every held-out case's corrected error at most LOSO_GAIN × its raw error."""
    pos = [s for s in sources if s.tp + s.fn]
    neg = [s for s in sources if s.tn + s.fp]
    if len(pos) < MIN_SOURCES_TO_CORRECT or len(neg) < MIN_SOURCES_TO_CORRECT:
        return False
    se_effect = random_effect([s.tp for s in pos], [s.tp + s.fn for s in pos])
    sp_effect = random_effect([s.tn for s in neg], [s.tn + s.fp for s in neg])
    if se_effect is None or sp_effect is None or max(se_effect.tau2, sp_effect.tau2) > MAX_TAU2_TO_CORRECT:
        return False
    cases = loso_cases(sources)
    return bool(cases) and all(case.clearly_better for case in cases)


@dataclass(frozen=True)
class JudgedRate:
    """A judged rate as the card prints it: `first` (raw or corrected), its interval, and how it was made."""

    raw: Interval  # events/n with its Wilson interval
    first: Interval  # the figure printed first, with the union interval
    corrected: bool  # whether `first` is the correction
    weak: bool  # pooled J below MIN_YOUDEN_TO_TRUST (or not measured): warn, band no scorecard area
    note: str


def judged_rate(events: int, n: int, sources: Sequence[SourceCounts], confidence: float = CONFIDENCE,
                seed: int = 0) -> JudgedRate:
    """What the card prints for `events` of `n` judged positive, given the judge's validation sources."""
    raw = wilson_interval(events, n, confidence) if n > 0 else Interval(None, None, None)
    se, sp, youden = pooled(sources)
    weak = youden is None or youden < MIN_YOUDEN_TO_TRUST
    if n <= 0:
        return JudgedRate(raw, raw, False, weak, "no judged items")
    result = correction_interval(events, n, sources, confidence, seed=seed)
    if result is None:
        return JudgedRate(raw, raw, False, True, "raw judged rate; the judge has no validation source with both "
                                                 "classes, so its errors are unknown")
    fix, how = result
    assert raw.low is not None and raw.high is not None and fix.low is not None and fix.high is not None
    low, high = min(raw.low, fix.low), max(raw.high, fix.high)
    strength = f"pooled Se {se:.2f}, Sp {sp:.2f}, J {youden:.2f} over {len(sources)} source(s)"
    if weak:
        note = (f"raw judged rate; WARNING: a weak judge ({strength} < {MIN_YOUDEN_TO_TRUST}), not corrected, "
                f"interval with its judge-error band ({how})")
        return JudgedRate(raw, Interval(raw.value, low, high), False, True, note)
    if fix.value is not None and correction_holds(sources):
        return JudgedRate(raw, Interval(fix.value, low, high), True, False,
                          f"Rogan–Gladen corrected (raw {raw.value:.2f}); {strength}; interval {how} ∪ raw")
    why = ("leave-one-source-out does not show the correction helping" if len(sources) >= MIN_SOURCES_TO_CORRECT
           else "too few sources to show a correction helps")
    corrected = "" if fix.value is None else f"; corrected would read {fix.value:.2f}"
    return JudgedRate(raw, Interval(raw.value, low, high), False, False,
                      f"raw judged rate ({why}{corrected}); {strength}; interval raw ∪ {how}")
