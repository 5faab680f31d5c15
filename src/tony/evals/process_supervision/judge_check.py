"""How far the step judge and the two verifiers agree with hand-labelled solutions (Uesato et al. 2022 validate
their reward models against human step labels, §3–4).

Every item of `judge_sets/step_judge.<split>.jsonl` is a solution (a list of steps) with the first step a person
marked as a major mistake (or none). Three judges read it: the step judge (its first error), the PRM (the first
step it scores below ½) and the ORM (whether the final answer is right, ≥ ½). Reported: first-error-location
agreement (the judge names the same first step, or both none), step-level agreement (each step labelled "on a
wrong trace" when it is at or after the first error; accuracy over all steps), and per judge the binary event
Se/Sp. The dev set is the one the offline checker was tuned on; the test set was written blind to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import TaskState

from tony.core.answers import normalize_number, same_number
from tony.core.judges.judge_task import labelled_item
from tony.core.judges.grader import UNCERTAIN, UNPARSED, JudgeInfo, grader_model_name
from tony.core.judges.validation import JudgeSpec, file_sha256, judge_sets_dir, read_judge_set, register_judge
from tony.evals.process_supervision.judges import (
    CORRECT_ANSWER,
    INCORRECT,
    NO_INCORRECT,
    WRONG_ANSWER,
    grader_first_error,
    grader_orm,
    grader_step_scores,
    offline_first_error,
    offline_orm,
    offline_step_scores,
)
from tony.evals.process_supervision.solutions import final_answer

JUDGE_SET = "step_judge"
OFFLINE_NAME = "arithmetic step checker"


def human_label(item: dict[str, Any]) -> str:
    return INCORRECT if item["first_error"] is not None else NO_INCORRECT


def answer_label(item: dict[str, Any]) -> str:
    return CORRECT_ANSWER if same_number(final_answer(item["steps"]), normalize_number(str(item["answer"]))) else WRONG_ANSWER


def prm_first_error(step_scores: Sequence[float]) -> int | None:
    """The PRM's first error: the first step it scores below ½."""
    return next((i for i, p in enumerate(step_scores) if p < 0.5), None)


def on_wrong_trace(first_error: int | None, n_steps: int) -> list[bool]:
    """Step-level labels from a first error: a step is on a wrong trace when it is at or after the first error."""
    return [first_error is not None and i >= first_error for i in range(n_steps)]


def step_agreement(pairs: Sequence[tuple[int | None, int | None, int]]) -> float | None:
    """Share of steps whose on-wrong-trace label agrees, over (judged first error, human first error, n steps)."""
    agree = total = 0
    for judged, human, n in pairs:
        agree += sum(a == b for a, b in zip(on_wrong_trace(judged, n), on_wrong_trace(human, n)))
        total += n
    return agree / total if total else None


def location_agreement(pairs: Sequence[tuple[int | None, int | None]]) -> float | None:
    """Share of solutions where the judge names the human's first-error step (both none counts as agreement)."""
    return sum(judged == human for judged, human in pairs) / len(pairs) if pairs else None


# --- the judge specs the measurement script reads (one test set, three judges) ---------------------------------

def _step_predict(item: dict[str, Any]) -> str:
    return offline_first_error(item["problem"], item["steps"])[1]


def _prm_predict(item: dict[str, Any]) -> str:
    return INCORRECT if prm_first_error(offline_step_scores(item["problem"], item["steps"])) is not None else NO_INCORRECT


def _orm_predict(item: dict[str, Any]) -> str:
    return CORRECT_ANSWER if offline_orm(item["problem"], item["steps"]) >= 0.5 else WRONG_ANSWER


async def _step_llm(item: dict[str, Any]) -> tuple[str, str]:
    _, label, raw = await grader_first_error(item["problem"], item["steps"])
    return label, raw


async def _prm_llm(item: dict[str, Any]) -> tuple[str, str]:
    scores, raw = await grader_step_scores(item["problem"], item["steps"])
    return (UNPARSED if scores is None else INCORRECT if prm_first_error(scores) is not None else NO_INCORRECT), raw


async def _orm_llm(item: dict[str, Any]) -> tuple[str, str]:
    probability, raw = await grader_orm(item["problem"], item["steps"])
    return (UNPARSED if probability is None else CORRECT_ANSWER if probability >= 0.5 else WRONG_ANSWER), raw


STEP_JUDGE = register_judge(JudgeSpec(
    name="step_judge", title="offline step judge (arithmetic step checker)", predict=_step_predict,
    reference=human_label, positive=lambda label: label == INCORRECT, llm_predict=_step_llm, version="2"))
PRM_JUDGE = register_judge(JudgeSpec(
    name="prm_judge", title="offline process reward model (arithmetic step checker)", predict=_prm_predict,
    reference=human_label, positive=lambda label: label == INCORRECT, llm_predict=_prm_llm, test_set=JUDGE_SET,
    version="2"))
ORM_JUDGE = register_judge(JudgeSpec(
    name="orm_judge", title="offline outcome reward model (arithmetic step checker)", predict=_orm_predict,
    reference=answer_label, positive=lambda label: label == CORRECT_ANSWER, llm_predict=_orm_llm, test_set=JUDGE_SET,
    version="2"))


# --- the card's judge check ------------------------------------------------------------------------------------

@task
def step_judge_check(split: str = "test") -> Task:
    """Agreement of the step judge, PRM and ORM (grader role, else offline) with hand-labelled solution steps.

    Args:
        split: `test` (the frozen test set, written blind to the judges) or `dev` (the set they were tuned on).
    """
    if split not in ("dev", "test"):
        raise ValueError(f"split must be dev or test, got {split!r}")
    items = read_judge_set(JUDGE_SET, split)
    samples = [Sample(id=str(item["id"]), input=str(item["id"]), target=human_label(item), metadata={"item": item})
               for item in items]
    path = judge_sets_dir() / f"{JUDGE_SET}.{split}.jsonl"
    return Task(
        dataset=MemoryDataset(samples, name=f"step-judge-{split}"),
        solver=labelled_item(),
        scorer=step_judge_verdicts(),
        metadata={"judge_set": {"judge": JUDGE_SET, "split": split, "file": path.name, "sha256": file_sha256(path)},
                  "paper": "Uesato et al. 2022"},
    )


@metric
def step_judge_agreement() -> Metric:
    """Agreement over decided verdicts only; an agreement with no decided verdict is undefined and left out of
    the result (the card prints n/a), never 0. Uncertain and unparsed verdicts are counted as undecided."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        rows = [s.score.metadata or {} for s in scores]
        result: dict[str, float] = {}
        for judge in ("step", "prm"):
            decided = [r for r in rows if r[f"{judge}_label"] not in (UNCERTAIN, UNPARSED)]
            location = location_agreement([(r[f"{judge}_first"], r["human_first"]) for r in decided])
            steps = step_agreement([(r[f"{judge}_first"], r["human_first"], r["n_steps"]) for r in decided])
            result[f"{judge}_undecided"] = float(len(rows) - len(decided))
            result |= {f"{judge}_{name}": value for name, value in (("location_agreement", location),
                                                                    ("step_agreement", steps)) if value is not None}
        orm_decided = [r for r in rows if r["orm_label"] not in (UNCERTAIN, UNPARSED)]
        result["orm_undecided"] = float(len(rows) - len(orm_decided))
        if orm_decided:
            result["orm_accuracy"] = sum(r["orm_label"] == r["answer_label"] for r in orm_decided) / len(orm_decided)
        return result

    return compute


@scorer(metrics=[step_judge_agreement()])
def step_judge_verdicts() -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        item = state.metadata["item"]
        problem, steps = item["problem"], item["steps"]
        grader = grader_model_name()
        raw: dict[str, str] = {}
        if grader:
            step_first, step_label, raw["step"] = await grader_first_error(problem, steps)
            prm_scores, raw["prm"] = await grader_step_scores(problem, steps)
            orm, raw["orm"] = await grader_orm(problem, steps)
            info = JudgeInfo("llm", grader)
        else:
            step_first, step_label = offline_first_error(problem, steps)
            prm_scores, orm = offline_step_scores(problem, steps), offline_orm(problem, steps)
            info = JudgeInfo("offline", OFFLINE_NAME)
        prm_first = prm_first_error(prm_scores) if prm_scores is not None else None
        prm_label = UNPARSED if prm_scores is None else INCORRECT if prm_first is not None else NO_INCORRECT
        orm_label = UNPARSED if orm is None else CORRECT_ANSWER if orm >= 0.5 else WRONG_ANSWER
        return Score(
            value=1.0 if step_first == item["first_error"] and step_label not in (UNCERTAIN, UNPARSED) else 0.0,
            answer=step_label,
            explanation="\n\n".join(f"[{k}] {v}" for k, v in raw.items()) or None,
            metadata={"label": target.text, "judge": info.__dict__, "human_first": item["first_error"],
                      "n_steps": len(steps), "step_first": step_first, "step_label": step_label,
                      "prm_first": prm_first, "prm_label": prm_label, "prm_scores": prm_scores,
                      "orm": orm, "orm_label": orm_label, "answer_label": answer_label(item),
                      "style": item.get("style", "")},
        )

    return score
