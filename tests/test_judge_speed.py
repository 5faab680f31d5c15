"""Offline judges' speed changes (issue 22 item 4) that must leave every number as it was."""

import math

import numpy as np
import pytest

from tony.core.judges.offline_classifier import HASH_DIM, CalibratedJudge, Features, hashed_ngrams, sigmoid
from tony.core.judges.refusal_features import featurize

TEXT = "I'm sorry, but I can't help with that. You could ask a locksmith instead."


def test_features_of_a_repeated_text_are_computed_once_and_cannot_be_changed():
    first = featurize(TEXT)
    again = featurize(TEXT)
    assert all(a is b for a, b in zip(first, again, strict=True))  # the same arrays: served from the cache
    for array in first:
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0.0
    # a text that differs only in case or quotes is featurised on its own, and the cue vector still ends in the bias
    other = featurize(TEXT.upper())
    assert other[0] is not first[0] and other[2][-1] == 1.0


def test_calibrated_probability_is_exactly_the_per_feature_sum():
    rng = np.random.default_rng(7)
    weights = rng.normal(size=HASH_DIM + 3)
    judge = CalibratedJudge(weights, (1.3, -0.2))
    row = Features(hashed_ngrams(["i", "cannot", "help", "with", "that"], "w"), np.array([0.5, 2.0, 1.0]))
    # the formula as written before the speed change, numpy scalars summed left to right
    score = sum(weights[i] * v for i, v in row.hashed.items()) + float(row.dense @ weights[HASH_DIM:])
    assert judge.probability(row) == float(sigmoid(1.3 * score - 0.2))
    assert hashed_ngrams([], "w") == {}
    # hand-computed: five unigrams and four bigrams, each 1/sqrt(9) (no collisions among these nine)
    assert sorted(hashed_ngrams(["i", "cannot", "help", "with", "that"], "w").values()) == [pytest.approx(1 / 3)] * 9
    assert math.isclose(sum(v * v for v in row.hashed.values()), 1.0)
