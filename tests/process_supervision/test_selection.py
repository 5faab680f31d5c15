"""Selection rules, RM-weighted voting, final-answer and trace error, selective prediction (hand-computed)."""

import pytest

from tony.evals.process_supervision.judges import aggregate
from tony.evals.process_supervision.selection import (
    Candidate,
    Outcome,
    final_answer_error,
    select,
    selective_error,
    trace_error,
)

# answers 9, 3, 3, 9, 3; ORM favours solution 0 alone, but "9" has ORM mass 0.9 + 0.2 = 1.1 against "3"'s 0.3+0.3+0.4
CANDIDATES = [Candidate("9", 0.9, 0.2), Candidate("3", 0.3, 0.8), Candidate("3", 0.3, 0.7), Candidate("9", 0.2, 0.1),
              Candidate("3", 0.4, 0.75)]


def test_majority_selects_the_first_solution_with_the_majority_answer():
    choice = select("majority", CANDIDATES)
    assert choice.index == 1 and choice.confidence == pytest.approx(3 / 5)


def test_best_of_k():
    assert select("orm_best_of_k", CANDIDATES).index == 0
    assert select("prm_best_of_k", CANDIDATES).index == 1


def test_rm_weighted_voting():
    orm = select("orm_weighted", CANDIDATES)  # a* = "9" (1.1 > 1.0); its best ORM solution is 0
    assert orm.index == 0 and orm.confidence == pytest.approx(1.1 / 2.1)
    prm = select("prm_weighted", CANDIDATES)  # "3": 0.8 + 0.7 + 0.75 = 2.25 > 0.3; best PRM among them: 1
    assert prm.index == 1 and prm.confidence == pytest.approx(2.25 / 2.55)


def test_ties_and_empty():
    assert select("orm_best_of_k", [Candidate("1", 0.5, 0.5), Candidate("2", 0.5, 0.5)]).index == 0
    assert select("majority", []).index is None
    with pytest.raises(ValueError):
        select("coin_flip", CANDIDATES)


def test_prm_aggregates():
    assert aggregate([0.9, 0.5, 0.8], "product") == pytest.approx(0.36)
    assert aggregate([0.9, 0.5, 0.8], "min") == 0.5


# four problems: right & clean, right & flawed, right & undecided, wrong
OUTCOMES = [Outcome(True, False, 0.9), Outcome(True, True, 0.6), Outcome(True, None, 0.8), Outcome(False, True, 0.1)]


def test_error_rates():
    assert final_answer_error(OUTCOMES) == (1, 4)
    assert trace_error(OUTCOMES) == (1, 2, 1)  # 1 flawed of 2 decided right answers; 1 undecided


def test_selective_prediction_abstains_on_the_least_confident():
    assert selective_error(OUTCOMES, 0.0) == (1, 4)
    assert selective_error(OUTCOMES, 0.3) == (0, 3)  # ⌊0.3·4⌋ = 1: drops the wrong, least confident one
    assert selective_error(OUTCOMES, 0.5) == (0, 2)
