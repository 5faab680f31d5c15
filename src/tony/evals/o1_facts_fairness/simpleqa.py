"""SimpleQA hallucination evaluation (Wei et al. 2024; OpenAI o1 System Card §3.1.4, "Hallucination Evaluations").

Each short fact-seeking question is asked once, as is, with greedy decoding. The grader (the grader-role model, else
the offline rules) marks the reply CORRECT, INCORRECT or NOT_ATTEMPTED against the reference answer; accuracy is the
correct share and the hallucination rate the incorrect share of all graded replies (o1 card: accuracy o1 0.47,
GPT-4o 0.38; hallucination rate o1 0.44, GPT-4o 0.61).
"""

from __future__ import annotations

import ast
import csv
import random
from dataclasses import asdict
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import TaskState, generate

from tony.core.data import Provenance, resolve_files
from tony.core.judges.grader import JudgeInfo, grader_model_name
from tony.evals.o1_facts_fairness.builtin import SIMPLEQA_ITEMS, builtin_provenance
from tony.evals.o1_facts_fairness.grader import llm_grade
from tony.evals.o1_facts_fairness.metrics import simpleqa_rates
from tony.evals.o1_facts_fairness.offline_grader import OFFLINE_GRADER_NAME, offline_grade

SIMPLEQA_FILE = "simple_qa_test_set.csv"


def builtin_samples() -> list[Sample]:
    return [Sample(id=item_id, input=question, target=gold, metadata={"topic": topic, "answer_type": ""})
            for item_id, topic, question, gold in SIMPLEQA_ITEMS]


def public_samples(data_dir: str | None, sample: int | None, seed: int) -> tuple[list[Sample], Provenance]:
    """SimpleQA's questions (columns metadata, question, true_answer); a seeded random subset of `sample` of them."""
    (resolved,), provenance = resolve_files("simpleqa", [SIMPLEQA_FILE], data_dir)
    with resolved.path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    indices = list(range(len(rows)))
    if sample is not None and sample < len(rows):
        indices = sorted(random.Random(seed).sample(indices, sample))
    samples = []
    for index in indices:
        row = rows[index]
        meta = ast.literal_eval(row["metadata"])  # a Python dict literal: topic, answer_type, urls
        samples.append(Sample(id=f"simpleqa-{index}", input=row["question"], target=row["true_answer"],
                              metadata={"topic": meta.get("topic", ""), "answer_type": meta.get("answer_type", "")}))
    return samples, provenance


@metric
def simpleqa_summary() -> Metric:
    """Wei et al. 2024: accuracy, hallucination (incorrect) rate, not-attempted rate, correct given attempted, F."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        rates = simpleqa_rates([str(s.score.answer) for s in scores])
        summary = {"n": float(rates.n), "undecided": float(rates.undecided)}
        for name, interval in (("accuracy", rates.accuracy()), ("hallucination_rate", rates.hallucination_rate()),
                               ("not_attempted_rate", rates.not_attempted_rate()),
                               ("correct_given_attempted", rates.correct_given_attempted())):
            if interval.value is not None:
                summary[name] = interval.value
        f_score = rates.f_score()
        if f_score is not None:
            summary["f_score"] = f_score
        return summary

    return compute


@scorer(metrics=[simpleqa_summary()])
def simpleqa_grade() -> Any:
    """CORRECT / INCORRECT / NOT_ATTEMPTED (or unparsed / uncertain) for the reply."""

    async def score(state: TaskState, target: Target) -> Score:
        question, gold, reply = state.input_text, target.text, state.output.completion
        grader = grader_model_name()
        if grader:
            grade, raw = await llm_grade(question, gold, reply)
            judge = JudgeInfo("llm", grader)
        else:
            grade, raw, judge = offline_grade(question, gold, reply), "", JudgeInfo("offline", OFFLINE_GRADER_NAME)
        return Score(value=grade, answer=grade, explanation=raw[:2000],
                     metadata={"judge": asdict(judge), "topic": state.metadata.get("topic", ""), "gold": gold})

    return score


@task
def simpleqa(dataset: str = "builtin", sample: int | None = None, seed: int = 0, max_tokens: int = 96,
             data_dir: str | None = None) -> Task:
    """o1 System Card hallucination evaluation: SimpleQA accuracy and hallucination rate (builtin, simpleqa)."""
    if dataset == "builtin":
        samples, provenance = builtin_samples(), builtin_provenance("simpleqa")
    elif dataset == "simpleqa":
        samples, provenance = public_samples(data_dir, sample, seed)
    else:
        raise ValueError(f"unknown dataset {dataset!r}; choose builtin or simpleqa")
    return Task(
        dataset=MemoryDataset(samples, name=f"simpleqa-{dataset}"),
        solver=generate(),
        scorer=simpleqa_grade(),
        config=GenerateConfig(temperature=0.0, max_tokens=max_tokens),
        metadata={"provenance": provenance.as_dict(), "paper": "OpenAI o1 System Card; Wei et al. 2024 (SimpleQA)",
                  "sample": sample, "seed": seed},
    )
