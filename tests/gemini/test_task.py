"""The Gemini protocols end to end: a scripted model (fast), the card sections, and the embedded model."""

from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai.scorer import Score

import tests.math_model  # noqa: F401  (registers tony-test-math)
from tony.core.plugin import evaluations
from tony.evals.gemini.card import gsm8k_section, mmlu_section
from tony.evals.gemini.task import gemini_gsm8k, gemini_mmlu


def _eval(task, tmp_path: Path, model: str = "tony-test-math/solver"):
    (log,) = inspect_eval(task, model=model, log_dir=str(tmp_path), display="none", ctl_server=False)
    assert log.status == "success"
    return log


def test_mmlu_protocols_with_a_scripted_model(tmp_path):
    # the scripted model always answers B: greedy, CoT and routed accuracy are the share of B-keyed questions
    log = _eval(gemini_mmlu(k=3, n_test=6, n_val=3), tmp_path)
    test = [s for s in log.samples if s.metadata["split"] == "test"]
    assert len(test) == 6 and len(log.samples) == 9
    share_b = sum(s.target == "B" for s in test) / 6
    metrics = {name: m.value for name, m in log.results.scores[0].metrics.items()}
    assert metrics["greedy"] == pytest.approx(share_b) and metrics["cot_at_k"] == pytest.approx(share_b)
    assert metrics["routed_cot_at_k"] == pytest.approx(share_b) and "likelihood" not in metrics  # cannot score
    meta = test[0].scores["mmlu_scores"].metadata
    assert meta["cot_answers"] == ["B"] * 3 and meta["cot_share"] == 1.0
    assert test[0].input.count("Answer:") == 6  # five shots, then the question
    section = mmlu_section(log)
    assert section.tables and section.tables[0].rows[-1][0] == "never"
    assert any("no prompt log-probabilities" in note for note in section.notes)
    assert "90.04%" in section.rows[-1][-1]


def test_gsm8k_greedy_and_maj1_at_k(tmp_path):
    # greedy and odd seeds give 22, even seeds 32: k = 3 -> seeds 1, 2, 3 -> 22, 32, 22 -> majority 22
    log = _eval(gemini_gsm8k(k=3, n=1), tmp_path)
    meta = log.samples[0].scores["gsm8k_scores"].metadata
    assert meta["answers"] == ["22", "32", "22"] and meta["majority"] == "22"
    section = gsm8k_section(log)
    assert section.rows[1][0] == "maj1@3" and "94.4%" in section.rows[1][-1]


def test_plugin_quick_entries_are_small():
    (gemini,) = [e for e in evaluations() if e.name == "gemini"]
    mmlu, gsm8k = gemini.quick
    assert mmlu.args["k"] == 0 and mmlu.args["n_test"] == 3 and gsm8k.limit == 2 and gsm8k.args["k"] == 0
    reader = gemini.headline_scores["gemini_gsm8k"]
    assert reader(Score(value={"greedy": 1.0, "maj1_at_k": 0.0})) == 0.0 and reader(Score(value={"greedy": 1.0})) == 1.0


@pytest.mark.model
def test_embedded_model_end_to_end(tmp_path):
    log = _eval(gemini_mmlu(shots=1, k=1, cot_max_tokens=16, n_test=1, n_val=1), tmp_path, "tony-gguf/smollm2")
    meta = log.samples[0].scores["mmlu_scores"].metadata
    assert meta["probabilities"] is not None and len(meta["cot_answers"]) == 1  # the embedded model can score
    assert mmlu_section(log).rows
    log = _eval(gemini_gsm8k(k=1, n=1, max_tokens=16), tmp_path, "tony-gguf/smollm2")
    assert len(log.samples[0].scores["gsm8k_scores"].metadata["answers"]) == 1
