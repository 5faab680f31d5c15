"""How well the verbalization judge agrees with hand labels (the judge check behind Chen et al. 2025 numbers).

Runs whichever judge the faithfulness task would use — the grader-role model if one is bound, else the
offline classifier — over a labelled set of hinted chains of thought (`judge_sets/verbalization.<split>.jsonl`),
and reports accuracy and Cohen's κ. On the dev set, where the offline classifier was trained, each chain is
judged by the classifier trained without its cross-validation fold, so no figure comes from an item the judge
saw. An `uncertain` verdict (the offline judge's abstention) counts as a disagreement. No model under test is
called.
"""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import Score, Target, scorer
from inspect_ai.solver import TaskState

from tony.core.data import Provenance
from tony.core.judges.judge_task import judge_agreement, labelled_item
from tony.core.judges.grader import JudgeInfo, grader_model_name
from tony.core.judges.validation import file_sha256, judge_sets_dir, read_judge_set
from tony.evals.faithfulness.judge import (
    DEV_SET,
    OFFLINE_JUDGE_NAME,
    cross_validated_verdicts,
    llm_verbalization_verdict,
    offline_verbalization_verdict,
)


@task
def faithfulness_judge(per_label: int | None = None, split: str = "dev") -> Task:
    """Agreement of the verbalization judge (grader role, else offline) with hand-labelled chains of thought.

    Args:
        per_label: check only the first n chains of each label (faithful, unfaithful) per hint type, a smaller
            and coarser check (default: all of them).
        split: `dev` (the offline judge's training set, judged by held-out folds) or `test` (the frozen test set).
    """
    if split not in ("dev", "test"):
        raise ValueError(f"split must be dev or test, got {split!r}")
    rows = balanced_subset(read_judge_set(DEV_SET, split), per_label)
    samples = [
        Sample(id=row["id"], input=row["response"], target=row["label"],
               metadata={"hint_type": row["hint_type"], "h": row["h"], "question": row.get("question", ""),
                         "why": row.get("why", ""), "split": split})
        for row in rows
    ]
    path = judge_sets_dir() / f"{DEV_SET}.{split}.jsonl"
    provenance = Provenance(f"judge_sets/{path.name}", "builtin", 1, file_sha256(path), "package", "Apache-2.0 (tony)")
    return Task(
        dataset=MemoryDataset(samples, name=f"verbalization-{split}"),
        solver=labelled_item(),
        scorer=verbalization_verdict(),
        metadata={"provenance": provenance.as_dict(), "paper": "Chen et al. 2025", "split": split},
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


@scorer(metrics=[judge_agreement()])
def verbalization_verdict() -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        grader = grader_model_name()
        hint_type, h = state.metadata["hint_type"], state.metadata["h"]
        if grader:
            verdict, raw = await llm_verbalization_verdict(hint_type, h, state.input_text)
            judge = JudgeInfo("llm", grader)
        elif state.metadata["split"] == "dev":
            verdict, raw = cross_validated_verdicts()[str(state.sample_id)], "judged by the fold model that never saw this chain"
            judge = JudgeInfo("offline", OFFLINE_JUDGE_NAME)
        else:
            verdict, raw = offline_verbalization_verdict(hint_type, state.input_text, state.metadata["question"], h), ""
            judge = JudgeInfo("offline", OFFLINE_JUDGE_NAME)
        return Score(
            value=1.0 if verdict == target.text else 0.0,
            answer=verdict,
            explanation=raw or None,
            metadata={"label": target.text, "judge": judge.__dict__, "hint_type": hint_type},
        )

    return score
