"""The uncertainty-routing rule and its threshold tuned on a validation fixture (Gemini Team 2023, §5.1.1)."""

import pytest

from tony.evals.gemini.routing import NEVER, RoutingItem, routed_accuracy, routed_answer, threshold_grid, tune_threshold


def test_routing_rule():
    item = RoutingItem(correct="A", greedy="B", majority="A", share=0.5)
    assert routed_answer(item, 0.5) == "A"  # s ≥ τ: the majority
    assert routed_answer(item, 0.75) == "B"  # s < τ: the greedy answer
    assert routed_answer(RoutingItem("A", "B", None, 0.0), 0.0) == "B"  # no chain parsed: greedy


def test_grid():
    assert threshold_grid(4) == [0.0, 0.25, 0.5, 0.75, 1.0, NEVER]
    assert threshold_grid(0) == [NEVER]


# k = 4. Confident majorities (share 1.0, 0.75) are right; the weak ones (0.5) are wrong where greedy is right.
VALIDATION = [
    RoutingItem("A", "B", "A", 1.0),
    RoutingItem("C", "C", "C", 0.75),
    RoutingItem("D", "D", "A", 0.5),
    RoutingItem("B", "B", "C", 0.5),
    RoutingItem("A", "C", "A", 0.75),
]


def test_tuning_picks_the_best_validation_threshold_and_keeps_the_sweep():
    threshold, sweep = tune_threshold(VALIDATION, 4)
    # τ ≤ 0.5: 3/5 right (the two weak majorities are wrong); τ = 0.75: 5/5; τ = 1.0: items 1 and 2 routed,
    # items 3-5 greedy (D right, B right, C wrong) -> 4/5; never: greedy only -> B,C,D,B,C = 3/5
    assert dict(sweep) == pytest.approx({0.0: 0.6, 0.25: 0.6, 0.5: 0.6, 0.75: 1.0, 1.0: 0.8, NEVER: 0.6})
    assert threshold == 0.75
    assert routed_accuracy(VALIDATION, threshold) == 1.0


def test_a_tie_goes_to_the_lowest_threshold():
    items = [RoutingItem("A", "A", "A", 1.0)]
    threshold, _ = tune_threshold(items, 2)
    assert threshold == 0.0
    assert tune_threshold([], 4) == (None, [])
