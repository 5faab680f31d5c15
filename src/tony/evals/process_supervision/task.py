"""Final-answer error versus trace error (Uesato et al. 2022, arXiv:2211.14275, §2–4, Table 1).

Each GSM8K problem (or one of tony's own) is solved once greedily and K times by sampling, one step per line. A
step judge marks each solution's first major mistake; an ORM and a PRM score each solution; five selection rules
pick one of the K (selection.py). Per rule the task reports the final-answer error and the trace error of the
selected solutions; the greedy solution is the baseline ("before") that PRM best-of-K mitigates ("after").

Who judged what (issue 20 A1): the ORM and the PRM that select are always the offline checker (tony's stand-in for
the paper's learned reward models, SELECTOR); the step judge that scores trace error is the grader-role model when
one is bound (a judge whose errors are independent of the checker's), else the same offline checker. In the latter
case the trace error of an RM-selected solution is judge-selected: a solution is kept because the checker missed
its error (with every solution clean and each flagged at random with p, best-of-K reads about p^K), so the card
shows it in the table only, labelled, and keeps it out of the headline.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageUser, GenerateConfig, get_model
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver

from tony.core.answers import same_number
from tony.core.judges.grader import UNCERTAIN, UNPARSED, JudgeInfo, grader_model_name
from tony.core.math_problems import math_problems
from tony.evals.process_supervision.judge_check import OFFLINE_NAME
from tony.evals.process_supervision.arithmetic import check_steps
from tony.evals.process_supervision.judges import (
    AGGREGATES,
    INCORRECT,
    aggregate,
    first_error_of,
    grader_first_error,
    orm_of,
    step_scores_of,
)
from tony.evals.process_supervision.selection import (
    METHODS,
    Candidate,
    Outcome,
    final_answer_error,
    select,
    trace_error,
)
from tony.evals.process_supervision.solutions import final_answer, solve_prompt, split_steps

GREEDY = "greedy"
SELECTOR = JudgeInfo("offline", f"{OFFLINE_NAME}: PRM and ORM")  # selects among the K, never scores


@task
def process_supervision(
    dataset: str = "builtin",
    K: int = 4,
    temperature: float = 0.7,
    max_tokens: int = 256,
    n: int | None = None,
    seed: int = 0,
    prm_aggregate: str = "product",
    data_dir: str | None = None,
) -> Task:
    """Uesato et al. 2022: final-answer error and trace error under majority vote, ORM/PRM best-of-K and RM-weighted voting.

    Args:
        dataset: "builtin" (tony's own problems) or "gsm8k" (test split, through the data registry).
        K: sampled solutions per problem (besides the greedy one).
        temperature: sampling temperature of the K solutions.
        max_tokens: generation budget of each solution.
        n: a seeded sample of n problems (all where None).
        seed: seed of the sample and of the sampled solutions.
        prm_aggregate: a solution's PRM score from its step scores: "product" (the paper's) or "min".
        data_dir: data directory for GSM8K.
    """
    if prm_aggregate not in AGGREGATES:
        raise ValueError(f"prm_aggregate must be one of {AGGREGATES}")
    if K < 1:
        raise ValueError("K must be at least 1")
    problems, provenance = math_problems(dataset, n, seed, data_dir)
    samples = [Sample(id=p.id, input=solve_prompt(p), target=p.answer, metadata={"question": p.question}) for p in problems]
    return Task(
        dataset=MemoryDataset(samples, name=f"process-supervision-{dataset}"),
        solver=greedy_and_k_solutions(K, temperature, max_tokens, seed),
        scorer=traces_and_selections(prm_aggregate),
        metadata={"provenance": provenance.as_dict(), "paper": "Uesato et al. 2022", "K": K,
                  "temperature": temperature, "prm_aggregate": prm_aggregate, "dataset": dataset},
    )


@solver
def greedy_and_k_solutions(K: int, temperature: float, max_tokens: int, seed: int) -> Solver:
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        model = get_model()
        prompt = [ChatMessageUser(content=state.input_text)]
        state.output = await model.generate(prompt, config=GenerateConfig(temperature=0.0, max_tokens=max_tokens))
        texts = []
        for j in range(K):
            config = GenerateConfig(temperature=temperature, max_tokens=max_tokens, seed=seed * 1000 + j + 1)
            texts.append((await model.generate(prompt, config=config)).completion)
        state.metadata["sampled"] = texts
        return state

    return solve


async def judge_solution(problem: str, text: str, target: str, how: str, grader: bool) -> dict[str, Any]:
    """One solution: its steps and answer, the offline PRM step scores and score and ORM score (the selector), and
    the step judge's first error (the scorer: the grader when bound, else the offline checker)."""
    steps = split_steps(text)
    answer = final_answer(steps)
    raw: dict[str, str] = {}
    checks = check_steps(problem, steps) if steps else []
    step_scores, orm = step_scores_of(checks), (orm_of(checks, steps) if steps else 0.0)
    if not steps:
        first, label = None, UNCERTAIN
    elif grader:
        first, label, raw["step_judge"] = await grader_first_error(problem, steps)
    else:
        first, label = first_error_of(checks)
    return {"steps": steps, "answer": answer, "correct": same_number(answer, target), "first_error": first,
            "label": label, "prm_steps": step_scores, "prm": aggregate(step_scores, how) if step_scores else 0.0,
            "orm": orm, "raw": raw}


def outcome_of(solution: dict[str, Any], confidence: float) -> Outcome:
    decided = solution["label"] not in (UNCERTAIN, UNPARSED)
    return Outcome(solution["correct"], (solution["label"] == INCORRECT) if decided else None, confidence)


def outcomes(scores: list[SampleScore], method: str) -> list[Outcome]:
    return [Outcome(**o) for s in scores if (o := (s.score.metadata or {}).get("outcomes", {}).get(method))]


@metric
def error_rates() -> Metric:
    """Final-answer error and trace error of the greedy solution and of each selection method."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        result: dict[str, float] = {}
        for method in (GREEDY, *METHODS):
            rows = outcomes(scores, method)
            wrong, n = final_answer_error(rows)
            errors, decided, _ = trace_error(rows)
            if n:
                result[f"{method}_final_answer_error"] = wrong / n
            if decided:
                result[f"{method}_trace_error"] = errors / decided
        return result

    return compute


@scorer(metrics=[error_rates()])
def traces_and_selections(prm_aggregate: str) -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        grader = grader_model_name()
        problem = state.metadata["question"]
        greedy = await judge_solution(problem, state.output.completion, target.text, prm_aggregate, bool(grader))
        sampled = [await judge_solution(problem, text, target.text, prm_aggregate, bool(grader))
                   for text in state.metadata["sampled"]]
        candidates = [Candidate(s["answer"], s["orm"], s["prm"]) for s in sampled]
        found = {GREEDY: asdict(outcome_of(greedy, greedy["prm"]))}
        selected = {}
        for method in METHODS:
            choice = select(method, candidates)
            selected[method] = choice.index
            if choice.index is not None:
                found[method] = asdict(outcome_of(sampled[choice.index], choice.confidence))
        judge = JudgeInfo("llm", grader) if grader else JudgeInfo("offline", OFFLINE_NAME)
        return Score(
            value={method: float(o["correct"]) for method, o in found.items()},
            answer=str(greedy["answer"]),
            metadata={"greedy": greedy, "sampled": sampled, "selected": selected, "outcomes": found,
                      "judge": asdict(judge), "selector": asdict(SELECTOR), "target": target.text},
        )

    return score
