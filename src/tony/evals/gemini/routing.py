"""CoT@k and uncertainty-routed CoT@k (Gemini Team 2023, §5.1.1 and Appendix 9.1).

CoT@k: the majority answer â of k sampled chains of thought. Uncertainty-routed CoT@k: the model answers with â
when â's share s = #{i : a_i = â} / k among the k samples reaches a threshold τ, and otherwise falls back to
its greedy answer g:  answer = â if s ≥ τ else g. τ is chosen on the validation split (the accuracy-maximising
value over the levels s can take, j/k; a tie goes to the lowest τ, which trusts the chains most) and applied
unchanged to the test split. τ above 1 never routes to the chains (greedy only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

NEVER = 1.01  # a threshold no share reaches: always the greedy answer


@dataclass(frozen=True)
class RoutingItem:
    correct: str
    greedy: str | None  # the greedy answer g (None: unparsed)
    majority: str | None  # â over the k chains (None: none parsed)
    share: float  # s = count(â) / k


def routed_answer(item: RoutingItem, threshold: float) -> str | None:
    """â if s ≥ τ else g."""
    if item.majority is not None and item.share >= threshold:
        return item.majority
    return item.greedy


def routed_accuracy(items: Sequence[RoutingItem], threshold: float) -> float | None:
    if not items:
        return None
    return sum(routed_answer(item, threshold) == item.correct for item in items) / len(items)


def threshold_grid(k: int) -> list[float]:
    """The shares a majority can have among k samples (j/k), and NEVER."""
    return [j / k for j in range(k + 1)] + [NEVER] if k > 0 else [NEVER]


def tune_threshold(items: Sequence[RoutingItem], k: int) -> tuple[float | None, list[tuple[float, float]]]:
    """τ* = argmax_τ validation accuracy (lowest τ on a tie), and the whole sweep [(τ, accuracy)]."""
    if not items:
        return None, []
    sweep = [(threshold, routed_accuracy(items, threshold) or 0.0) for threshold in threshold_grid(k)]
    best = max(accuracy for _, accuracy in sweep)
    return next(threshold for threshold, accuracy in sweep if accuracy == best), sweep
