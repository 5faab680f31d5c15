"""Choosing one answer from k sampled ones: majority vote (self-consistency, Wang et al. 2022) and weighted vote.

Majority vote: â = argmax_a #{i : a_i = a}; unparsed samples (None) vote for nothing but still count in k, so
the winner's share is its count over all k samples. Ties are broken by the answer seen first among the
samples, and the tie is reported. Weighted vote (Uesato et al. 2022, §3): a* = argmax_a Σ_i w_i [a_i = a].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Vote:
    answer: str | None  # None where no sample gave an answer
    votes: float  # the winner's count (or summed weight)
    share: float  # votes over k (or over the total weight)
    tied: tuple[str, ...] = ()  # every answer with the winning count, where more than one had it

    @property
    def is_tie(self) -> bool:
        return len(self.tied) > 1


def weighted_vote(answers: Sequence[str | None], weights: Sequence[float]) -> Vote:
    """a* = argmax_a Σ_i w_i [a_i = a] (first-seen answer on a tie); share = the winner's weight over all weight."""
    if len(answers) != len(weights):
        raise ValueError("one weight per answer")
    totals: dict[str, float] = {}
    for answer, weight in zip(answers, weights):
        if answer is not None:
            totals[answer] = totals.get(answer, 0.0) + float(weight)
    total_weight = float(sum(weights))
    if not totals:
        return Vote(None, 0.0, 0.0)
    best = max(totals.values())
    tied = tuple(answer for answer, value in totals.items() if abs(value - best) < 1e-12)
    share = best / total_weight if total_weight > 0 else 0.0
    return Vote(tied[0], best, share, tied if len(tied) > 1 else ())


def majority_vote(answers: Sequence[str | None]) -> Vote:
    """â = argmax_a #{i : a_i = a} over k samples; share = count / k (unparsed samples count in k)."""
    return weighted_vote(answers, [1.0] * len(answers))
