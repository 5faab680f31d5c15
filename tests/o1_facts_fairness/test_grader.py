"""The SimpleQA graders: offline rules on hand cases and their dev set; the LLM grader's parsing and retry."""

import asyncio

import pytest

import tony.core.judges.grader as judges
from tony.core.judges.grader import UNCERTAIN, UNPARSED
from tony.core.judges.validation import measure, read_judge_set, registered_judges
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


def test_offline_grader_dev_set_regression_floor():
    """A regression check on the dev set the grader was tuned on, not a validity claim (the frozen test set is)."""
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


# Other ways to write the gold (issue 21 §3; SimpleQA's grading accepts them). Hand-labelled, not in the dev set.
@pytest.mark.parametrize(("question", "gold", "reply", "label"), [
    ("Which city hosted the 1980 Summer Olympics?", "Moscow", "They were held in Moskva.", CORRECT),  # native name
    ("Where is the cathedral with the Shrine of the Three Kings?", "Cologne", "In Köln.", CORRECT),
    ("Which city was the capital of the Byzantine Empire?", "Istanbul", "Constantinople.", CORRECT),  # former name
    ("Which city was Ukraine's capital in 2000?", "Kyiv", "Kiev.", CORRECT),  # romanisation
    ("Which country left the EU in 2020?", "United Kingdom", "The U.K. did.", CORRECT),  # dotted abbreviation
    ("Who was Russia's first president?", "Boris Yeltsin", "Boris Jelzin.", CORRECT),  # German transliteration
    ("Who led the USSR in 1962?", "Nikita Khrushchev", "Khrushchov, I believe.", CORRECT),  # variant, surname only
    ("Which agency investigated the case?", "Federal Bureau of Investigation", "It was the FBI.", CORRECT),
    ("Which agency investigated the case?", "Federal Bureau of Investigation", "The F.B.I. did.", CORRECT),
    ("Which agency investigated the case?", "Federal Bureau of Investigation", "It was the CIA.", INCORRECT),
    ("Which body declared the pandemic?", "World Health Organization", "I don't know who declared it.", NOT_ATTEMPTED),
    ("Which agency ran the operation?", "CIA", "The Central Intelligence Agency ran it.", CORRECT),
    ("Which agency ran the operation?", "CIA", "The Federal Bureau of Investigation ran it.", INCORRECT),
    ("Who composed the Trout Quintet?", "Franz Schubert", "It was Robert Schumann.", INCORRECT),
    ("Who was assassinated in Los Angeles in 1968?", "Robert F. Kennedy", "John F. Kennedy.", INCORRECT),
    ("How many players were in the squad?", "21", "Twenty-one of them.", CORRECT),  # number words
    ("How many players were in the squad?", "21", "Thirty-one of them.", INCORRECT),
    ("In which year did the Wall fall?", "1989", "In nineteen eighty-nine.", CORRECT),  # a year read in pairs
    ("How many people live in the village?", "2,500", "About 2 500 people.", CORRECT),  # space separator
    ("How far is the route?", "100 km", "About 62 miles.", CORRECT),  # 62 mi = 99.8 km
    ("How far is the route?", "100 km", "About 70 miles.", INCORRECT),  # 112.7 km
    ("What is normal body temperature in degrees Celsius?", "37", "It is 98.6 °F.", CORRECT),  # the question's unit
    ("What is normal body temperature in degrees Celsius?", "37", "It is 101 °F.", INCORRECT),
    ("How long was the match?", "90 minutes", "1.5 hours.", CORRECT),
    ("How long was the match?", "90 minutes", "2 hours.", NOT_ATTEMPTED),  # coarser, not contradicting
    ("How heavy was the stone?", "5 kg", "5,000 grams.", CORRECT),
    ("How tall is the tower in feet?", "1,454", "It is 443 metres tall.", CORRECT),  # 1,453.4 ft
    ("How tall is the tower in feet?", "1,454", "It is 381 m.", INCORRECT),  # 1,250 ft
])
def test_offline_grader_accepts_other_forms_of_the_gold(question, gold, reply, label):
    assert offline_grade(question, gold, reply) == label


def test_offline_grader_dev_agreement_is_pinned():
    """A regression pin on the dev set it was tuned on: catches a change in verdicts, says nothing of validity."""
    # tuned on this set (dev, tuned on): 118 of 121 three-class labels after the rebuild (71 of its first 74 before)
    items = read_judge_set(JUDGE_NAME, "dev")
    agree = sum(offline_grade(i.get("question", ""), i["gold"], i["response"]) == i["label"] for i in items)
    assert (agree, len(items)) == (118, 121)
