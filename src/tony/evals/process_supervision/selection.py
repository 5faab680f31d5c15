"""Choosing one of K sampled solutions, and the two error rates (Uesato et al. 2022, §2–3, Table 1, Fig. 4).

Selection (each returns the index of the selected solution, ties to the earliest sample):
  majority       â = argmax_a #{i : a_i = a}; the first solution giving â
  orm_best_of_k  argmax_i ORM(i)                       prm_best_of_k  argmax_i PRM(i)
  orm_weighted   a* = argmax_a Σ_{i : a_i = a} ORM(i);  prm_weighted   the same with PRM scores;
                 the highest-scored solution giving a*
Each selection also has a confidence for selective prediction: the vote share of â (majority), the selected
solution's RM score (best-of-K), a*'s share of the summed RM score (weighted voting).

Final-answer error = share of problems whose selected answer is wrong. Trace error = among problems whose selected
answer is right, the share whose selected solution has a step with a major mistake (by the step judge; solutions the
judge could not decide are left out and counted). Selective prediction: abstain on the share π of problems with the
lowest confidence and report the final-answer error on the rest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tony.core.stats.voting import majority_vote, weighted_vote

METHODS = ("majority", "orm_best_of_k", "prm_best_of_k", "orm_weighted", "prm_weighted")
ABSTENTION = (0.0, 0.1, 0.3, 0.5)  # π, the share of problems abstained on


@dataclass(frozen=True)
class Candidate:
    answer: str | None
    orm: float
    prm: float


@dataclass(frozen=True)
class Selection:
    index: int | None  # None: no solution to select
    confidence: float


def _best(scores: Sequence[float], among: Sequence[int] | None = None) -> int:
    indices = list(among) if among is not None else list(range(len(scores)))
    return max(indices, key=lambda i: (scores[i], -i))


def select(method: str, candidates: Sequence[Candidate]) -> Selection:
    if not candidates:
        return Selection(None, 0.0)
    answers = [c.answer for c in candidates]
    if method == "majority":
        vote = majority_vote(answers)
        index = answers.index(vote.answer) if vote.answer is not None else 0
        return Selection(index, vote.share)
    rm = [c.orm for c in candidates] if method.startswith("orm") else [c.prm for c in candidates]
    if method.endswith("best_of_k"):
        index = _best(rm)
        return Selection(index, rm[index])
    if method.endswith("weighted"):
        vote = weighted_vote(answers, rm)
        if vote.answer is None:
            return Selection(_best(rm), 0.0)
        return Selection(_best(rm, [i for i, a in enumerate(answers) if a == vote.answer]), vote.share)
    raise ValueError(f"unknown selection method {method!r}; choose from {', '.join(METHODS)}")


@dataclass(frozen=True)
class Outcome:
    """One problem under one selection method."""

    correct: bool  # the selected final answer is right
    has_error: bool | None  # the selected solution has a major mistake (None: the step judge did not decide)
    confidence: float


def final_answer_error(outcomes: Sequence[Outcome]) -> tuple[int, int]:
    """(wrong, n): final-answer error = wrong / n."""
    return sum(not o.correct for o in outcomes), len(outcomes)


def trace_error(outcomes: Sequence[Outcome]) -> tuple[int, int, int]:
    """(with an error, decided, undecided) among problems with a right final answer: trace error = first / second."""
    right = [o for o in outcomes if o.correct]
    decided = [o for o in right if o.has_error is not None]
    return sum(bool(o.has_error) for o in decided), len(decided), len(right) - len(decided)


def selective_error(outcomes: Sequence[Outcome], abstain: float) -> tuple[int, int]:
    """(wrong, answered) after abstaining on the ⌊π·n⌋ problems of lowest confidence (earlier problems first on ties)."""
    order = sorted(range(len(outcomes)), key=lambda i: (outcomes[i].confidence, i))
    kept = [outcomes[i] for i in order[math.floor(abstain * len(outcomes) + 1e-9):]]
    return sum(not o.correct for o in kept), len(kept)
