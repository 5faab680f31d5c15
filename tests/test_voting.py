"""Majority vote with ties and unparsed samples, and weighted voting (hand-computed fixtures)."""

import pytest

from tony.core.stats.voting import majority_vote, weighted_vote


def test_majority_counts_unparsed_samples_in_k():
    vote = majority_vote(["7", None, "7", "5"])
    assert vote.answer == "7" and vote.votes == 2 and vote.share == pytest.approx(0.5) and not vote.is_tie


def test_a_tie_goes_to_the_answer_seen_first_and_is_reported():
    vote = majority_vote(["5", "7", "7", "5", None])
    assert vote.answer == "5" and vote.tied == ("5", "7") and vote.share == pytest.approx(0.4)


def test_no_parsed_answer():
    vote = majority_vote([None, None])
    assert vote.answer is None and vote.share == 0.0
    assert majority_vote([]).answer is None


def test_weighted_vote_sums_weights_per_answer():
    # a* = argmax_a Σ w_i [a_i = a]: "3" has 0.4 + 0.3 = 0.7 against "9"'s 0.6, though "9" has the single best score
    vote = weighted_vote(["9", "3", "3", None], [0.6, 0.4, 0.3, 0.9])
    assert vote.answer == "3" and vote.votes == pytest.approx(0.7) and vote.share == pytest.approx(0.7 / 2.2)
    with pytest.raises(ValueError):
        weighted_vote(["1"], [0.1, 0.2])
