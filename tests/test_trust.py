"""The card's "How far to trust these numbers" table, on hand-made sources."""

from __future__ import annotations

import pytest

import tony.card.trust as trust
from tony.card.section import HeadlineMetric, Section
from tony.core.judges.judge_sources import JudgeSources
from tony.core.judges.validation import JudgeValidation


def record(judge: str, file: str, tp: int, fn: int, tn: int, fp: int, version: str = "1") -> JudgeValidation:
    n = tp + fn + tn + fp
    return JudgeValidation(judge, file, "0" * 64, "2026-12-01", n, 0, 0, tp, fn, tn, fp, (tp + tn) / n, 0.5,
                           version=version)


SOURCES = {
    # Se 23/58 = 0.397, Sp 49/57 = 0.860: J 0.257 -> only warns; an older version's record is history
    "weak": JudgeSources("weak", "2", [record("weak", "w.test2.jsonl", 23, 35, 49, 8, "2")],
                         [record("weak", "w.test.jsonl", 20, 38, 50, 7)], ["XSTest a.csv: not a source (trained on)"]),
    # four agreeing sources, Se 0.9, Sp 0.8: the correction held leave-one-source-out -> corrects
    "strong": JudgeSources("strong", "1", [record("strong", f"s.test{i}.jsonl", 90, 10, 80, 20) for i in ("", "2", "_b", "_c")]),
    # one source, J 0.7 -> bands from the raw rate
    "single": JudgeSources("single", "1", [record("single", "o.test.jsonl", 90, 10, 80, 20)]),
}


def section(*judges: str) -> Section:
    metrics = [HeadlineMetric(f"rate {j}", 0.3, 0.2, 0.4, 100, judge=j) for j in judges]
    return Section(task="t", title="<b>T</b>", headline="h", method="m", judge="j", columns=[], rows=[],
                   headline_metrics=[*metrics, HeadlineMetric("exact match", 0.5, 0.4, 0.6, 10)])


@pytest.fixture(autouse=True)
def fake_sources(monkeypatch):
    monkeypatch.setattr(trust, "sources_of", lambda judge: SOURCES[judge])


def test_rows_per_judge_and_source_with_its_use():
    rows = trust.trust_rows([section("weak", "strong"), section("single", "weak")])
    assert [(r.judge, r.version, r.source.removeprefix("frozen test set: ")) for r in rows] == [
        ("weak", "2", "w.test2.jsonl"), ("weak", "1", "w.test.jsonl"), ("weak", "2", "XSTest a.csv: not a source (trained on)"),
        ("strong", "1", "s.test.jsonl"), ("strong", "1", "s.test2.jsonl"), ("strong", "1", "s.test_b.jsonl"),
        ("strong", "1", "s.test_c.jsonl"), ("single", "1", "o.test.jsonl")]
    weak, history = rows[0], rows[1]
    assert weak.se == pytest.approx(23 / 58) and weak.sp == pytest.approx(49 / 57) and weak.n == 115
    assert weak.use == "only warns (pooled J 0.26 < 0.5); bands no area"
    assert history.use == "history (version 1; not used for version 2)"
    assert rows[3].use == "corrects (pooled J 0.70; correction held leave-one-source-out)"
    assert rows[7].use.startswith("bands from the raw rate (pooled J 0.70")


def test_html_is_escaped_markdown_and_json_agree():
    hostile = JudgeSources("single", "1", [record("single", "<script>x</script>.test.jsonl", 90, 10, 80, 20)])
    SOURCES_BACKUP = SOURCES["single"]
    SOURCES["single"] = hostile
    try:
        html = str(trust.trust_html([section("single")]))
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert 'id="card-trust"' in html and "How far to trust these numbers" in html
        markdown = trust.trust_markdown([section("single")])
        assert "## How far to trust these numbers" in markdown
        assert any("| single | 1 |" in line and "| 200 | 0.85 | 0.50 | 0.90 | 0.80 |" in line for line in markdown)
        assert trust.trust_json([section("single")])[0]["se"] == pytest.approx(0.9)
    finally:
        SOURCES["single"] = SOURCES_BACKUP


def test_no_offline_judge_no_table():
    assert trust.trust_rows([section()]) == []
    assert str(trust.trust_html([section()])) == ""


def test_card_html_and_markdown_carry_the_table(monkeypatch):
    from tony.card import render
    from tony.card.build import CardHeader

    fields = {name: None for name in CardHeader.__dataclass_fields__}
    header = CardHeader(**{**fields, "model": "m", "judges": ["offline"], "notes": [], "provenance": [],
                           "tokens": {"input": 0, "output": 0}, "wall_time_s": 0.0, "logs": [],
                           "failures": []})
    s = section("weak")
    s.registered, s.anchor = "", "t"
    html = render.render_html(header, [s], {}, [])
    markdown = render.render_markdown(header, [s], {}, [])
    assert 'id="card-trust"' in html and "## How far to trust these numbers" in markdown
    # the card opens with the scorecard, then the summary; the trust table follows them, before the contents
    order = [html.index(f'id="card-{part}"') for part in ("scorecard", "summary", "trust", "contents")]
    assert order == sorted(order), order
    order = [markdown.index(f"## {title}") for title in ("Scorecard", "Summary", "How far to trust", "Contents")]
    assert order == sorted(order), order


def test_judged_text_survives_pickling_with_its_judge():
    import pickle

    from tony.core.judges.judge_sources import JudgedText

    text = pickle.loads(pickle.dumps(JudgedText("0.40 [0.30, 0.50]", "sparrow_rules")))
    assert (str(text), text.judge) == ("0.40 [0.30, 0.50]", "sparrow_rules")


def test_a_bound_grader_gets_its_own_rows_and_the_offline_rows_say_they_are_not_used(monkeypatch):
    """With --judge M, M reads the rates of judges with an LLM form: the table shows M's measurement per source
    (before: only the offline judge's rows, as if it had judged)."""
    from tony.core.judges.grader_card import CardGrader, use_grader
    from tony.core.judges.judge_run_validation import GraderMeasurement

    monkeypatch.setattr(trust, "has_llm_form", lambda judge: judge == "single")
    measured = GraderMeasurement("scripted/m", {"single": [record("single", "o.test.jsonl", 16, 4, 18, 2)]})
    with use_grader(CardGrader("scripted/m", measured)):
        rows = trust.trust_rows([section("single", "weak")])
    single = [r for r in rows if r.judge.startswith("single")]
    assert [r.judge for r in single] == ["single", "single via LLM judge scripted/m"]
    assert single[0].use == "not used in this card: LLM judge scripted/m reads these rates"
    grader = single[1]
    assert (grader.n, grader.se, grader.sp) == (40, pytest.approx(16 / 20), pytest.approx(18 / 20))
    assert grader.use.startswith("bands from the raw rate (pooled J 0.70")  # one source: 0.8 + 0.9 − 1
    assert [r.use for r in rows if r.judge == "weak"][0].startswith("only warns")  # no LLM form: offline reads it

    with use_grader(CardGrader("scripted/m", None, skipped=True)):
        skipped = [r for r in trust.trust_rows([section("single")]) if " via " in r.judge]
    assert len(skipped) == 1 and skipped[0].use.startswith("not validated (LLM judge scripted/m: --skip-judge-validation")


def test_no_grader_rows_without_a_bound_grader():
    assert not [r for r in trust.trust_rows([section("single")]) if " via " in r.judge]
