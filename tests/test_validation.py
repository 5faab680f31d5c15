"""Judge validation records and the Rogan–Gladen correction, against hand-computed values."""

import pytest

from tony.core.judges.grader import UNCERTAIN, UNPARSED
from tony.core.judges.validation import MIN_YOUDEN, JudgeSpec, JudgeValidation, corrected_rate, measure, rogan_gladen


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

    # four agreeing sources (Se 900.5/1001, Sp 800.5/1001 by the random effect): the correction held
    # leave-one-source-out, so it is printed first: (0.30 + 0.79970 − 1) / 0.69960 = 0.1425
    three = [validation(tp=900, fn=100, tn=800, fp=200)] * 4
    monkeypatch.setattr(card_format, "judge_records", lambda judge: three)
    refusal = card_format.format_corrected(30, 100, "toy")
    not_overrefuse = card_format.format_corrected(30, 100, "toy", complement=True)
    assert refusal.startswith("0.14 [")
    assert not_overrefuse.startswith("0.86 [")  # 1 − 0.1425
    assert refusal.judge == "toy"
    assert "LLM judge" in card_format.format_corrected(30, 100, "toy", offline=False)


def test_card_prints_the_raw_rate_first_for_a_judge_with_one_source(monkeypatch):
    import tony.card.format as card_format

    monkeypatch.setattr(card_format, "judge_records", lambda judge: [validation(tp=90, fn=10, tn=80, fp=20)])
    text = card_format.format_corrected(30, 100, "toy")
    assert text.startswith("0.30 [")  # raw 30/100, not the single-source correction 0.14
    assert "raw judged rate" in text and "corrected would read 0.14" in text


def test_headline_metric_names_the_offline_judge_behind_its_rate(monkeypatch):
    import tony.card.format as card_format
    from tony.card.section import HeadlineMetric
    from tony.core.stats.intervals import wilson_interval

    monkeypatch.setattr(card_format, "judge_records", lambda judge: [validation(tp=90, fn=10, tn=80, fp=20)])
    metric = HeadlineMetric.of("rate", wilson_interval(30, 100), 100, corrected=card_format.format_corrected(30, 100, "toy"))
    assert metric.judge == "toy"
    llm = HeadlineMetric.of("rate", wilson_interval(30, 100), 100,
                            corrected=card_format.format_corrected(30, 100, "toy", offline=False))
    assert llm.judge == ""


# ---------------------------------------------------------------- several sources: random effects and the policy

from tony.core.stats.judge_correction import (  # noqa: E402
    SourceCounts,
    correction_holds,
    judged_rate,
    loso_cases,
    random_effect,
)


def test_random_effect_two_disagreeing_sources_by_hand():
    # 8/10 and 2/10: y = ±ln(8.5/2.5) = ±1.223775, v = 1/8.5 + 1/2.5 = 0.517647, w = 1.931818
    # Q = 2 w y² = 5.786283; Σw − Σw²/Σw = 1.931818; τ² = (5.786283 − 1)/1.931818 = 2.477606
    # μ̂ = 0; SE(μ̂)² = 1/Σw* = (v + τ²)/2 = 1.497626
    effect = random_effect([8, 2], [10, 10])
    assert effect.k == 2
    assert effect.tau2 == pytest.approx(2.477606, abs=1e-5)
    assert effect.mu == pytest.approx(0.0, abs=1e-12)
    assert effect.se_mu ** 2 == pytest.approx(1.497626, abs=1e-5)
    assert effect.mean == pytest.approx(0.5)


def test_random_effect_agreeing_sources_have_no_between_source_variance():
    # 8/10 twice: Q = 0 so τ² = 0; μ̂ = 1.223775, SE = sqrt(1/(2 × 1.931818)) = 0.508747
    effect = random_effect([8, 8], [10, 10])
    assert effect.tau2 == 0.0
    assert effect.mu == pytest.approx(1.223775, abs=1e-6)
    assert effect.se_mu == pytest.approx(0.508747, abs=1e-6)
    assert effect.mean == pytest.approx(8.5 / 10.0 / (8.5 / 10.0 + 2.5 / 10.0))  # expit(μ̂) = 8.5/11 = 0.772727


SAME = SourceCounts("s", tp=90, fn=10, tn=80, fp=20)


def test_four_agreeing_sources_correct_and_print_the_correction_first():
    sources = [SourceCounts(f"s{i}", 90, 10, 80, 20) for i in range(4)]
    # each held out: human 100/200 = 0.50, judged 110/200 = 0.55; others' Se = 90.5/101, Sp = 80.5/101
    # corrected (0.55 + 0.797030 − 1) / 0.693069 = 0.500714: nearer than 0.55
    cases = loso_cases(sources)
    assert [round(c.corrected, 6) for c in cases] == [0.500714] * 4
    assert correction_holds(sources)  # |0.500714 − 0.5| ≤ 0.5 × |0.55 − 0.5| in every case
    assert not correction_holds(sources[:3])  # three sources are too few to show it
    result = judged_rate(30, 100, sources)
    assert result.corrected and not result.weak
    assert result.first.value == pytest.approx(0.14, abs=1e-6)  # (0.3 + 0.797030 − 1) / 0.693069
    assert result.raw.value == pytest.approx(0.30)
    # the printed interval is the union of the raw interval and the correction's predictive interval
    assert result.first.low <= 0.14 and result.first.high >= result.raw.high


def test_one_source_prints_the_raw_rate_with_a_judge_error_band():
    result = judged_rate(30, 100, [SAME])
    assert not result.corrected and not result.weak  # J = 0.9 + 0.8 − 1 = 0.7
    assert result.first.value == pytest.approx(0.30)
    assert result.first.low <= 0.14 and result.first.high >= result.raw.high  # band reaches the correction
    assert "too few sources" in result.note


def test_correction_that_fails_leave_one_source_out_is_not_printed_first():
    a, b = SourceCounts("a", 45, 5, 45, 5), SourceCounts("b", 45, 5, 45, 5)
    c = SourceCounts("c", 20, 30, 45, 5)  # Se 0.4 on this source
    # c held out: human 0.50, judged 25/100 = 0.25; with a and b (Se = Sp = 45.5/51 = 0.892157):
    # (0.25 + 0.892157 − 1) / 0.784314 = 0.18125, farther from 0.50 than 0.25
    held_c = [case for case in loso_cases([a, b, c]) if case.held_out == "c"][0]
    assert held_c.corrected == pytest.approx(0.18125, abs=1e-5)
    assert held_c.corrected_farther
    result = judged_rate(30, 100, [a, b, c])
    assert not result.corrected and result.first.value == pytest.approx(0.30)


def test_interval_widens_when_sources_disagree():
    agree = [SourceCounts(f"s{i}", 35, 15, 45, 5) for i in range(2)]  # Se 0.7 on both
    disagree = [SourceCounts("x", 45, 5, 45, 5), SourceCounts("y", 25, 25, 45, 5)]  # Se 0.9 and 0.5: same pooled
    narrow, wide = judged_rate(30, 100, agree).first, judged_rate(30, 100, disagree).first
    assert (wide.high - wide.low) > (narrow.high - narrow.low) + 0.05


def test_weak_judge_warns_and_is_never_corrected():
    result = judged_rate(30, 100, [SourceCounts(f"s{i}", 12, 8, 14, 6) for i in range(3)])  # Se 0.6, Sp 0.7: J 0.3
    assert result.weak and not result.corrected
    assert result.first.value == pytest.approx(0.30)
    assert "WARNING" in result.note
