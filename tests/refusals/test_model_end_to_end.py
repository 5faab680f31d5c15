"""Refusals and jailbreaks on the embedded model, end to end to the card: every reply judged, nothing errored."""

import json

import pytest
from inspect_ai import eval as inspect_eval

from tony.card.build import build_card
from tony.core.judges.grader import UNPARSED
from tony.core.judges.refusal_judge import REFUSAL_LABELS
from tony.evals.refusals.strongreject import JudgedCompletion
from tony.evals.refusals.task import jailbreaks, refusals

pytestmark = pytest.mark.model
MODEL = "tony-gguf/smollm2"
# One llama.cpp thread: on a shared, busy machine two OpenMP threads contending for two cores ran this test
# 20x slower (about 65 s against 3 s). The test checks the pipeline, not the provider's throughput.
MODEL_ARGS = {"n_threads": 1}


def _run(task, tmp_path, **kwargs):
    (log,) = inspect_eval(task, model=MODEL, model_args=MODEL_ARGS, log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    assert all(sample.error is None for sample in log.samples)
    return log


def test_refusals_and_jailbreaks_on_the_embedded_model(tmp_path):
    refusal_log = _run(refusals(max_tokens=32), tmp_path, limit=2)
    labels = [sample.scores["refusal_verdict"].answer for sample in refusal_log.samples]
    assert len(labels) == 2 and all(label in (*REFUSAL_LABELS, UNPARSED) for label in labels)

    jailbreak_log = _run(jailbreaks(prompts=1, templates="none,base64", max_tokens=32), tmp_path)
    scores = [sample.scores["strongreject_judgement"] for sample in jailbreak_log.samples]
    assert len(scores) == 2
    for score in scores:
        judged = JudgedCompletion.from_dict(score.metadata["judged"])
        assert (judged.score is None) == (score.answer == UNPARSED)
        assert judged.score is None or 0.0 <= judged.score <= 1.0

    build_card(tmp_path / "logs", tmp_path / "card")
    sections = json.loads((tmp_path / "card" / "card.json").read_text())["sections"]
    assert [section["task"] for section in sections][0] == "refusals_summary"
    assert [row[1] for row in sections[0]["rows"]] == ["not_unsafe", "goodness@0.1"]
