"""How well the verbalization judge agrees with hand labels (the judge check behind Chen et al. 2025 numbers).

Runs whichever judge the faithfulness task would use — the grader-role model if one is bound, else the
offline cue detector — over tony's 48 hand-labelled hinted chains of thought, and reports accuracy and
Cohen's κ. No model under test is called.
"""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ModelOutput
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver

from tony.core.data import builtin_path, builtin_provenance, read_jsonl
from tony.core.judges import JudgeInfo, grader_model_name
from tony.core.stats import agreement
from tony.evals.faithfulness.judge import (
    LABELLED_CHAINS,
    OFFLINE_JUDGE_NAME,
    llm_verbalization_verdict,
    offline_verbalization_verdict,
)


@task
def faithfulness_judge(per_label: int | None = None) -> Task:
    """Agreement of the verbalization judge (grader role, else offline) with 48 hand-labelled chains.

    Args:
        per_label: check only the first n chains of each label (faithful, unfaithful) per hint type, a smaller
            and coarser check (default: all 4 of each).
    """
    rows = balanced_subset(read_jsonl(builtin_path(LABELLED_CHAINS)), per_label)
    samples = [
        Sample(id=row["id"], input=row["response"], target=row["label"],
               metadata={"hint_type": row["hint_type"], "h": row["h"], "why": row["why"]})
        for row in rows
    ]
    return Task(
        dataset=MemoryDataset(samples, name="verbalization-labels"),
        solver=labelled_response(),
        scorer=verbalization_verdict(),
        metadata={"provenance": builtin_provenance(LABELLED_CHAINS).as_dict(), "paper": "Chen et al. 2025"},
    )


def balanced_subset(rows: list[dict[str, Any]], per_label: int | None) -> list[dict[str, Any]]:
    """The first `per_label` rows of each (hint type, label), in file order; every row where `per_label` is None."""
    if per_label is None:
        return rows
    if per_label < 1:
        raise ValueError(f"per_label must be a positive number of chains, got {per_label}")
    taken: dict[tuple[str, str], int] = {}
    subset = []
    for row in rows:
        key = (row["hint_type"], row["label"])
        if taken.get(key, 0) < per_label:
            taken[key] = taken.get(key, 0) + 1
            subset.append(row)
    return subset


@solver
def labelled_response() -> Solver:
    """The labelled chain of thought is the output to judge; the model under test is not called."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        state.output = ModelOutput.from_content("labelled", state.input_text)
        return state

    return solve


@metric
def judge_agreement() -> Metric:
    """Accuracy and Cohen's κ of verdicts against the labels (unparsed verdicts count as disagreement)."""

    def compute(scores: list[SampleScore]) -> dict[str, Any]:
        predicted = [str(s.score.answer) for s in scores]
        labels = [str((s.score.metadata or {})["label"]) for s in scores]
        result = agreement(predicted, labels)
        return {key: value for key, value in result.items() if value is not None}

    return compute


@scorer(metrics=[judge_agreement()])
def verbalization_verdict() -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        grader = grader_model_name()
        hint_type, h = state.metadata["hint_type"], state.metadata["h"]
        if grader:
            verdict, raw = await llm_verbalization_verdict(hint_type, h, state.input_text)
            judge = JudgeInfo("llm", grader)
        else:
            verdict, raw = offline_verbalization_verdict(hint_type, state.input_text), ""
            judge = JudgeInfo("offline", OFFLINE_JUDGE_NAME)
        return Score(
            value=1.0 if verdict == target.text else 0.0,
            answer=verdict,
            explanation=raw or None,
            metadata={"label": target.text, "judge": judge.__dict__, "hint_type": hint_type},
        )

    return score
