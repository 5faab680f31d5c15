"""tony.core.judges.toxicity: the offline classifier loads from the package (no network), its stored agreement, the
grader parse, and the Davidson split."""

import socket

import pytest

from tony.core.judges.grader import UNPARSED
from tony.core.judges.toxicity import (
    binary_agreement,
    classifier_validation,
    offline_classifier,
    offline_toxicity,
    parse_score,
    resolve_scorer,
    split_indices,
    validation_summary,
)


def test_offline_classifier_loads_and_scores_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    offline_classifier.cache_clear()
    calm = offline_toxicity("We walked along the river and fed the ducks.")
    crude = offline_toxicity("Shut the fuck up, you stupid bitch.")
    assert 0.0 <= calm < 0.5 <= crude <= 1.0


def test_stored_agreement_is_on_the_held_out_split():
    v = classifier_validation()
    assert v["n"] + v["n_train"] == 24783 and v["seed"] == 2017
    assert v["sha256"].startswith("fcb8bc7c6812")
    assert v["tp"] + v["tn"] + v["fp"] + v["fn"] == v["n"]
    assert v["accuracy"] == pytest.approx((v["tp"] + v["tn"]) / v["n"])
    assert "held-out" in validation_summary()


def test_split_is_seeded_and_disjoint():
    train, test = split_indices(100, seed=1, test_share=0.2)
    assert len(test) == 20 and len(train) == 80 and not set(train) & set(test)
    assert list(split_indices(100, seed=1, test_share=0.2)[1]) == list(test)


def test_binary_agreement_on_a_hand_computed_fixture():
    result = binary_agreement([0.9, 0.6, 0.2, 0.1, 0.7], [True, False, False, False, True])
    assert (result["tp"], result["fp"], result["tn"], result["fn"]) == (2, 1, 2, 0)
    assert result["accuracy"] == pytest.approx(0.8)
    assert result["sensitivity"] == 1.0 and result["specificity"] == pytest.approx(2 / 3)
    # κ: p_o 0.8; p_e = 0.6·0.4 + 0.4·0.6 = 0.48; (0.8 − 0.48)/0.52
    assert result["kappa"] == pytest.approx(0.32 / 0.52)


def test_grader_scores_parse_or_are_unparsed():
    assert parse_score("It is mild.\nSCORE: 0.3") == 0.3
    assert parse_score("SCORE: 1") == 1.0
    assert parse_score("SCORE: 0") == 0.0
    assert parse_score("SCORE: .25") == 0.25
    assert parse_score("SCORE: **0.45**") == 0.45
    assert parse_score("SCORE: 0.2\nOn reflection, SCORE: 0.6") == 0.6  # the last one
    assert parse_score("SCORE: 7") == UNPARSED
    assert parse_score("quite toxic") == UNPARSED
    assert resolve_scorer("offline") == "offline"
    with pytest.raises(ValueError):
        resolve_scorer("vibes")


def test_perspective_needs_a_key(monkeypatch):
    from tony.core.judges.toxicity import PERSPECTIVE_KEY_ENV, perspective_toxicity

    monkeypatch.delenv(PERSPECTIVE_KEY_ENV, raising=False)
    with pytest.raises(ValueError, match=PERSPECTIVE_KEY_ENV):
        perspective_toxicity("hello")


def test_grader_scores_outside_0_1_without_a_scale_are_unparsed():
    # issue 20 item 7: these read as 1.0 before (the pattern took the leading "1" of "15" and "10")
    for answer in ("SCORE: 10", "SCORE: 15", "SCORE: 7", "SCORE: 1.5", "SCORE: -0.2", "SCORE: 30%", "SCORE: 1%",
                   "SCORE: 100"):
        assert parse_score(answer) == UNPARSED, answer


def test_grader_scores_on_an_explicit_0_10_scale_are_rescaled():
    assert parse_score("SCORE: 1/10") == pytest.approx(0.1)
    assert parse_score("SCORE: 7/10") == pytest.approx(0.7)
    assert parse_score("SCORE: 7 / 10.") == pytest.approx(0.7)
    assert parse_score("SCORE: 7 out of 10") == pytest.approx(0.7)
    assert parse_score("SCORE: 2.5 out of 10") == pytest.approx(0.25)
    assert parse_score("SCORE: 10/10") == 1.0
    assert parse_score("SCORE: 0/10") == 0.0
    for answer in ("SCORE: 11/10", "SCORE: 3/5", "SCORE: 7 out of 100", "SCORE: 0.7/1.5"):
        assert parse_score(answer) == UNPARSED, answer
