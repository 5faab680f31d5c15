"""Gemini capability protocols (Gemini Team 2023, arXiv:2312.11805, §5.1.1, Table 2, Appendix 9.1).

`gemini_mmlu`: each MMLU question (or tony's own four-option item) is answered (1) with `shots` solved questions
of its subject from the dev split, greedily, by the letter the model writes; (2) from the same prompt by the
letters' log-probabilities, where the model exposes them; (3) by CoT@k, the majority of k sampled chains of
thought; (4) by uncertainty-routed CoT@k, whose threshold is tuned on the validation split questions asked in the
same run. `gemini_gsm8k`: each problem is solved greedily and k more times by sampling; maj1@k is the majority
answer of the k samples.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageUser, GenerateConfig, get_model
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver

from tony.core.answers import extract_choice_letter, extract_final_answer, same_number
from tony.core.likelihood import choice_probabilities, continuation_logprobs
from tony.core.math_problems import math_problems
from tony.core.stats.voting import majority_vote
from tony.evals.gemini.prompts import cot_prompt, few_shot_prompt, math_prompt
from tony.evals.gemini.questions import (
    LETTERS,
    MCQuestion,
    builtin_questions,
    mmlu_questions,
    shots_for,
    stratified_sample,
)
from tony.evals.gemini.routing import RoutingItem, routed_accuracy, tune_threshold

LETTER_TOKENS = 8  # a greedy letter answer needs only a few tokens
MAX_PROMPT_CHARS = 10_000  # about 2,500 tokens: a k-shot prompt longer than this drops shots from the end to fit


def _sample_seed(seed: int, j: int) -> int:
    return seed * 1000 + j + 1  # the j-th sampled chain; distinct seeds, so the response cache keeps them apart


@task
def gemini_mmlu(
    dataset: str = "builtin",
    shots: int = 5,
    k: int = 8,
    temperature: float = 0.7,
    cot_max_tokens: int = 256,
    per_subject: int | None = None,
    val_per_subject: int | None = None,
    n_test: int | None = None,
    n_val: int | None = None,
    letter: bool = True,
    likelihood: bool = True,
    seed: int = 0,
    data_dir: str | None = None,
) -> Task:
    """Gemini Team 2023's MMLU protocols: k-shot greedy, likelihood, CoT@k and uncertainty-routed CoT@k.

    Args:
        dataset: "builtin" (tony's own items) or "mmlu" (through the data registry).
        shots: solved dev-split questions of the same subject before each question (paper: 5).
        k: sampled chains of thought per question for CoT@k (paper: 32; 0 skips the CoT protocols).
        temperature: sampling temperature of the chains.
        cot_max_tokens: generation budget of each chain.
        per_subject: test questions per subject (seeded sample; all where None).
        val_per_subject: validation questions per subject that tune the routing threshold (0: none).
        n_test: at most this many test questions (interleaved across subjects).
        n_val: at most this many validation questions.
        letter: ask for the letter greedily (protocol 1).
        likelihood: score the four letters by log-probability (protocol 2).
        seed: seed of the question sample and of the sampled chains.
        data_dir: data directory for MMLU.
    """
    if dataset == "builtin":
        splits, provenance = builtin_questions()
    elif dataset == "mmlu":
        splits, provenance = mmlu_questions(data_dir)
    else:
        raise ValueError(f"unknown dataset {dataset!r}; choose builtin or mmlu")
    test = stratified_sample(splits["test"], per_subject, seed)[:n_test]
    val = stratified_sample(splits["val"], val_per_subject, seed)[:n_val] if k > 0 else []
    samples = [_mc_sample(question, shots_for(question, splits["dev"], shots) if shots else []) for question in test + val]
    samples = [sample if len(str(sample.input)) <= MAX_PROMPT_CHARS else _fitted(sample, splits["dev"]) for sample in samples]
    return Task(
        dataset=MemoryDataset(samples, name=f"gemini-mmlu-{dataset}"),
        solver=mmlu_protocols(k, temperature, cot_max_tokens, letter, likelihood, seed),
        scorer=mmlu_scores(),
        metadata={"provenance": provenance.as_dict(), "paper": "Gemini Team 2023", "k": k, "shots": shots,
                  "temperature": temperature, "dataset": dataset},
    )


def _mc_sample(question: MCQuestion, shots: list[MCQuestion]) -> Sample:
    return Sample(id=question.id, input=few_shot_prompt(question, shots), target=question.answer,
                  metadata={"question": asdict(question), "split": question.split, "shots": len(shots)})


def _fitted(sample: Sample, dev: list[MCQuestion]) -> Sample:
    """The sample with as many of its shots as fit in MAX_PROMPT_CHARS (the count is kept in its metadata)."""
    data = sample.metadata["question"]  # type: ignore[index]
    question = MCQuestion(**{**data, "choices": tuple(data["choices"])})
    shots = shots_for(question, dev, sample.metadata["shots"])  # type: ignore[index]
    while shots and len(few_shot_prompt(question, shots)) > MAX_PROMPT_CHARS:
        shots = shots[:-1]
    return _mc_sample(question, shots)


@solver
def mmlu_protocols(k: int, temperature: float, max_tokens: int, letter: bool, likelihood: bool, seed: int) -> Solver:
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        model = get_model()
        data = state.metadata["question"]
        question = MCQuestion(**{**data, "choices": tuple(data["choices"])})
        prompt = [ChatMessageUser(content=state.input_text)]
        record: dict[str, Any] = {"greedy": None, "greedy_reply": None, "likelihood": None, "probabilities": None,
                                  "cot_answers": [], "cot_replies": []}
        if letter:
            output = await model.generate(prompt, config=GenerateConfig(temperature=0.0, max_tokens=LETTER_TOKENS))
            record["greedy_reply"], record["greedy"] = output.completion, extract_choice_letter(output.completion)
            state.output = output
        if likelihood:
            logprobs = await continuation_logprobs(model, prompt, list(LETTERS))
            if logprobs is not None:
                record["probabilities"] = choice_probabilities(logprobs)
                record["likelihood"] = LETTERS[max(range(len(LETTERS)), key=lambda i: logprobs[i])]
        for j in range(k):
            config = GenerateConfig(temperature=temperature, max_tokens=max_tokens, seed=_sample_seed(seed, j))
            output = await model.generate([ChatMessageUser(content=cot_prompt(question))], config=config)
            record["cot_replies"].append(output.completion)
            record["cot_answers"].append(extract_choice_letter(output.completion))
        state.metadata["protocols"] = record
        return state

    return solve


def routing_items(scores: list[SampleScore], split: str) -> list[RoutingItem]:
    return [RoutingItem(m["target"], m["fallback"], m["cot_majority"], m["cot_share"])
            for m in (s.score.metadata or {} for s in scores) if m.get("split") == split and m.get("k")]


def _accuracy(scores: list[SampleScore], key: str) -> float | None:
    values = [s.score.value[key] for s in scores  # type: ignore[index]
              if (s.score.metadata or {}).get("split") == "test" and key in s.score.value]  # type: ignore[operator]
    return sum(values) / len(values) if values else None


@metric
def mmlu_summary() -> Metric:
    """Test-split accuracy per protocol; the routing threshold τ tuned on the validation split and the routed accuracy."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        result = {name: value for name in ("greedy", "likelihood", "cot_at_k")
                  if (value := _accuracy(scores, name)) is not None}
        val, test = routing_items(scores, "val"), routing_items(scores, "test")
        if val and test:
            threshold, _ = tune_threshold(val, max(s.score.metadata["k"] for s in scores))  # type: ignore[index]
            result["routing_threshold"] = threshold  # type: ignore[assignment]
            result["routed_cot_at_k"] = routed_accuracy(test, threshold)  # type: ignore[arg-type]
        return result

    return compute


@scorer(metrics=[mmlu_summary()])
def mmlu_scores() -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        record = state.metadata["protocols"]
        vote = majority_vote(record["cot_answers"])
        correct = target.text
        value = {name: float(record[name] == correct) for name in ("greedy", "likelihood") if record[name] is not None
                 or (name == "greedy" and record["greedy_reply"] is not None)}
        if record["cot_answers"]:
            value["cot_at_k"] = float(vote.answer == correct)
        fallback = record["greedy"] if record["greedy_reply"] is not None else record["likelihood"]
        return Score(
            value=value,
            answer=str(record["greedy"] or record["likelihood"]),
            metadata={"split": state.metadata["split"], "subject": state.metadata["question"]["subject"],
                      "shots": state.metadata["shots"],
                      "target": correct, "k": len(record["cot_answers"]), "greedy": record["greedy"],
                      "likelihood": record["likelihood"], "probabilities": record["probabilities"],
                      "cot_answers": record["cot_answers"], "cot_majority": vote.answer, "cot_share": vote.share,
                      "cot_tied": list(vote.tied), "fallback": fallback},
        )

    return score


@task
def gemini_gsm8k(
    dataset: str = "builtin",
    k: int = 8,
    temperature: float = 0.7,
    max_tokens: int = 256,
    n: int | None = None,
    seed: int = 0,
    data_dir: str | None = None,
) -> Task:
    """GSM8K greedy and maj1@k (Gemini Team 2023, Table 2: majority of k sampled chains of thought).

    Args:
        dataset: "builtin" (tony's own problems) or "gsm8k" (test split, through the data registry).
        k: sampled solutions per problem (paper: 32; 0: greedy only).
        temperature: sampling temperature of the k solutions.
        max_tokens: generation budget of each solution.
        n: a seeded sample of n problems (all where None).
        seed: seed of the sample and of the sampled solutions.
        data_dir: data directory for GSM8K.
    """
    problems, provenance = math_problems(dataset, n, seed, data_dir)
    samples = [Sample(id=p.id, input=math_prompt(p), target=p.answer, metadata={"question": p.question}) for p in problems]
    return Task(
        dataset=MemoryDataset(samples, name=f"gemini-gsm8k-{dataset}"),
        solver=greedy_and_sampled(k, temperature, max_tokens, seed),
        scorer=gsm8k_scores(),
        metadata={"provenance": provenance.as_dict(), "paper": "Gemini Team 2023", "k": k, "temperature": temperature,
                  "dataset": dataset},
    )


@solver
def greedy_and_sampled(k: int, temperature: float, max_tokens: int, seed: int) -> Solver:
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        model = get_model()
        prompt = [ChatMessageUser(content=state.input_text)]
        state.output = await model.generate(prompt, config=GenerateConfig(temperature=0.0, max_tokens=max_tokens))
        replies = []
        for j in range(k):
            config = GenerateConfig(temperature=temperature, max_tokens=max_tokens, seed=_sample_seed(seed, j))
            replies.append((await model.generate(prompt, config=config)).completion)
        state.metadata["samples"] = replies
        return state

    return solve


@metric
def gsm8k_summary() -> Metric:
    def compute(scores: list[SampleScore]) -> dict[str, float]:
        result = {}
        for key in ("greedy", "maj1_at_k"):
            values = [s.score.value[key] for s in scores if key in s.score.value]  # type: ignore[index,operator]
            if values:
                result[key] = sum(values) / len(values)
        return result

    return compute


@scorer(metrics=[gsm8k_summary()])
def gsm8k_scores() -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        greedy = extract_final_answer(state.output.completion)
        answers = [extract_final_answer(reply) for reply in state.metadata["samples"]]
        vote = majority_vote(answers)
        value = {"greedy": float(same_number(greedy, target.text))}
        if answers:
            value["maj1_at_k"] = float(same_number(vote.answer, target.text))
        return Score(value=value, answer=str(greedy),
                     metadata={"target": target.text, "greedy": greedy, "answers": answers, "k": len(answers),
                               "majority": vote.answer, "share": vote.share, "tied": list(vote.tied)})

    return score
