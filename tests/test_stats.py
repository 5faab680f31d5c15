"""The shared statistics module against values computed by hand or with scipy."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from tony.core.stats import agreement, bootstrap_interval, mean_t_interval, wilson_interval


def test_wilson_matches_hand_computation():
    # 8 of 10 at 95%: z = 1.959964; centre = (0.8 + z²/20) / (1 + z²/10)
    z = 1.959963984540054
    centre = (0.8 + z**2 / 20) / (1 + z**2 / 10)
    half = z * math.sqrt(0.8 * 0.2 / 10 + z**2 / 400) / (1 + z**2 / 10)
    interval = wilson_interval(8, 10)
    assert interval.value == pytest.approx(0.8)
    assert interval.low == pytest.approx(centre - half)
    assert interval.high == pytest.approx(centre + half)
    assert interval.low == pytest.approx(0.4902, abs=1e-4)  # published table value
    assert interval.high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_edges():
    assert wilson_interval(0, 0).value is None
    zero = wilson_interval(0, 20)
    assert zero.low == 0.0 and 0 < zero.high < 0.2
    assert wilson_interval(20, 20).high == 1.0
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


def test_bootstrap_mean_close_to_normal_theory():
    rng = np.random.default_rng(1)
    data = list(rng.normal(10, 2, size=400))
    interval = bootstrap_interval(data, lambda xs: float(np.mean(xs)), seed=3)
    sem = np.std(data, ddof=1) / math.sqrt(len(data))
    assert interval.value == pytest.approx(np.mean(data))
    assert interval.low == pytest.approx(np.mean(data) - 1.96 * sem, abs=0.05)
    assert interval.high == pytest.approx(np.mean(data) + 1.96 * sem, abs=0.05)


def test_bootstrap_undefined_statistic():
    assert bootstrap_interval([], lambda xs: 1.0).value is None
    always_none = bootstrap_interval([1, 2, 3], lambda xs: None)
    assert always_none.value is None and always_none.low is None


def test_bootstrap_is_seeded():
    data = [0, 1, 1, 0, 1, 1, 1, 0]
    first = bootstrap_interval(data, lambda xs: sum(xs) / len(xs), seed=7)
    second = bootstrap_interval(data, lambda xs: sum(xs) / len(xs), seed=7)
    assert first == second


def test_t_interval_matches_scipy():
    values = [0.2, 0.4, 0.35, 0.5, 0.3]
    interval = mean_t_interval(values)
    low, high = scipy_stats.t.interval(0.95, df=4, loc=np.mean(values), scale=scipy_stats.sem(values))
    assert interval.low == pytest.approx(low) and interval.high == pytest.approx(high)


def test_agreement_kappa_by_hand():
    # 10 items; observed agreement 0.8; predicted yes 5/10, reference yes 5/10 -> p_e = 0.5; kappa = 0.6
    predicted = ["y", "y", "y", "y", "n", "n", "n", "n", "y", "n"]
    reference = ["y", "y", "y", "y", "n", "n", "n", "n", "n", "y"]
    result = agreement(predicted, reference)
    assert result["accuracy"] == pytest.approx(0.8)
    assert result["kappa"] == pytest.approx(0.6)


def test_agreement_counts_unparsed_as_disagreement():
    result = agreement(["unparsed", "y"], ["y", "y"])
    assert result["accuracy"] == 0.5 and result["unparsed"] == 1


def test_newcombe_paired_interval_by_hand():
    from tony.core.stats import paired_difference_interval

    # both 0, first only 2, second only 0, neither 2: p1 = 0.5, p2 = 0; Wilson 2/4 = [0.150039, 0.849961],
    # 0/4 = [0, 0.489891]; a margin is zero so φ = 0: δ = sqrt(0.349961² + 0.489891²) = 0.602051, ε = 0.349961.
    interval = paired_difference_interval(0, 2, 0, 2)
    assert interval.value == pytest.approx(0.5)
    assert interval.low == pytest.approx(0.5 - 0.602051, abs=1e-5)
    assert interval.high == pytest.approx(0.849961, abs=1e-5)
    assert paired_difference_interval(0, 0, 0, 0).value is None
