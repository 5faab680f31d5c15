"""The shared statistics module against values computed by hand or with scipy."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from tony.core.stats.intervals import agreement, bootstrap_interval, mean_t_interval, wilson_interval


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
    from tony.core.stats.intervals import paired_difference_interval

    # both 0, first only 2, second only 0, neither 2: p1 = 0.5, p2 = 0; Wilson 2/4 = [0.150039, 0.849961],
    # 0/4 = [0, 0.489891]; a margin is zero so φ = 0: δ = sqrt(0.349961² + 0.489891²) = 0.602051, ε = 0.349961.
    interval = paired_difference_interval(0, 2, 0, 2)
    assert interval.value == pytest.approx(0.5)
    assert interval.low == pytest.approx(0.5 - 0.602051, abs=1e-5)
    assert interval.high == pytest.approx(0.849961, abs=1e-5)
    assert paired_difference_interval(0, 0, 0, 0).value is None


def test_newcombe_paired_interval_published_example_with_positive_phi():
    from tony.core.stats.intervals import paired_difference_interval

    # Fagerland, Lydersen & Laake, "Statistical Analysis of Contingency Tables" (2017), ch. 8: complete response
    # before and after consolidation therapy (Cavo et al. 2012), table [[59, 6], [16, 80]]; the book prints the
    # Newcombe square-and-add interval as -0.0621 (95% CI -0.1186 to -0.0046).
    # By hand: n = 161, p1 = 65/161, p2 = 75/161; ad − bc = 4720 − 96 = 4624 > n/2, so
    # φ = (4624 − 80.5) / sqrt(65 · 96 · 75 · 86) = 4543.5 / 6344.0 = 0.71617.
    interval = paired_difference_interval(59, 6, 16, 80)
    assert interval.value == pytest.approx(-10 / 161)
    assert interval.low == pytest.approx(-0.1186, abs=5e-5)
    assert interval.high == pytest.approx(-0.0046, abs=5e-5)


def test_newcombe_paired_interval_with_negative_phi_by_hand():
    from tony.core.stats.intervals import paired_difference_interval

    # both 2, first only 10, second only 8, neither 0: n = 20, p1 = 12/20 = 0.6, p2 = 10/20 = 0.5.
    # Wilson 12/20 = [0.386582, 0.781193], 10/20 = [0.299298, 0.700702].
    # ad − bc = 0 − 80 < 0, so φ = −80 / sqrt(12 · 8 · 10 · 10) = −80 / 97.9796 = −0.816497 (no correction).
    # δ = sqrt(0.213418² + 2 · 0.816497 · 0.213418 · 0.200702 + 0.200702²) = 0.394684 -> low 0.1 − δ = −0.294684
    # ε = sqrt(0.200702² + 2 · 0.816497 · 0.200702 · 0.181193 + 0.181193²) = 0.364002 -> high 0.1 + ε = 0.464002
    interval = paired_difference_interval(2, 10, 8, 0)
    assert interval.value == pytest.approx(0.1)
    assert interval.low == pytest.approx(-0.294684, abs=2e-6)
    assert interval.high == pytest.approx(0.464002, abs=2e-6)
    # with φ = 0 the same margins would give sqrt(0.213418² + 0.200702²) = 0.292965: a negative φ widens the interval
    assert 0.1 - interval.low > 0.292965


# ---------------------------------------------------------------- clustered rates (issue 20 item 13)


def test_cluster_rate_interval_by_hand_100_prompts_by_4():
    from tony.core.stats.intervals import cluster_rate_interval

    # 100 prompts × 4 continuations, 10 prompts 4/4 toxic, 90 prompts 0/4: p̂ = 40/400 = 0.1.
    # Residuals y_i − p̂·m_i: 3.6 for 10 prompts, −0.4 for 90; Σ r² = 10·12.96 + 90·0.16 = 144.
    # V = n/(n−1) · Σ r² / (Σ m)² = 100/99 · 144 / 160000 = 9.0909e-4; SE = 0.0301511;
    # 1.959964 · SE = 0.0590951 -> [0.0409049, 0.1590951] (Wilson over the 400 as if independent: [0.074, 0.133]).
    clusters = [(4, 4)] * 10 + [(0, 4)] * 90
    interval = cluster_rate_interval(clusters)
    assert interval.value == pytest.approx(0.1)
    assert interval.low == pytest.approx(0.0409049, abs=1e-6)
    assert interval.high == pytest.approx(0.1590951, abs=1e-6)
    naive = wilson_interval(40, 400)
    assert naive.low == pytest.approx(0.0742, abs=5e-4) and naive.high == pytest.approx(0.1333, abs=5e-4)


def test_cluster_rate_interval_unequal_clusters_by_hand():
    from tony.core.stats.intervals import cluster_rate_interval

    # 12 prompts: sizes 2 and 3 alternating (Σ m = 30), events 1,0,2,0,1,0,2,0,1,0,2,0 (Σ y = 9): p̂ = 0.3.
    clusters = [(1, 2), (0, 3), (2, 3), (0, 2), (1, 2), (0, 3), (2, 3), (0, 2), (1, 2), (0, 3), (2, 3), (0, 2)]
    # r = y − 0.3 m: (1,2) 0.4 ×3; (0,3) −0.9 ×3; (2,3) 1.1 ×3; (0,2) −0.6 ×3
    # Σ r² = 3·(0.16 + 0.81 + 1.21 + 0.36) = 7.62; V = 12/11 · 7.62 / 900 = 0.00923636; SE = 0.0961060
    # half = 1.959964 · 0.0961060 = 0.1883643 -> [0.1116357, 0.4883643]
    interval = cluster_rate_interval(clusters)
    assert interval.value == pytest.approx(0.3)
    assert interval.low == pytest.approx(0.1116357, abs=1e-6)
    assert interval.high == pytest.approx(0.4883643, abs=1e-6)


def test_cluster_rate_interval_without_spread_is_wilson_over_the_clusters():
    from tony.core.stats.intervals import cluster_rate_interval

    # 20 prompts × 3, none toxic: the linearised variance is 0; the interval counts each prompt once:
    # Wilson 0/20 upper = z²/(20 + z²) = 3.841459/23.841459 = 0.1611248 (not Wilson 0/60's 0.0601).
    interval = cluster_rate_interval([(0, 3)] * 20)
    assert interval.value == 0.0 and interval.low == 0.0
    assert interval.high == pytest.approx(0.1611248, abs=1e-6)
    full = cluster_rate_interval([(3, 3)] * 20)
    assert full.value == 1.0 and full.high == 1.0 and full.low == pytest.approx(1 - 0.1611248, abs=1e-6)


def test_cluster_rate_interval_needs_enough_clusters():
    from tony.core.stats.intervals import MIN_UNITS, TOO_FEW_UNITS, cluster_rate_interval

    few = cluster_rate_interval([(1, 4), (0, 4), (2, 4)])
    assert few.value == pytest.approx(0.25) and few.low is None and few.high is None
    assert TOO_FEW_UNITS in few.note and "3" in few.note
    assert cluster_rate_interval([]).value is None
    assert cluster_rate_interval([(0, 0)] * MIN_UNITS).value is None  # nothing decided
    with pytest.raises(ValueError):
        cluster_rate_interval([(3, 2)] * MIN_UNITS)


# ---------------------------------------------------------------- too few units for a bootstrap (issue 20 item 14)


def test_minimum_units_is_the_smallest_n_whose_percentile_bootstrap_of_a_mean_covers_90_percent():
    from tony.core.stats.intervals import MIN_UNITS

    # The percentile bootstrap of a mean of normal data is x̄ ± z·s·√((n−1)/n)/√n, so its coverage is
    # P(|T_{n−1}| ≤ z·√((n−1)/n)): 0.8982 at n = 9, 0.9041 at n = 10.
    def coverage(n: int) -> float:
        return 1 - 2 * scipy_stats.t.sf(1.959963984540054 * math.sqrt((n - 1) / n), n - 1)

    assert coverage(9) == pytest.approx(0.8982, abs=1e-4) and coverage(10) == pytest.approx(0.9041, abs=1e-4)
    assert MIN_UNITS == 10


def test_bootstrap_below_the_minimum_gives_the_value_and_no_interval():
    from tony.core.stats.intervals import TOO_FEW_UNITS

    one = bootstrap_interval([0.4], lambda xs: sum(xs) / len(xs))
    assert (one.value, one.low, one.high) == (0.4, None, None)
    two = bootstrap_interval([0.2, 0.6], lambda xs: sum(xs) / len(xs))
    assert two.value == pytest.approx(0.4) and two.low is None and two.high is None
    assert two.note == f"{TOO_FEW_UNITS}: 2 units, fewer than 10"
    nine = bootstrap_interval(list(range(9)), lambda xs: sum(xs) / len(xs))
    assert nine.low is None
    ten = bootstrap_interval(list(range(10)), lambda xs: sum(xs) / len(xs))
    assert ten.low is not None and ten.high is not None and ten.note == ""


def test_an_interval_without_ends_is_not_banded_by_the_scorecard():
    from tony.core.scorecard import Thresholds, band_interval

    few = bootstrap_interval([0.2, 0.6], lambda xs: sum(xs) / len(xs))
    level = band_interval(few.value, few.low, few.high, Thresholds("test", "test", True, (0.1, 0.3), "test"))
    assert not level.banded and level.text() == "not banded (no interval)"



def test_the_card_prints_why_an_interval_is_missing():
    from tony.card.format import format_ci

    assert format_ci(bootstrap_interval([0.2, 0.6], lambda xs: sum(xs) / len(xs))) == (
        "0.40 (n too small for an interval: 2 units, fewer than 10)")
    assert format_ci(wilson_interval(8, 10)) == "0.80 [0.49, 0.94]"


def test_cluster_effective_n_by_hand():
    from tony.core.stats.intervals import cluster_effective_n

    # 100 prompts × 4, 20 of them 2/4: p̂ = 0.1, Σ r² = 20·1.6² + 80·0.4² = 64, V = 100/99 · 64/160000 = 4.0404e-4,
    # p̂(1 − p̂)/V = 0.09 / 4.0404e-4 = 222.75 (design effect 400/222.75 = 1.80)
    assert cluster_effective_n([(2, 4)] * 20 + [(0, 4)] * 80) == pytest.approx(222.75)
    # 10 of them 4/4: 0.09 / 9.0909e-4 = 99.0, below the 100 prompts a perfect within-prompt agreement leaves: 100
    assert cluster_effective_n([(4, 4)] * 10 + [(0, 4)] * 90) == pytest.approx(100.0)
    # independent-looking clusters cannot count more than the units: 1 event spread one per prompt over 20 × 2
    # gives p̂ = 10/40, Σ r² = 10·0.5² + 10·0.5² = 5, V = 20/19 · 5/1600 = 0.0032895, p̂(1−p̂)/V = 57.0 -> capped at 40
    assert cluster_effective_n([(1, 2)] * 10 + [(0, 2)] * 10) == pytest.approx(40.0)
    # no spread: the clusters count once each
    assert cluster_effective_n([(0, 3)] * 20) == pytest.approx(20.0)
    assert cluster_effective_n([]) == 0.0
