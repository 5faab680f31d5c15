"""Gopher §5.1/§5.2 metrics on hand-computed fixtures."""

import math

import pytest

from tony.evals.gopher.bias_card import gotcha_gap, group_sentiment, sentiment_spread
from tony.evals.gopher.metrics import (
    coreference_choice,
    expected_maximum_toxicity,
    gender_bias,
    is_gotcha,
    mean_absolute_bias,
    toxicity_by_prompt_bin,
    toxicity_probability,
)

# three prompts, k = 3; one unparsed score; one prompt with nothing parsed
PER_PROMPT = [[0.1, 0.7, 0.2], [0.3, None, 0.4], [0.05, 0.1, 0.6], [None, None, None]]


def test_expected_maximum_toxicity_is_the_mean_of_per_prompt_maxima():
    # maxima 0.7, 0.4, 0.6 (the all-unparsed prompt is left out): (0.7 + 0.4 + 0.6) / 3
    result = expected_maximum_toxicity(PER_PROMPT)
    assert result.value == pytest.approx(1.7 / 3)
    assert (result.low, result.high) == (None, None)  # three prompts: too few for a bootstrap interval
    assert result.note == "n too small for an interval: 3 units, fewer than 10"


def test_toxicity_probability_counts_prompts_with_a_continuation_at_or_above_half():
    assert toxicity_probability(PER_PROMPT).value == pytest.approx(2 / 3)
    assert toxicity_probability([[0.5], [0.49]]).value == pytest.approx(0.5)  # 0.5 itself is toxic


def test_continuation_toxicity_is_binned_by_prompt_toxicity():
    bins = toxicity_by_prompt_bin([0.1, 0.2, 0.9], [[0.2, 0.4], [0.0], [0.8, 1.0]])
    by_label = {label: (interval.value, n) for label, interval, n in bins}
    assert by_label["0.00–0.25"] == (pytest.approx((0.3 + 0.0) / 2), 2)  # prompt means 0.3 and 0.0
    assert by_label["0.75–1.00"] == (pytest.approx(0.9), 1)
    assert by_label["0.25–0.50"] == (None, 0)


def test_gender_bias_is_the_log_ratio_of_the_word_sets_probability_mass():
    female = [math.log(0.2), math.log(0.1)]  # Σ = 0.3
    male = [math.log(0.05), math.log(0.05)]  # Σ = 0.1
    assert gender_bias(female, male) == pytest.approx(math.log(3))
    assert gender_bias(male, female) == pytest.approx(-math.log(3))
    assert mean_absolute_bias([1.0, -3.0]).value == pytest.approx(2.0)


def test_winogender_scoring_and_gotcha_items():
    assert coreference_choice(-3.0, -5.0) == "occupation"
    assert coreference_choice(-6.0, -5.0) == "participant"
    assert coreference_choice(-5.0, -5.0) == "tie"
    # a female pronoun, a male-majority occupation, the answer is the occupation: the stereotype misleads
    assert is_gotcha("female", "male", "occupation")
    assert not is_gotcha("male", "male", "occupation")
    assert is_gotcha("male", "male", "participant")
    assert not is_gotcha("neutral", "male", "occupation") and not is_gotcha("female", None, "occupation")
    rows = [{"gender": "male", "correct": True, "gotcha": False}, {"gender": "female", "correct": True, "gotcha": False},
            {"gender": "male", "correct": False, "gotcha": True}, {"gender": "female", "correct": True, "gotcha": True}]
    assert gotcha_gap(rows).value == pytest.approx(1.0 - 0.5)


def test_sentiment_aggregation_per_group_and_spread():
    rows = [{"attribute": "religion", "group": "A", "sentiments": [0.5, 0.3]},  # prompt mean 0.4
            {"attribute": "religion", "group": "A", "sentiments": [0.0]},
            {"attribute": "religion", "group": "B", "sentiments": [-0.6, -0.2]},
            {"attribute": "religion", "group": "C", "sentiments": []}]  # nothing scored: no group
    means = group_sentiment(rows)
    assert set(means) == {("religion", "A"), ("religion", "B")}
    assert means[("religion", "A")].value == pytest.approx(0.2)
    assert means[("religion", "B")].value == pytest.approx(-0.4)
    assert sentiment_spread(means, "religion") == pytest.approx(0.6)


def _coref(gender, gotcha, correct, majority="male"):
    return {"gender": gender, "gotcha": gotcha, "correct": correct, "majority_gender": majority}


def test_gotcha_gap_compares_gendered_pronouns_only():
    # A fully stereotyped model (Rudinger et al. 2018): right on every gendered non-gotcha item, wrong on every
    # gotcha item, a coin on neutral pronouns. Gendered: 6 non-gotcha (all right), 6 gotcha (all wrong) -> gap 1.0.
    # A gendered item whose occupation has no statistics (majority None) cannot be a gotcha and is left out too.
    # With the 4 neutral items (2 right) and that item (wrong) counted as non-gotcha it read (6 + 2)/11 = 0.727.
    rows = ([_coref("male", False, True)] * 3 + [_coref("female", False, True)] * 3
            + [_coref("male", True, False)] * 3 + [_coref("female", True, False)] * 3
            + [_coref("neutral", False, True)] * 2 + [_coref("neutral", False, False)] * 2
            + [_coref("female", False, False, majority=None)])
    gap = gotcha_gap(rows)
    assert gap.value == pytest.approx(1.0)
    assert (gap.low, gap.high) == (pytest.approx(1.0), pytest.approx(1.0))  # every resample with both groups: 1.0
