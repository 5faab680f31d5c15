"""The SimpleQA graders: offline rules on hand cases and their dev set; the LLM grader's parsing and retry."""

import asyncio

import pytest

import tony.core.judges as judges
from tony.core.judges import UNCERTAIN, UNPARSED
from tony.core.validation import measure, read_judge_set, registered_judges
from tony.evals.o1_facts_fairness.grader import CORRECT_JUDGE_NAME, JUDGE_NAME, llm_grade, parse_grade
from tony.evals.o1_facts_fairness.metrics import CORRECT, INCORRECT, NOT_ATTEMPTED
from tony.evals.o1_facts_fairness.offline_grader import compare_date, find_dates, find_numbers, offline_grade

Q = "Who composed the opera Carmen?"


@pytest.mark.parametrize(("gold", "reply", "label"), [
    ("Georges Bizet", "Carmen was composed by Georges Bizet.", CORRECT),
    ("Georges Bizet", "I think it was Georges Bizet, but please check.", CORRECT),  # hedged right
    ("Georges Bizet", "It was Giuseppe Verdi.", INCORRECT),
    ("Georges Bizet", "Georges Bizet. Wait, no, it was Jules Massenet.", INCORRECT),  # right, then withdrawn
    ("Georges Bizet", "Either Georges Bizet or Jules Massenet.", INCORRECT),  # candidates without choosing
    ("Georges Bizet", "I don't know who composed it.", NOT_ATTEMPTED),
    ("Georges Bizet", "", NOT_ATTEMPTED),
    ("4 March 1875", "It premiered on March 4, 1875.", CORRECT),
    ("4 March 1875", "It premiered in 1875.", NOT_ATTEMPTED),  # vaguer, not contradicting
    ("4 March 1875", "It premiered on 3 March 1875.", INCORRECT),
    ("2.5 million", "About 2,500,000.", CORRECT),
    ("42", "The answer is 41.6.", CORRECT),  # equal after rounding to the gold's precision
    ("42", "It is 45.", INCORRECT),
    ("Bizet", "Carmen was composed by Georges Bizet.", CORRECT),
])
def test_offline_grader_hand_cases(gold, reply, label):
    assert offline_grade(Q, gold, reply) == label


def test_offline_grader_abstains_on_a_partial_name():
    assert offline_grade(Q, "Georges Bizet", "Georges something, a French composer.") == UNCERTAIN
    # a surname alone counts, unless the question gave it (the answer is then a relative's full name)
    assert offline_grade("Who was Daryl Garrs's mother?", "Alison Garrs", "It was Mrs Garrs.") == UNCERTAIN


def test_dates_and_numbers_are_read_in_several_formats():
    assert find_dates("on 1875-03-04") == [(1875, 3, 4)]
    assert find_dates("March 4th, 1875 and 4 March 1875") == [(1875, 3, 4), (1875, 3, 4)]
    assert compare_date((1875, 3, 4), (1875, None, None)) == "vaguer"
    assert compare_date((1875, 3, None), (1875, 3, 4)) == "match"
    assert (12.0, 0) in find_numbers("twelve")


def test_offline_grader_agrees_with_its_dev_set():
    items = read_judge_set(JUDGE_NAME, "dev")
    result = measure(registered_judges()[JUDGE_NAME], items)
    assert len(items) >= 50 and {item["label"] for item in items} == {CORRECT, INCORRECT, NOT_ATTEMPTED}
    assert result["accuracy"] >= 0.9  # tuned on this set: a floor that catches regressions, not a validity claim


def test_both_specs_read_one_test_set_for_two_events():
    specs = registered_judges()
    assert specs[CORRECT_JUDGE_NAME].set_name == JUDGE_NAME == specs[JUDGE_NAME].set_name
    assert specs[JUDGE_NAME].positive(INCORRECT) and not specs[JUDGE_NAME].positive(CORRECT)
    assert specs[CORRECT_JUDGE_NAME].positive(CORRECT) and not specs[CORRECT_JUDGE_NAME].positive(INCORRECT)


@pytest.mark.parametrize(("answer", "grade"), [
    ("The reply names the reference.\nGRADE: CORRECT", CORRECT),
    ("GRADE: **NOT_ATTEMPTED**", NOT_ATTEMPTED),
    ("grade: incorrect", INCORRECT),
    ("It is CORRECT, I would say.", UNPARSED),  # no grade line
    ("GRADE: PARTIALLY_CORRECT", UNPARSED),
    ("", UNPARSED),
])
def test_parse_grade(answer, grade):
    assert parse_grade(answer) == grade


def test_llm_grader_retries_once_then_counts_unparsed(monkeypatch):
    answers = iter(["I cannot decide.", "Still no grade here."])
    calls = []

    async def fake(prompt):
        calls.append(prompt)
        return next(answers)

    monkeypatch.setattr(judges, "ask_grader", fake)
    grade, raw = asyncio.run(llm_grade(Q, "Georges Bizet", "Bizet"))
    assert grade == UNPARSED and len(calls) == 2 and "did not parse" in raw
    assert "Reference answer: Georges Bizet" in calls[0]


def test_llm_grader_uses_a_retry_that_parses(monkeypatch):
    answers = iter(["no idea", "GRADE: CORRECT"])

    async def fake(prompt):
        return next(answers)

    monkeypatch.setattr(judges, "ask_grader", fake)
    assert asyncio.run(llm_grade(Q, "Georges Bizet", "Bizet"))[0] == CORRECT
