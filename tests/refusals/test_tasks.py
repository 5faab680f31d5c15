"""The refusal tasks end to end with a scripted model, and their card sections."""

from inspect_ai import eval as inspect_eval

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
    _run(jailbreaks(prompts=1, templates="none,rot13"), tmp_path)
    html = build_card(tmp_path / "logs", tmp_path / "card").read_text()
    assert "not_unsafe" in html and "goodness@0.1" in html and "<script>alert(" not in html


def test_spread_across_categories_takes_round_robin_in_file_order():
    from tony.evals.refusals.requests import Request, spread_across_categories

    requests = [Request("a1", "a", ""), Request("a2", "a", ""), Request("a3", "a", ""), Request("b1", "b", ""), Request("c1", "c", "")]
    assert [r.id for r in spread_across_categories(requests, 4)] == ["a1", "b1", "c1", "a2"]
    assert [r.id for r in spread_across_categories(requests, None)] == ["a1", "a2", "a3", "b1", "c1"]
    assert len(spread_across_categories(requests, 99)) == 5
