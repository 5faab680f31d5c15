"""What Uesato et al. 2022 (process- and outcome-based feedback) contributes to tony: the error-rate task, the
judge check, their card sections, suites."""

from __future__ import annotations

from tony.core.plugin import Evaluation, Paper, Scaled, SuiteEntry, register
from tony.evals.process_supervision.card import process_supervision_section, step_judge_check_section
from tony.evals.process_supervision.judge_check import step_judge_check
from tony.evals.process_supervision.task import process_supervision


def judge_check_scaled(n: int) -> Scaled:
    """Under --limit n: the first n hand-labelled solutions of the frozen test set."""
    return Scaled({"split": "test"}, n)


def prm_headline(score) -> float | None:  # noqa: ANN001  (an Inspect Score)
    """PRM best-of-K's final answer is right, for `tony card --ci-width`."""
    return score.value.get("prm_best_of_k") if isinstance(score.value, dict) else None


# Reads the frozen test set, calls no model (the embedded model cannot fit a K-sample run in the quick budget).
JUDGE_CHECK = SuiteEntry("step_judge_check", "step_judge_check", {"split": "test"}, whole=True, scale=judge_check_scaled)

EVALUATION = register(Evaluation(
    name="process_supervision",
    paper=Paper("Uesato et al. 2022", "Solving math word problems with process- and outcome-based feedback",
                "https://arxiv.org/abs/2211.14275"),
    position=55,
    tasks={"process_supervision": process_supervision, "step_judge_check": step_judge_check},
    sections={"process_supervision": process_supervision_section, "step_judge_check": step_judge_check_section},
    headline_scores={"process_supervision": prm_headline},
    quick=(JUDGE_CHECK,),
    full=(
        SuiteEntry("process_supervision", "process_supervision", {"dataset": "builtin", "K": 4}),
        JUDGE_CHECK,
        SuiteEntry("process_supervision_gsm8k", "process_supervision", {"dataset": "gsm8k", "K": 4, "n": 100},
                   datasets=("gsm8k",)),
    ),
))
