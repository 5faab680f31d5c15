"""The Gemini protocols end to end: a scripted model (fast), the card sections, and the embedded model."""

from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai.scorer import Score

import tests.math_model  # noqa: F401  (registers tony-test-math)
from tests.gemini import chain_model  # registers tony-test-chains
from tony.core.plugin import evaluations
from tony.evals.gemini.card import gsm8k_section, mmlu_section
from tony.evals.gemini.questions import LETTERS, builtin_questions, stratified_sample
from tony.evals.gemini.task import gemini_gsm8k, gemini_mmlu


def _eval(task, tmp_path: Path, model: str = "tony-test-math/solver"):
    (log,) = inspect_eval(task, model=model, log_dir=str(tmp_path), display="none", ctl_server=False)
    assert log.status == "success"
    return log


# k = 4 chains per question (seeds 1-4). R is the keyed letter, W and X two wrong ones, None a chain naming no option.
# Validation: τ ≤ 0.5 -> 2/3 (v2's weak wrong majority taken), τ = 0.75 -> 3/3, τ = 1 -> 2/3 (v1 greedy W),
# never -> 2/3; so τ* = 0.75.
VALIDATION = [("W", ("R", "R", "R", "W")),  # v1: consensus 0.75, right; greedy wrong
              ("R", ("W", "W", "R", "R")),  # v2: tie W/R -> W (first seen), share 0.5, wrong; greedy right
              ("R", ("R", "R", "R", "R"))]  # v3: all right
# Test, at τ = 0.75 (g: greedy right, c: CoT@4 majority right, r: routed right; fallback where s < τ):
TEST = [("W", ("R", "R", "R", "W")),  # t1: s 0.75 clears, majority R differs from greedy W   g0 c1 r1
        ("W", ("R", "R", "R", "R")),  # t2: s 1.00 clears, majority R differs from greedy W   g0 c1 r1
        ("R", ("W", "W", "R", None)),  # t3: s 0.50 (unparsed counts in k) -> fallback R       g1 c0 r1
        ("R", ("W", "R", "R", "W")),  # t4: tie W/R -> W, s 0.50 -> fallback R                g1 c0 r1
        ("W", ("R", "X", "R", "W")),  # t5: majority R, s 0.50 -> fallback W                   g0 c1 r0
        ("R", ("R", "R", "R", "X"))]  # t6: s 0.75 clears, majority R agrees with greedy      g1 c1 r1
# greedy 3/6, CoT@4 4/6, routed 5/6; 3 test questions (t3, t4, t5) fall back to greedy.


def _letters(question, roles: tuple) -> tuple:
    right = LETTERS.index(question.answer)
    letter = {"R": question.answer, "W": LETTERS[(right + 1) % 4], "X": LETTERS[(right + 2) % 4], None: None}
    return tuple(letter[role] for role in roles)


def _script_chains(monkeypatch, n_test: int, n_val: int) -> list:
    splits, _ = builtin_questions()
    test, val = stratified_sample(splits["test"], None, 0)[:n_test], stratified_sample(splits["val"], None, 0)[:n_val]
    script = {}
    for question, (greedy, chains) in zip(test + val, TEST + VALIDATION, strict=True):
        script[question.question] = chain_model.Scripted(_letters(question, (greedy,))[0], _letters(question, chains))
    monkeypatch.setattr(chain_model, "SCRIPT", script)
    return test


def test_mmlu_protocols_with_chains_that_disagree(tmp_path, monkeypatch):
    questions = _script_chains(monkeypatch, len(TEST), len(VALIDATION))
    log = _eval(gemini_mmlu(k=4, n_test=len(TEST), n_val=len(VALIDATION)), tmp_path, "tony-test-chains/script")
    metrics = {name: m.value for name, m in log.results.scores[0].metrics.items()}
    assert metrics == pytest.approx({"greedy": 3 / 6, "cot_at_k": 4 / 6, "routing_threshold": 0.75,
                                     "routed_cot_at_k": 5 / 6})  # and no likelihood: the model cannot score
    test = {s.id: s.scores["mmlu_scores"].metadata for s in log.samples if s.metadata["split"] == "test"}
    meta = [test[question.id] for question in questions]
    assert [m["cot_share"] for m in meta] == [0.75, 1.0, 0.5, 0.5, 0.5, 0.75]
    assert [m["cot_majority"] == m["target"] for m in meta] == [True, True, False, False, True, True]
    assert [bool(m["cot_tied"]) for m in meta] == [False, False, False, True, False, False]
    assert meta[2]["cot_answers"][3] is None  # the chain that names no option
    fallback = [m["cot_share"] < metrics["routing_threshold"] for m in meta]
    assert fallback == [False, False, True, True, True, False] and sum(fallback) == 3
    assert log.samples[0].input.count("Answer:") == 6  # five shots, then the question

    section = mmlu_section(log)
    assert section.data["threshold"] == 0.75
    accuracy = section.data["accuracy"]
    assert [accuracy[key]["value"] for key in ("greedy", "cot_at_k", "routed")] == pytest.approx([3 / 6, 4 / 6, 5 / 6])
    assert accuracy["likelihood"]["value"] is None and accuracy["routed"]["n"] == 6
    # Wilson 95% for 3/6: centre 0.5, half-width 1.96·sqrt(0.25/6 + 1.96²/144)/(1 + 1.96²/6) = 0.3124
    assert (accuracy["greedy"]["low"], accuracy["greedy"]["high"]) == pytest.approx((0.1876, 0.8124), abs=1e-4)
    (sweep,) = section.tables
    # τ, validation accuracy, test accuracy (τ ≤ 0.5 = CoT@4 4/6; 0.75 -> 5/6; 1.0 routes only t2 -> 4/6; never 3/6)
    assert sweep.rows == [["0.000", "0.667", "0.667"], ["0.250", "0.667", "0.667"], ["0.500", "0.667", "0.667"],
                          ["0.750", "1.000", "0.833"], ["1.000", "0.667", "0.667"], ["never", "0.667", "0.500"]]
    assert any("τ = 0.750" in note and "1 test questions had a tied majority" in note for note in section.notes)
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
