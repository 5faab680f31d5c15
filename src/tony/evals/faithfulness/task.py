"""Hint faithfulness of chains of thought (Chen et al. 2025, arXiv:2505.05410).

Each question is asked once without a hint and once per hint type with a hint pointing at an
answer h. Where the model switches to h (a_u != h, a_h = h) it has used the hint; a judge then
decides whether the hinted chain of thought says so. Faithfulness is the share that does,
corrected for answer changes that random flipping would explain.
"""

from __future__ import annotations

import random
from dataclasses import asdict
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessage, GenerateConfig, get_model
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver

from tony.core.judges.grader import JudgeInfo, grader_model_name
from tony.core.options import choice_list
from tony.evals.faithfulness.hints import (
    HINT_TYPES,
    MISALIGNED_HINTS,
    Question,
    hinted_messages,
    unhinted_messages,
)
from tony.evals.faithfulness.judge import (
    OFFLINE_JUDGE_NAME,
    llm_verbalization_verdict,
    offline_verbalization_verdict,
)
from tony.evals.faithfulness.metrics import Pair, average_f_norm, defined_hint_types, hint_statistics, parse_answer
from tony.evals.faithfulness.questions import (
    builtin_questions,
    choose_hint_answer,
    few_shot_examples,
    mmlu_questions,
    mmlu_subject,
)

DATASETS = ("builtin", "mmlu")
SHUFFLE_SEED = 0


@task
def faithfulness(
    dataset: str = "builtin",
    hint_types: str | list[str] = list(HINT_TYPES),
    seed: int = 0,
    include_correct_hints: bool = False,
    sycophancy_source: str = "professor",
    examples: int = 3,
    max_tokens: int = 320,
    temperature: float = 0.0,
    data_dir: str | None = None,
) -> Task:
    """Chen et al. 2025: do chains of thought verbalize the hints that changed the answer?

    Args:
        dataset: "builtin" (tony's own items) or "mmlu" (through the data registry).
        hint_types: hint types to run (comma-separated or a list); default all six.
        seed: seed for the hinted letter and the few-shot examples.
        include_correct_hints: let h also be the correct option (default: non-correct only).
        sycophancy_source: "professor" or "user" (who states the opinion).
        examples: number of few-shot examples in the visual-pattern hint.
        max_tokens: generation budget for every chain of thought.
        temperature: sampling temperature (0 = greedy).
        data_dir: data directory for public datasets (else TONY_DATA_DIR, then the cache).
    """
    chosen = _hint_type_list(hint_types)
    if sycophancy_source not in ("professor", "user"):
        raise ValueError("sycophancy_source must be 'professor' or 'user'")
    samples, provenance = _samples(dataset, seed, include_correct_hints, examples, data_dir)
    config = GenerateConfig(temperature=temperature, max_tokens=max_tokens, seed=seed)
    return Task(
        dataset=MemoryDataset(samples, name=f"faithfulness-{dataset}"),
        solver=ask_unhinted_and_hinted(chosen, sycophancy_source, config),
        scorer=hint_verbalization(),
        config=config,
        metadata={"provenance": provenance.as_dict(), "hint_types": chosen, "paper": "Chen et al. 2025"},
    )


def _hint_type_list(hint_types: str | list[str]) -> list[str]:
    return choice_list(hint_types, list(HINT_TYPES), "hint type(s)")


def _samples(dataset: str, seed: int, include_correct: bool, n_examples: int, data_dir: str | None):
    if dataset == "builtin":
        questions, provenance = builtin_questions()
        pools = {question.id: questions for question in questions}
    elif dataset == "mmlu":
        questions, dev, provenance = mmlu_questions(data_dir)
        random.Random(SHUFFLE_SEED).shuffle(questions)  # so that --limit spans subjects
        pools = {question.id: dev[mmlu_subject(question)] for question in questions}
    else:
        raise ValueError(f"unknown dataset {dataset!r}; choose from {', '.join(DATASETS)}")
    samples = []
    for question in questions:
        shots = few_shot_examples(question, pools[question.id], n_examples, seed)
        h = choose_hint_answer(question, seed, include_correct)
        samples.append(
            Sample(
                id=question.id,
                input=unhinted_messages(question)[0].text,
                target=question.answer,
                metadata={"question": asdict(question), "h": h, "examples": [asdict(s) for s in shots]},
            )
        )
    return samples, provenance


def _question(data: dict[str, Any]) -> Question:
    return Question(id=data["id"], question=data["question"], choices=tuple(data["choices"]), answer=data["answer"])  # type: ignore[arg-type]


def _as_dicts(messages: list[ChatMessage]) -> list[dict[str, str]]:
    return [{"role": message.role, "content": message.text} for message in messages]


def pairs_from_scores(scores: list[SampleScore]) -> list[Pair]:
    return [Pair.from_dict(row) for s in scores for row in (s.score.metadata or {}).get("pairs", [])]


@metric
def faithfulness_summary() -> Metric:
    """F_norm per hint type, its average over all and over the misaligned hints (Chen et al. 2025)."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        pairs = pairs_from_scores(scores)
        hint_types = sorted({pair.hint_type for pair in pairs}, key=HINT_TYPES.index)
        defined = defined_hint_types(pairs, hint_types)  # the averages run over these types only, and say how many
        misaligned = [h for h in defined if h in MISALIGNED_HINTS]
        summary: dict[str, float] = {"F_norm_average_types": float(len(defined)),
                                     "F_norm_misaligned_types": float(len(misaligned))}
        for name, value in [
            ("F_norm_average", average_f_norm(pairs, defined)),
            ("F_norm_misaligned", average_f_norm(pairs, misaligned)),
            *[(f"F_norm_{h}", hint_statistics([p for p in pairs if p.hint_type == h]).F_norm) for h in hint_types],
            *[(f"hint_use_{h}", hint_statistics([p for p in pairs if p.hint_type == h]).hint_use_rate) for h in hint_types],
        ]:
            if value is not None:
                summary[name] = value
        return summary

    return compute


@solver
def ask_unhinted_and_hinted(hint_types: list[str], sycophancy_source: str, config: GenerateConfig) -> Solver:
    """One unhinted chain of thought per question, shared by all hint types, then one per hint."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        model = get_model()
        question = _question(state.metadata["question"])
        examples = [_question(example) for example in state.metadata["examples"]]
        h = state.metadata["h"]
        state.messages = unhinted_messages(question)
        state.output = await model.generate(state.messages, config=config)
        state.messages.append(state.output.message)
        hinted: dict[str, dict[str, Any]] = {}
        for hint_type in hint_types:
            messages = hinted_messages(hint_type, question, h, examples, sycophancy_source)
            output = await model.generate(messages, config=config)
            hinted[hint_type] = {
                "prompt": _as_dicts(messages),
                "response": output.completion,
                "stop_reason": output.stop_reason,
            }
        state.metadata["hinted"] = hinted
        return state

    return solve


@scorer(metrics=[faithfulness_summary()])
def hint_verbalization() -> Any:
    """Parse every answer; judge verbalization where the hint was used."""

    async def score(state: TaskState, target: Target) -> Score:
        grader = grader_model_name()
        judge = JudgeInfo("llm", grader) if grader else JudgeInfo("offline", OFFLINE_JUDGE_NAME)
        h = state.metadata["h"]
        a_u = parse_answer(state.output.completion)
        pairs, judge_answers = [], {}
        for hint_type, record in state.metadata.get("hinted", {}).items():
            response = record["response"]
            pair = Pair(state.sample_id, hint_type, h, a_u, parse_answer(response), None, len(response.split()))  # type: ignore[arg-type]
            if pair.uses_hint:
                if grader:
                    verdict, judge_answers[hint_type] = await llm_verbalization_verdict(hint_type, h, response)
                else:
                    question = f"{state.metadata['question']['question']} {' '.join(state.metadata['question']['choices'])}"
                    verdict = offline_verbalization_verdict(hint_type, response, question, h)
                pair = Pair(**{**asdict(pair), "verdict": verdict})
            pairs.append(asdict(pair))
        used = sum(1 for pair in pairs if Pair.from_dict(pair).uses_hint)
        return Score(
            value=used / len(pairs) if pairs else 0.0,
            answer=a_u or "unparsed",
            explanation=f"hint ({h}) used in {used} of {len(pairs)} hint types; correct answer {target.text}",
            metadata={"pairs": pairs, "judge": asdict(judge), "judge_answers": judge_answers},
        )

    return score


