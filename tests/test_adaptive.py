"""tony.core.stats.adaptive (the calibrated sequential rule) and adaptive_stopping (Inspect's EarlyStopping, --ci-width)."""

from __future__ import annotations

import asyncio
import math
from types import SimpleNamespace

import numpy as np
import pytest
from inspect_ai import Task, eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import match
from scipy import stats as scipy_stats

from tests.scripted_model import RateModel
from tony.card.build import _annotated
from tony.card.section import Section
from tony.cli import EvalPlan, parser
from tony.core.stats.adaptive import SequentialRule, calibrated_z, profile, rate_grid, stopping_endpoints, wilson_bounds
from tony.core.stats.adaptive_stopping import HeadlineStopper, bernoulli, headline_value, stopping_note
from tony.core.stats.intervals import wilson_interval

Z95 = 1.959963984540054


def test_wilson_bounds_match_the_card_interval_away_from_the_edges() -> None:
    # k = 10 of n = 50 by hand: centre (0.2 + 3.8415/100) / 1.07683 = 0.21141, half-width 0.10381
    low, high = wilson_bounds(np.array([10]), 50, Z95)
    assert (low[0], high[0]) == pytest.approx((0.1124, 0.3304), abs=1e-4)
    card = wilson_interval(10, 50)
    assert (low[0], high[0]) == pytest.approx((card.low, card.high), abs=1e-9)


def test_counts_next_to_zero_get_the_exact_limit() -> None:
    # 1 of 40: Wilson's lower limit (0.0044) is far above the exact 1 − 0.975^(1/40) = 0.000633 (Brown et al. 2001)
    low, _ = wilson_bounds(np.array([1]), 40, Z95)
    assert low[0] == pytest.approx(1 - 0.975 ** (1 / 40), rel=1e-6)
    _, high = wilson_bounds(np.array([39]), 40, Z95)
    assert high[0] == pytest.approx(0.975 ** (1 / 40), rel=1e-6)


def test_profile_with_one_look_is_the_fixed_n_coverage() -> None:
    rates = np.array([0.1, 0.3])
    result = profile(Z95, 0.01, 20, 20, rates)  # min_n = max_n = 20: a fixed-size run
    k = np.arange(21)
    low, high = wilson_bounds(k, 20, Z95)
    for index, p in enumerate(rates):
        expected = scipy_stats.binom.pmf(k, 20, p)[(low <= p) & (p <= high)].sum()
        assert result.coverage[index] == pytest.approx(expected, abs=1e-12)
    assert result.expected_n == pytest.approx([20, 20])


def _independent_interval(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson (1927) written out again, with the Clopper–Pearson limit on a side where k or n − k is 1..3 and wider
    (Brown, Cai & DasGupta 2001): the simulation below shares no code with tony.core.stats.adaptive."""
    p_hat = k / n
    centre = (p_hat + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p_hat * (1 - p_hat) / n + z * z / (4 * n * n))
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    alpha = 2 * scipy_stats.norm.sf(z)
    if 1 <= k <= 3:
        low = min(low, float(scipy_stats.beta.ppf(alpha / 2, k, n - k + 1)))
    if 1 <= n - k <= 3:
        high = max(high, float(scipy_stats.beta.ppf(1 - alpha / 2, k + 1, n - k)))
    return low, high


def simulated_coverage(p: float, z: float, width: float, min_n: int, paths: int, seed: int = 0) -> float:
    """Monte-Carlo coverage of the sequential rule: `paths` Bernoulli(p) runs, each stopped at the first n ≥ min_n
    whose interval is at most `width` wide (every interval is that narrow by n = ⌈(z/width)²⌉, where all stop)."""
    max_n = math.ceil((z / width) ** 2)
    rng = np.random.default_rng(seed)
    k = np.zeros(paths, dtype=np.int64)
    covered = 0
    for n in range(1, max_n + 1):
        k += rng.random(k.size) < p
        if n < min_n:
            continue
        bounds = np.array([_independent_interval(j, n, z) for j in range(n + 1)])
        low, high = bounds[:, 0], bounds[:, 1]
        done = (high - low <= width)[k] | (n == max_n)
        covered += int(((low[k[done]] <= p) & (p <= high[k[done]])).sum())
        k = k[~done]
        if k.size == 0:
            break
    return covered / paths


def test_independent_interval_is_the_rules_interval() -> None:
    for k, n in ((0, 30), (2, 30), (34, 226), (224, 226), (113, 226)):
        low, high = wilson_bounds(np.array([k]), n, 2.1)
        assert (low[0], high[0]) == pytest.approx(_independent_interval(k, n, 2.1), abs=1e-12)


def test_coverage_holds_just_below_a_stopping_states_lower_end_by_simulation() -> None:
    """Issue 20 item 11: W 0.10, n_min 30. With z* = 2.1006 (calibrated on a grid without the stopping states' ends)
    the state n = 226, k = 34 stops with the interval [0.1072124, 0.2071], so at p just below 0.1072124 the
    coverage is 0.9487 < 0.95. A simulation that shares no code with the rule checks the calibrated z* there."""
    width, min_n = 0.10, 30
    low, _ = _independent_interval(34, 226, 2.1006)
    assert low == pytest.approx(0.1072124, abs=1e-7)  # the state, by the independent formula
    z = SequentialRule(width, min_n).z
    paths = 1_000_000
    standard_error = math.sqrt(0.95 * 0.05 / paths)  # 0.00022
    covered = simulated_coverage(0.1072124 - 1e-7, z, width, min_n, paths)
    assert covered >= 0.95 - 3 * standard_error  # z* = 2.1006 simulates to 0.9487 here


def test_the_dp_coverage_at_its_own_worst_grid_point_matches_a_simulation() -> None:
    width, min_n, max_n = 0.10, 30, 900
    z = calibrated_z(width, min_n, max_n)
    rates = rate_grid(min_n, width, z, max_n)
    exact = profile(z, width, min_n, max_n, rates)
    worst = int(np.argmin(exact.coverage))
    paths = 300_000
    standard_error = math.sqrt(0.95 * 0.05 / paths)
    covered = simulated_coverage(float(rates[worst]), z, width, min_n, paths, seed=1)
    assert covered == pytest.approx(exact.coverage[worst], abs=4 * standard_error)
    assert covered >= 0.95 - 4 * standard_error


def test_the_grid_holds_both_sides_of_every_reachable_stopping_end() -> None:
    # min_n = max_n = 3, W = 1: one look at n = 3; the ends of k = 0..3 at z = 1.96 by the independent formula
    ends = sorted({end for k in range(4) for end in _independent_interval(k, 3, Z95)} - {0.0, 1.0})
    grid = rate_grid(3, 1.0, Z95, 3)
    for end in ends:
        if end <= 0.5:
            assert np.isclose(grid, end - 1e-9, atol=1e-13).any() and np.isclose(grid, end + 1e-9, atol=1e-13).any()
    assert stopping_endpoints(Z95, 1.0, 3, 3) == pytest.approx(sorted({0.0, 1.0, *ends}), abs=1e-12)


def test_calibration_restores_coverage_that_looking_every_sample_loses() -> None:
    """At W 0.3, n_min 10, up to 60: stopping on a narrow z = 1.96 interval covers p = 0.3 only about 0.927 of the
    time (simulated, not by the DP under test); the calibrated z* covers it."""
    width, min_n, p, paths = 0.3, 10, 0.3, 200_000
    standard_error = math.sqrt(0.95 * 0.05 / paths)
    assert simulated_coverage(p, Z95, width, min_n, paths) < 0.95 - 10 * standard_error
    z = calibrated_z(width, min_n, 60)
    assert z > Z95
    assert simulated_coverage(p, z, width, min_n, paths) >= 0.95 - 3 * standard_error


def test_headline_value_reads_numbers_and_correct_incorrect_only() -> None:
    def scores(value: object) -> dict[str, object]:
        return {"judge": SimpleNamespace(score=SimpleNamespace(value=value))}

    assert headline_value(scores("C")) == ("judge", 1.0)
    assert headline_value(scores("I")) == ("judge", 0.0)
    assert headline_value(scores(0.25)) == ("judge", 0.25)
    for unreadable in ("full_refusal", "unparsed", 1.5, {"a": 1.0}):
        assert headline_value(scores(unreadable)) == ("judge", None)
    assert bernoulli(1.0, "x") == 1 and bernoulli(0.0, "x") == 0
    draws = [bernoulli(0.3, f"sample{i}") for i in range(4000)]
    assert abs(sum(draws) / 4000 - 0.3) < 0.03  # randomised rounding keeps the mean


def _scored(value: object) -> dict[str, object]:
    return {"match": SimpleNamespace(score=SimpleNamespace(value=value))}


def test_stopper_takes_outcomes_in_schedule_order_and_stops() -> None:
    async def run() -> HeadlineStopper:
        stopper = HeadlineStopper(0.3, min_n=10)
        await stopper.start_task(None, [None] * 60, 1)
        for i in range(10):
            assert await stopper.schedule_sample(i, 1) is None
        for i in range(1, 10):  # sample 0 is still running: nothing can be decided yet
            await stopper.complete_sample(i, 1, _scored("I"))
        assert stopper.decision is None
        await stopper.complete_sample(0, 1, _scored("I"))  # ten failures: [0, 0.31] at z* is not yet 0.3 wide
        i = 10
        while not stopper.stopped:
            assert await stopper.schedule_sample(i, 1) is None
            await stopper.complete_sample(i, 1, _scored("I"))
            i += 1
        assert (await stopper.schedule_sample(i, 1)).reason.startswith("stopped at n = ")
        return stopper

    stopper = asyncio.run(run())
    decision = stopper.decision
    assert decision is not None and decision.width <= 0.3 and decision.n < 60
    assert decision.low == 0.0 and decision.high == pytest.approx(decision.z**2 / (decision.n + decision.z**2))
    metadata = asyncio.run(stopper.complete_task())
    assert metadata["stopped"] and metadata["n"] == decision.n and metadata["score"] == "match"


def test_stopper_never_stops_on_a_score_it_cannot_read() -> None:
    async def run() -> dict[str, object]:
        stopper = HeadlineStopper(0.3, min_n=10)
        await stopper.start_task(None, [None] * 60, 1)
        for i in range(60):
            assert await stopper.schedule_sample(i, 1) is None
            await stopper.complete_sample(i, 1, _scored("full_refusal" if i == 3 else "I"))
        return await stopper.complete_task()

    metadata = asyncio.run(run())
    assert not metadata["stopped"] and "not a number in [0, 1]" in str(metadata["reason"])
    assert stopping_note(SimpleNamespace(manager="tony.adaptive", metadata=metadata)) == ""


def test_ci_width_must_be_a_proportion() -> None:
    assert parser().parse_args(["card", "--ci-width", "0.1", "--ci-min-n", "50"]).ci_width == 0.1
    for bad in ("0", "1.5", "-0.1"):
        with pytest.raises(SystemExit):
            parser().parse_args(["card", "--ci-width", bad])


def test_inspect_run_stops_early_and_the_card_says_why(tmp_path) -> None:
    planned, width = 120, 0.3
    dataset = MemoryDataset([Sample(input=f"Q{i}: yes or no?", target="yes", id=i) for i in range(planned)])
    task = Task(dataset=dataset, scorer=match(), early_stopping=HeadlineStopper(width, min_n=10), name="rate")
    RateModel.calls = 0
    log = eval(task, model="tony-test-rate/0.1", display="none", log_dir=str(tmp_path), max_connections=3)[0]
    assert log.status == "success"
    assert RateModel.calls == len(log.samples or []) < planned
    metadata = log.results.early_stopping.metadata
    assert metadata["stopped"] and metadata["n"] <= RateModel.calls <= metadata["n"] + 3  # at most 3 were running
    assert metadata["high"] - metadata["low"] <= width
    note = stopping_note(log.results.early_stopping)
    assert f"stopped at n = {metadata['n']} of {planned}" in note and f"{RateModel.calls} samples ran in all" in note
    section = _annotated(Section("rate", "Rate", "", "", "", [], []), [log])
    assert note in section.limited  # the card marks the section as a reduced run and says why


def test_rule_decides_at_max_n_even_when_wide() -> None:
    rule = SequentialRule(0.05, min_n=5, max_n=8)
    decision = rule.decide(4, 8)
    assert decision.stop and decision.width > 0.05
    assert not rule.decide(4, 7).stop
    assert math.isfinite(rule.z)


def test_ci_width_shuffles_a_runs_own_samples_and_attaches_the_stopper() -> None:
    fixed = EvalPlan("refusals", "refusals", {}, limit=12).inspect_task()
    reader = lambda score: 1.0  # noqa: E731
    plan = EvalPlan("refusals", "refusals", {}, limit=12, ci_width=0.2, ci_min_n=5, headline=reader)
    adaptive = plan.inspect_task()
    fixed_ids = [sample.id for sample in fixed.dataset[:12]]
    adaptive_ids = [sample.id for sample in adaptive.dataset]
    assert sorted(adaptive_ids, key=str) == sorted(fixed_ids, key=str) and adaptive_ids != fixed_ids
    assert isinstance(adaptive.early_stopping, HeadlineStopper) and adaptive.early_stopping.reader is reader
    assert EvalPlan("refusals", "refusals", {}, limit=12, whole=True, ci_width=0.2).inspect_task().early_stopping is None


def test_a_declared_headline_reader_replaces_the_default() -> None:
    def refused(score: object) -> float | None:
        value = getattr(score, "value")
        return None if value == "unparsed" else float(value == "full_refusal")

    assert headline_value(_scored("full_refusal"), refused) == ("match", 1.0)
    assert headline_value(_scored("full_compliance"), refused) == ("match", 0.0)
    assert headline_value(_scored("unparsed"), refused) == ("match", None)
