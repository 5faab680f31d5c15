"""Grader answers that do not parse, the judge specs on the dev set, and trace error on hand-labelled solutions."""

import pytest

from tony.core.judges.grader import UNCERTAIN, UNPARSED
from tony.core.judges.validation import measure, read_judge_set, registered_judges
from tony.evals.process_supervision.judge_check import (
    location_agreement,
    on_wrong_trace,
    prm_first_error,
    step_agreement,
)
from tony.evals.process_supervision.judges import (
    INCORRECT,
    NO_INCORRECT,
    offline_first_error,
    parse_first_error,
    parse_probability,
    parse_step_scores,
)
from tony.evals.process_supervision.selection import Outcome, trace_error


def test_first_error_parsing():
    assert parse_first_error("Step 2 adds instead.\nFIRST_ERROR: 2", 3) == (1, INCORRECT)
    assert parse_first_error("FIRST_ERROR: **none**", 3) == (None, NO_INCORRECT)
    assert parse_first_error("FIRST_ERROR: 7", 3) == (None, UNPARSED)  # no such step
    assert parse_first_error("looks fine to me", 3) == (None, UNPARSED)


def test_step_score_and_probability_parsing():
    assert parse_step_scores("STEP 1: 0.9\nSTEP 2: .2\nSTEP 3: 1", 3) == [0.9, 0.2, 1.0]
    assert parse_step_scores("STEP 1: 0.9\nSTEP 3: 1", 3) is None  # a step without a score
    assert parse_step_scores("STEP 1: 1.7", 1) is None
    assert parse_probability("reasoning... PROBABILITY: 0.35") == 0.35
    assert parse_probability("PROBABILITY: high") is None


def test_step_level_and_location_agreement():
    assert on_wrong_trace(1, 4) == [False, True, True, True] and on_wrong_trace(None, 2) == [False, False]
    # judged first error 2 vs human 1 on 4 steps: steps 0, 2, 3 agree -> 3/4; both none on 2 steps -> 2/2
    assert step_agreement([(2, 1, 4), (None, None, 2)]) == pytest.approx(5 / 6)
    assert location_agreement([(2, 1), (None, None), (0, 0)]) == pytest.approx(2 / 3)
    assert prm_first_error([0.9, 0.4, 0.1]) == 1 and prm_first_error([0.9]) is None


def test_offline_judge_abstains_where_nothing_could_be_checked():
    assert offline_first_error("Sue has 3 cats.", ["She has some cats.", "The answer is 3."]) == (None, UNCERTAIN)


def test_trace_error_on_hand_labelled_solutions():
    """Dev items whose final answer is right: trace error by the human labels, and by the offline step judge."""
    items = [item for item in read_judge_set("step_judge", "dev") if registered_judges()["orm_judge"].reference(item) == "correct_answer"]
    human = [Outcome(True, item["first_error"] is not None, 1.0) for item in items]
    errors, decided, _ = trace_error(human)
    # dev-10 (misread 14 as 41), dev-25 (430 - 128 = 312, then a made-up fix), dev-55 (35 * 8 = 250, an invented + 30)
    assert (errors, decided) == (3, 31)
    judged = [Outcome(True, offline_first_error(item["problem"], item["steps"])[1] == INCORRECT, 1.0) for item in items]
    assert trace_error(judged)[:2] == (3, 31)  # the offline judge finds all three, and flags no clean solution


@pytest.mark.parametrize("name, floor", [("step_judge", 0.8), ("prm_judge", 0.8), ("orm_judge", 0.75)])
def test_dev_set_agreement(name, floor):
    """A regression floor on the dev set the checker was tuned on (v2: 0.81 / 0.83 / 0.78 on 58 items); not a
    measure of validity, which only the frozen blind test sets give."""
    result = measure(registered_judges()[name], read_judge_set("step_judge", "dev"))
    assert result["accuracy"] >= floor and result["unparsed"] == 0
