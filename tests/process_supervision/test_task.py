"""The Uesato et al. 2022 task end to end: a scripted model (fast), the card section, and the embedded model."""

from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval

from tests import math_model
from tony.core.judges import UNPARSED
from tony.evals.process_supervision.card import process_supervision_section, step_judge_check_section
from tony.evals.process_supervision.judge_check import step_judge_check
from tony.evals.process_supervision.task import process_supervision


def _run(tmp_path: Path, roles=None, **args):
    (log,) = inspect_eval(process_supervision(**args), model="tony-test-math/solver", model_roles=roles,
                          log_dir=str(tmp_path), display="none", ctl_server=False, limit=1)
    assert log.status == "success"
    return log


def test_selection_and_error_rates_offline(tmp_path):
    # greedy: right; samples (seeds 1..4): odd seeds right, even seeds slip at step 0 -> answers 22, 32, 22, 32
    log = _run(tmp_path, K=4)
    (sample,) = log.samples
    meta = sample.scores["traces_and_selections"].metadata
    assert [s["answer"] for s in meta["sampled"]] == ["22", "32", "22", "32"]
    assert [s["first_error"] for s in meta["sampled"]] == [None, 0, None, 0]
    assert meta["sampled"][0]["prm"] == pytest.approx(0.95 * 0.95 * 0.8)  # verified, verified, unchecked (product)
    assert meta["selected"] == {"majority": 0, "orm_best_of_k": 0, "prm_best_of_k": 0, "orm_weighted": 0, "prm_weighted": 0}
    metrics = {name: m.value for name, m in log.results.scores[0].metrics.items()}
    assert metrics["majority_final_answer_error"] == 0.0 and metrics["prm_best_of_k_trace_error"] == 0.0
    section = process_supervision_section(log)
    assert section.rows[0][0].startswith("greedy") and len(section.tables) == 2
    assert "0.00" in section.headline


def test_grader_answers_that_do_not_parse_are_unparsed_not_clean(tmp_path, monkeypatch):
    monkeypatch.setattr(math_model, "GRADER_ANSWERS", ["no idea"])
    log = _run(tmp_path, K=1, roles={"grader": "tony-test-math/grader"})
    meta = log.samples[0].scores["traces_and_selections"].metadata
    assert meta["greedy"]["label"] == UNPARSED and meta["greedy"]["prm"] == 0.0 and meta["greedy"]["orm"] == 0.0
    assert meta["outcomes"]["greedy"]["has_error"] is None  # left out of trace error, counted as undecided


def test_judge_check_on_the_dev_set(tmp_path):
    (log,) = inspect_eval(step_judge_check(split="dev"), model="tony-test-math/solver", log_dir=str(tmp_path),
                          display="none", ctl_server=False)
    metrics = {name: m.value for name, m in log.results.scores[0].metrics.items()}
    assert metrics["step_location_agreement"] >= 0.65 and metrics["orm_accuracy"] >= 0.6
    assert "dev" in step_judge_check_section(log).title


@pytest.mark.model
def test_embedded_model_end_to_end(tmp_path):
    (log,) = inspect_eval(process_supervision(K=2, max_tokens=48, n=1), model="tony-gguf/smollm2",
                          log_dir=str(tmp_path), display="none", ctl_server=False)
    assert log.status == "success"
    meta = log.samples[0].scores["traces_and_selections"].metadata
    assert len(meta["sampled"]) == 2 and set(meta["outcomes"]) >= {"greedy", "majority", "prm_best_of_k"}
    assert process_supervision_section(log).rows
