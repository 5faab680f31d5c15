"""Judge validation records and the Rogan–Gladen correction, against hand-computed values."""

import pytest

from tony.core.judges import UNCERTAIN, UNPARSED
from tony.core.validation import MIN_YOUDEN, JudgeSpec, JudgeValidation, corrected_rate, measure, rogan_gladen


def validation(tp: int, fn: int, tn: int, fp: int) -> JudgeValidation:
    return JudgeValidation(judge="toy", test_file="toy.test.jsonl", sha256="0" * 64, measured="2026-11-29",
                           n=tp + fn + tn + fp, uncertain=0, unparsed=0, tp=tp, fn=fn, tn=tn, fp=fp,
                           accuracy=None, kappa=None)


def test_rogan_gladen_hand_computed():
    # π = (0.30 + 0.80 − 1) / (0.90 + 0.80 − 1) = 0.10 / 0.70
    assert rogan_gladen(0.30, 0.90, 0.80) == pytest.approx(0.142857, abs=1e-6)
    # a perfect judge changes nothing
    assert rogan_gladen(0.37, 1.0, 1.0) == pytest.approx(0.37)
    # observed below the false-positive floor (1 − Sp = 0.2): clipped to 0
    assert rogan_gladen(0.10, 0.90, 0.80) == 0.0
    # no better than chance: undefined
    assert rogan_gladen(0.5, 0.5, 0.5) is None


def test_sensitivity_and_specificity_from_counts():
    v = validation(tp=18, fn=2, tn=24, fp=6)
    assert v.sensitivity == pytest.approx(0.9)
    assert v.specificity == pytest.approx(0.8)
    # human rate (18 + 2) / 50 = 0.40; judged rate (18 + 6) / 50 = 0.48
    assert v.rates() == (pytest.approx(0.40), pytest.approx(0.48))
    assert "0.48 against the human-labelled 0.40" in v.summary()


def test_corrected_rate_point_and_interval():
    v = validation(tp=90, fn=10, tn=80, fp=20)  # Se 0.9, Sp 0.8
    result = corrected_rate(30, 100, v)
    assert result.interval.value == pytest.approx(0.142857, abs=1e-6)
    low, high = result.interval.low, result.interval.high
    assert 0.0 <= low < 0.142857 < high <= 0.40
    # the interval also carries the validation set's uncertainty: a smaller validation set widens it
    small = corrected_rate(30, 100, validation(tp=9, fn=1, tn=8, fp=2))
    assert (small.interval.high - small.interval.low) > (high - low)


def test_too_weak_judge_is_not_corrected():
    result = corrected_rate(30, 100, validation(tp=6, fn=4, tn=6, fp=4))  # Se 0.6 + Sp 0.6 − 1 = 0.2
    assert 0.2 < MIN_YOUDEN
    assert result.interval.value is None
    assert "too weak" in result.note


def test_no_validation_gives_no_correction():
    assert corrected_rate(3, 10, None).interval.value is None


def test_measure_counts_abstentions_apart():
    items = [{"id": i, "truth": t, "guess": g} for i, (t, g) in enumerate(
        [("yes", "yes"), ("yes", "no"), ("no", "no"), ("no", "yes"), ("yes", UNCERTAIN), ("no", UNPARSED)])]
    spec = JudgeSpec("toy", "toy judge", predict=lambda item: item["guess"], reference=lambda item: item["truth"],
                     positive=lambda label: label == "yes")
    result = measure(spec, items)
    assert (result["tp"], result["fn"], result["tn"], result["fp"]) == (1, 1, 1, 1)
    assert result["uncertain"] == 1 and result["unparsed"] == 1
    assert result["accuracy"] == pytest.approx(2 / 6)  # abstentions count as disagreements


def test_card_shows_the_complement_of_a_corrected_rate(monkeypatch):
    import tony.card.format as card_format

    monkeypatch.setattr(card_format, "judge_validation", lambda judge: validation(tp=90, fn=10, tn=80, fp=20))
    refusal = card_format.format_corrected(30, 100, "toy")
    not_overrefuse = card_format.format_corrected(30, 100, "toy", complement=True)
    assert refusal.startswith("0.14 [")
    assert not_overrefuse.startswith("0.86 [")  # 1 − 0.142857
    assert "LLM judge" in card_format.format_corrected(30, 100, "toy", offline=False)
