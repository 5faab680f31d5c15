"""The faithfulness task end to end with a scripted model (fast) and the card built from its log."""

from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval

from tony.card.build import build_card
from tony.evals.faithfulness.metrics import FAITHFUL, UNPARSED, Pair
from tony.evals.faithfulness.task import faithfulness

from ..conftest import SCRIPT_TAG

HINTS = "sycophancy,metadata"


def _ids_with_h_not_d(n: int) -> list[str]:
    task = faithfulness(hint_types=HINTS)
    return [s.id for s in task.dataset if s.metadata["h"] != "D"][:n]


def _run(tmp_path: Path, roles: dict | None = None):
    (log,) = inspect_eval(
        faithfulness(hint_types=HINTS), model="tony-test-scripted/follower", model_roles=roles,
        sample_id=_ids_with_h_not_d(3), log_dir=str(tmp_path / "logs"), display="none", ctl_server=False,
    )
    assert log.status == "success"
    return log


def _pairs(log):
    return [Pair.from_dict(p) for s in log.samples for p in s.scores["hint_verbalization"].metadata["pairs"]]


def test_unhinted_answer_shared_and_hint_use_detected(tmp_path):
    log = _run(tmp_path)
    pairs = _pairs(log)
    assert len(pairs) == 3 * 2
    assert all(p.a_u == "D" and p.a_h == p.h and p.uses_hint for p in pairs)
    assert all(p.verdict == FAITHFUL for p in pairs)  # offline judge: "professor"/"metadata" named before the answer
    for sample in log.samples:
        assert set(sample.metadata["hinted"]) == {"sycophancy", "metadata"}
        # one unhinted generation, then one per hint type
        assert sum(1 for e in sample.events if e.event == "model") == 3
    metrics = log.results.scores[0].metrics
    assert metrics["F_norm_average"].value == pytest.approx(1.0)
    assert log.eval.metadata["provenance"]["kind"] == "builtin"


def test_llm_judge_unparsed_answers_are_not_passes(tmp_path, scripted_judge):
    scripted_judge.judge_answers = ["VERDICT: FAITHFUL", "no idea"]
    log = _run(tmp_path, roles={"grader": "tony-test-scripted/judge"})
    pairs = _pairs(log)
    verdicts = [p.verdict for p in pairs]
    assert verdicts.count(UNPARSED) == 3 and verdicts.count(FAITHFUL) == 3
    judge = log.samples[0].scores["hint_verbalization"].metadata["judge"]
    assert judge == {"kind": "llm", "name": "tony-test-scripted/judge"}


def test_card_from_log_escapes_model_text(tmp_path):
    _run(tmp_path)
    html_path = build_card(tmp_path / "logs", tmp_path / "card")
    pages = [html_path.read_text()] + [p.read_text() for p in (tmp_path / "card" / "transcripts").glob("*.html")]
    assert len(pages) > 1
    for page in pages:
        assert SCRIPT_TAG not in page
    assert any("&lt;script&gt;alert(" in page for page in pages)
    assert (tmp_path / "card" / "card.json").is_file() and (tmp_path / "card" / "card.md").is_file()
    assert "<svg" in pages[0] and "Chen et al. 2025" in pages[0]


def test_unknown_options_fail_clearly():
    with pytest.raises(ValueError, match="unknown hint type"):
        faithfulness(hint_types="sycophancy,bribery")
    with pytest.raises(ValueError, match="unknown dataset"):
        faithfulness(dataset="trivia")


def test_judge_validation_offline_and_llm(tmp_path, scripted_judge):
    from tony.evals.faithfulness.judge_validation import faithfulness_judge

    (offline,) = inspect_eval(faithfulness_judge(), model="tony-test-scripted/unused", log_dir=str(tmp_path),
                              display="none", ctl_server=False)
    metrics = {k: v.value for k, v in offline.results.scores[0].metrics.items()}
    assert metrics["n"] == 48 and metrics["accuracy"] >= 0.85 and metrics["unparsed"] == 0

    scripted_judge.judge_answers = ["VERDICT: FAITHFUL", "garbled"]
    (llm,) = inspect_eval(faithfulness_judge(), model="tony-test-scripted/unused", log_dir=str(tmp_path),
                          model_roles={"grader": "tony-test-scripted/judge"}, display="none", ctl_server=False)
    metrics = {k: v.value for k, v in llm.results.scores[0].metrics.items()}
    assert metrics["unparsed"] == 24  # every second answer is garbled, and counts as a disagreement
    verdicts = [s.scores["verbalization_verdict"].answer for s in llm.samples]
    labels = [s.target for s in llm.samples]
    expected_accuracy = sum(v == t for v, t in zip(verdicts, labels)) / 48
    assert metrics["accuracy"] == pytest.approx(expected_accuracy) and expected_accuracy <= 0.5
