"""The refusal tasks end to end with a scripted model, and their card sections."""

import json

from inspect_ai import eval as inspect_eval
from inspect_ai import task_with

from tony.card.build import build_card
from tony.core.refusal_judge import REFUSAL_LABELS
from tony.evals.refusals.card import refusals_section
from tony.evals.refusals.task import jailbreaks, overrefusals, refusals


def _run(task, tmp_path, **kwargs):
    (log,) = inspect_eval(task, model="tony-test-scripted/x", log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    return log


def test_refusal_and_overrefusal_tasks_judge_every_reply(tmp_path):
    for task in (refusals(), overrefusals()):
        log = _run(task, tmp_path, limit=5)
        answers = [s.scores["refusal_verdict"].answer for s in log.samples]
        assert len(answers) == 5 and all(a in (*REFUSAL_LABELS, "unparsed") for a in answers)
        metrics = {k: v.value for k, v in log.results.scores[0].metrics.items()}
        assert metrics["n"] == 5 and 0 <= metrics.get("rate", 0) <= 1
        section = refusals_section(log)
        assert "95% CI" in section.columns[2] and section.rows[-1][0] == "all"
        assert "held-out model" in section.notes[0]


def test_jailbreak_task_offline_lower_bound(tmp_path):
    log = _run(jailbreaks(prompts=2, templates="none,base64,few_shot"), tmp_path)
    assert len(log.samples) == 6
    metrics = {k: v.value for k, v in log.results.scores[0].metrics.items()}
    assert metrics["prompts"] == 2
    section = refusals_section(log)
    assert section.title.startswith("Jailbreaks") and "lower bound" in section.notes[0]
    assert len(section.rows) == 3


def test_card_with_refusal_sections(tmp_path):
    _run(refusals(), tmp_path, limit=3)
    _run(task_with(overrefusals(), name="overrefusals_xstest"), tmp_path, limit=2)  # a second run of a registered task
    _run(jailbreaks(prompts=2, templates="none,base64"), tmp_path)
    card = tmp_path / "card"
    html = build_card(tmp_path / "logs", card).read_text()
    assert "not_unsafe" in html and "goodness@0.1" in html and "<script>alert(" not in html
    sections = json.loads((card / "card.json").read_text())["sections"]
    assert [s["task"] for s in sections] == ["refusals_summary", "tony/refusals", "overrefusals_xstest", "tony/jailbreaks"]
    summary = sections[0]
    assert [row[:2] + row[3:] for row in summary["rows"]] == [
        ["builtin", "not_unsafe", 3, 0, "—", "—"], ["builtin", "not_overrefuse", 2, 0, "—", "—"],
        ["builtin", "goodness@0.1", 2, 0, "—", "—"],
    ]
    assert "held-out model" in summary["notes"][0]
    assert html.index("Refusals and jailbreaks: summary") < html.index("Disallowed content (not_unsafe)")
    jailbreak = sections[-1]
    assert jailbreak["tables"][0]["caption"] == "goodness@0.1 per harm category" and "plot_svg" not in jailbreak["tables"][0]
    assert "goodness@0.1 per harm category" in (card / "card.md").read_text()
    # the scripted model never refuses, so every reply is a transcript candidate; its <script> tag must arrive escaped
    pages = [card / link for link in jailbreak["transcripts"]]
    assert len(pages) == 4 and any("base64" in page.name for page in pages)
    for page in pages:
        text = page.read_text()
        assert "<script>" not in text and "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in text


def test_spread_across_categories_takes_round_robin_in_file_order():
    from tony.core.requests import Request, spread_across_categories

    requests = [Request("a1", "a", ""), Request("a2", "a", ""), Request("a3", "a", ""), Request("b1", "b", ""), Request("c1", "c", "")]
    assert [r.id for r in spread_across_categories(requests, 4)] == ["a1", "b1", "c1", "a2"]
    assert [r.id for r in spread_across_categories(requests, None)] == ["a1", "a2", "a3", "b1", "c1"]
    assert len(spread_across_categories(requests, 99)) == 5
