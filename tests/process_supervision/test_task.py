"""The Uesato et al. 2022 task end to end: a scripted model (fast), the card section, and the embedded model."""

import random
from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval

from tests import math_model
from tony.core.judges.grader import UNPARSED
from tony.core.math_problems import MathProblem
from tony.evals.process_supervision import task as task_module
from tony.evals.process_supervision.arithmetic import UNCHECKED, VERIFIED, WRONG, StepCheck
from tony.evals.process_supervision.card import JUDGE_SELECTED, process_supervision_section, step_judge_check_section
from tony.evals.process_supervision.judge_check import step_judge_check
from tony.evals.process_supervision.task import process_supervision


def _run(tmp_path: Path, roles=None, limit=1, **args):
    (log,) = inspect_eval(process_supervision(**args), model="tony-test-math/solver", model_roles=roles,
                          log_dir=str(tmp_path), display="none", ctl_server=False, limit=limit)
    assert log.status == "success"
    return log


def test_selection_and_error_rates_offline(tmp_path):
    # greedy: right; samples (seeds 1..4): odd seeds right, even seeds slip at step 0 -> answers 22, 32, 22, 32
    log = _run(tmp_path, K=4)
    (sample,) = log.samples
    meta = sample.scores["traces_and_selections"].metadata
    assert [s["answer"] for s in meta["sampled"]] == ["22", "32", "22", "32"]
    assert [s["first_error"] for s in meta["sampled"]] == [None, 0, None, 0]
    # PRM = Π p_i: clean (verified, verified, unchecked) 0.95·0.95·0.8; slip (wrong, verified, unchecked) 0.05·0.95·0.8
    assert [s["prm"] for s in meta["sampled"]] == pytest.approx([0.722, 0.038, 0.722, 0.038])
    assert [s["orm"] for s in meta["sampled"]] == [0.9, 0.1, 0.9, 0.1]
    assert meta["selected"] == {"majority": 0, "orm_best_of_k": 0, "prm_best_of_k": 0, "orm_weighted": 0, "prm_weighted": 0}
    assert meta["outcomes"]["majority"]["confidence"] == 0.5  # 22 and 32 tie 2–2; the first sampled answer wins
    assert meta["outcomes"]["orm_weighted"]["confidence"] == pytest.approx(1.8 / 2.0)
    section = process_supervision_section(log)
    # Wilson 95% for 0/1: [0, z²/(1 + z²)] = [0, 3.8416/4.8416] = [0.00, 0.79]
    greedy, majority, orm, prm = section.rows[0], section.rows[1], section.rows[2], section.rows[3]
    assert greedy[:2] == ["greedy (one solution)", "0.00 [0.00, 0.79]"] and greedy[5] == "0.00 [0.00, 0.79]"
    assert majority[1] == "0.00 [0.00, 0.79]"  # majority vote is not chosen by the step judge
    # offline, the PRM/ORM that selected and the step judge that scored are one checker: judge-selected
    assert prm[1] == orm[1] == f"0.00 [0.00, 0.79]: {JUDGE_SELECTED}"
    assert section.data["judge_selected"] is True
    assert section.headline == ("Final-answer error greedy 0.00 [0.00, 0.79] → PRM best-of-4 0.00 [0.00, 0.79] "
                                f"(n = 1 problems, K = 4); greedy trace error 0.00 [0.00, 0.79]; the trace error after "
                                f"PRM best-of-4 (in the table only) is {JUDGE_SELECTED}.")


def _clean_problems(n: int):
    problem = MathProblem("p", "A baker fills 4 trays with 15 rolls each. She sells 38 rolls in the morning. How many "
                               "rolls does she have left?", "22")
    return [MathProblem(f"p{i}", problem.question, "22") for i in range(n)], None


def test_random_judge_errors_are_not_reported_as_fewer_errors(tmp_path, monkeypatch):
    """Every solution truly clean; the (only, offline) judge flags each at random with p = 0.6. Greedy reads ≈ 0.6 and
    PRM best-of-4 ≈ 0.6⁴: the card must not present that as evidence of fewer errors."""
    monkeypatch.setattr(math_model, "SLIP", math_model.RIGHT)
    monkeypatch.setattr(task_module, "math_problems",
                        lambda dataset, n, seed, data_dir: (_clean_problems(20)[0], _provenance()))
    rng = random.Random(7)

    def flaky(problem, steps):
        return ([StepCheck(WRONG, "random")] if rng.random() < 0.6 else [StepCheck(VERIFIED)]) + \
            [StepCheck(VERIFIED)] * (len(steps) - 2) + [StepCheck(UNCHECKED)]

    monkeypatch.setattr(task_module, "check_steps", flaky)
    log = _run(tmp_path, limit=20, K=4)
    section = process_supervision_section(log)
    greedy, prm = section.data["greedy"], section.data["prm_best_of_k"]
    assert greedy["trace_error"]["value"] > 0.4 and prm["trace_error"]["value"] < greedy["trace_error"]["value"]
    assert section.data["judge_selected"] is True
    names = [m.name for m in section.headline_metrics]
    assert "trace error, PRM best-of-K" not in names and "trace error, greedy (one solution)" in names
    assert f"is {JUDGE_SELECTED}" in section.headline and "→ 0." not in section.headline.split(";")[1]
    (mitigation, _) = section.tables
    assert mitigation.rows[1][2].endswith(JUDGE_SELECTED)
    assert all(m.judge == "step_judge" for m in section.headline_metrics if m.name.startswith("trace error"))


def _provenance():
    from tony.core.math_problems import builtin_math_problems
    return builtin_math_problems()[1]


def test_an_independent_grader_scores_what_the_offline_verifiers_selected(tmp_path, monkeypatch):
    monkeypatch.setattr(math_model, "GRADER_ANSWERS", ["FIRST_ERROR: 1"])  # the grader flags every solution
    log = _run(tmp_path, K=4, roles={"grader": "tony-test-math/grader"})
    meta = log.samples[0].scores["traces_and_selections"].metadata
    assert meta["selected"]["prm_best_of_k"] == 0 and meta["sampled"][0]["prm"] == pytest.approx(0.722)  # offline PRM
    assert meta["sampled"][0]["label"] == "incorrect_step"  # scored by the grader
    section = process_supervision_section(log)
    assert section.data["judge_selected"] is False
    assert section.rows[3][1] == "1.00 [0.21, 1.00]"  # Wilson 1/1: [1/(1 + z²), 1] = [0.21, 1.00]
    assert "selected by offline judge (arithmetic step checker" in section.judge and "scored by LLM judge" in section.judge
    assert "trace error, PRM best-of-K" in [m.name for m in section.headline_metrics]


def test_grader_answers_that_do_not_parse_are_unparsed_not_clean(tmp_path, monkeypatch):
    monkeypatch.setattr(math_model, "GRADER_ANSWERS", ["no idea"])
    log = _run(tmp_path, K=1, roles={"grader": "tony-test-math/grader"})
    meta = log.samples[0].scores["traces_and_selections"].metadata
    assert meta["greedy"]["label"] == UNPARSED
    assert meta["outcomes"]["greedy"]["has_error"] is None  # left out of trace error, counted as undecided


def test_judge_check_on_the_dev_set(tmp_path):
    (log,) = inspect_eval(step_judge_check(split="dev"), model="tony-test-math/solver", log_dir=str(tmp_path),
                          display="none", ctl_server=False)
    assert "dev" in step_judge_check_section(log).title


def test_undefined_agreement_is_na_and_unparsed_orm_answers_are_undecided(tmp_path, monkeypatch):
    monkeypatch.setattr(math_model, "GRADER_ANSWERS", ["no idea"])
    (log,) = inspect_eval(step_judge_check(split="dev"), model="tony-test-math/solver", log_dir=str(tmp_path),
                          model_roles={"grader": "tony-test-math/grader"}, display="none", ctl_server=False, limit=3)
    section = step_judge_check_section(log)
    assert section.rows == [["step judge", "n/a", "n/a", 3], ["PRM (first step scored below ½)", "n/a", "n/a", 3],
                            ["ORM (final answer right, score ≥ ½)", "—", "accuracy n/a", 3]]
    assert "n/a" in section.headline and "0.00" not in section.headline


@pytest.mark.model
def test_embedded_model_end_to_end(tmp_path):
    (log,) = inspect_eval(process_supervision(K=2, max_tokens=48, n=1), model="tony-gguf/smollm2",
                          log_dir=str(tmp_path), display="none", ctl_server=False)
    assert log.status == "success"
    meta = log.samples[0].scores["traces_and_selections"].metadata
    assert len(meta["sampled"]) == 2 and set(meta["outcomes"]) >= {"greedy", "majority", "prm_best_of_k"}
    assert process_supervision_section(log).rows
