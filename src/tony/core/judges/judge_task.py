"""`tony/judge_validation`: any registered judge against the human labels of its frozen test (or dev) set.

Runs the judge a tony metric would use — the grader-role model when one is bound
(`--model-role grader=...`), else the offline judge — over `judge_sets/<judge>.<split>.jsonl` and reports
accuracy, Cohen's κ, sensitivity, specificity, and how many verdicts were unparsed (after one retry with a
format reminder) or uncertain. The model under test is not called. This is how an LLM judge earns the
trust an offline judge earns from `judge_sets/validation.json`.
"""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ModelOutput
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver

from tony.core.judges.grader import UNCERTAIN, UNPARSED, JudgeInfo, grader_model_name
from tony.core.stats.intervals import agreement
from tony.core.judges.validation import file_sha256, judge_sets_dir, read_judge_set, registered_judges


def _spec(judge: str):
    specs = registered_judges()
    if judge not in specs:
        raise ValueError(f"unknown judge {judge!r}; known: {', '.join(sorted(specs)) or 'none'}")
    return specs[judge]


@task
def judge_validation(judge: str = "refusal", split: str = "test") -> Task:
    """Agreement of a judge (grader role, else offline) with the human labels of one of its frozen test sets
    (split `test`, `test2`, `test_b`, ...: `judge_sets/<set>.<split>.jsonl`) or its dev set."""
    if split != "dev" and not split.startswith("test"):
        raise ValueError(f"split must be 'dev' or a frozen test split ('test', 'test2', ...), not {split!r}")
    spec = _spec(judge)
    path = judge_sets_dir() / f"{spec.set_name}.{split}.jsonl"
    if not path.is_file():
        raise ValueError(f"the {judge} judge has no {split} set ({path.name})")
    items = read_judge_set(spec.set_name, split)
    samples = [Sample(id=str(item["id"]), input=str(item["id"]), target=spec.reference(item), metadata={"item": item})
               for item in items]
    return Task(
        dataset=MemoryDataset(samples, name=f"{judge}-{split}"),
        solver=labelled_item(),
        scorer=judge_verdict(judge),
        metadata={"judge_set": {"judge": judge, "split": split, "file": path.name, "sha256": file_sha256(path)}},
    )


@solver
def labelled_item() -> Solver:
    """The labelled item is what is judged; the model under test is not called."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        state.output = ModelOutput.from_content("labelled", state.input_text)
        return state

    return solve


def binary_counts(scores: list[SampleScore]) -> dict[str, int]:
    """tp/fn/tn/fp over decided verdicts (the `positive` flags are stored per score)."""
    counts = {"tp": 0, "fn": 0, "tn": 0, "fp": 0}
    for item in scores:
        meta = item.score.metadata or {}
        if meta.get("judged_positive") is None:
            continue
        truth, judged = meta["reference_positive"], meta["judged_positive"]
        counts[("tp" if judged else "fn") if truth else ("fp" if judged else "tn")] += 1
    return counts


@metric
def judge_agreement() -> Metric:
    """Accuracy and κ (abstentions and unparsed answers count as disagreements), Se, Sp and the parse rate."""

    def compute(scores: list[SampleScore]) -> dict[str, Any]:
        predicted = [str(s.score.answer) for s in scores]
        labels = [str((s.score.metadata or {})["label"]) for s in scores]
        result = {key: value for key, value in agreement(predicted, labels).items() if value is not None}
        counts = binary_counts(scores)
        if counts["tp"] + counts["fn"]:
            result["sensitivity"] = counts["tp"] / (counts["tp"] + counts["fn"])
        if counts["tn"] + counts["fp"]:
            result["specificity"] = counts["tn"] / (counts["tn"] + counts["fp"])
        result["uncertain"] = predicted.count(UNCERTAIN)
        result["parse_rate"] = 1 - predicted.count(UNPARSED) / len(predicted) if predicted else 0.0
        return result

    return compute


@scorer(metrics=[judge_agreement()])
def judge_verdict(judge: str) -> Any:
    spec = _spec(judge)

    async def score(state: TaskState, target: Target) -> Score:
        item = state.metadata["item"]
        grader = grader_model_name()
        if grader:
            if spec.llm_predict is None:
                raise ValueError(f"the {judge} judge has no LLM form")
            verdict, raw = await spec.llm_predict(item)
            info = JudgeInfo("llm", grader)
        else:
            verdict, raw = spec.predict(item), ""
            info = JudgeInfo("offline", spec.title)
        decided = verdict not in (UNCERTAIN, UNPARSED)
        return Score(
            value=1.0 if verdict == target.text else 0.0,
            answer=verdict,
            explanation=raw or None,
            metadata={"label": target.text, "judge": info.__dict__, "reference_positive": spec.positive(target.text),
                      "judged_positive": spec.positive(verdict) if decided else None},
        )

    return score
