"""The offline arithmetic checker on step strings."""

from decimal import Decimal

import pytest

from tony.evals.process_supervision.arithmetic import (
    UNCHECKED,
    VERIFIED,
    WRONG,
    check_steps,
    equations,
    evaluate,
    first_wrong_step,
    holds,
    wrong_conversion,
)

PROBLEM = "A baker fills 4 trays with 15 rolls each. She sells 38 rolls in the morning. How many rolls does she have left?"


@pytest.mark.parametrize("step, expected", [
    ("3 x 12 = 36 apples", [True]),
    ("She pays $18 + $8 = $26 in total.", [True]),
    ("36 - 5 = 30", [False]),
    ("10 / 3 = 3.33 each", [True]),  # rounded to the right side's decimals
    ("10 / 3 = 3.5", [False]),
    ("20% * 50 = 10", [True]),
    ("(4 + 2) * 3 = 18 and 18 / 2 = 8", [True, False]),
    ("1,200 * 2 = 2,400", [True]),
    ("3 * 12 = 36 - 5 = 31", [True, True]),  # a chain: each consecutive pair
    ("Total = 36", []),  # no arithmetic on either side
])
def test_equations_hold_or_not(step, expected):
    assert [holds(e) for e in equations(step)] == expected


def test_evaluate_never_runs_anything_but_arithmetic():
    assert evaluate("2 * (3 + 4)") == Decimal(14)
    assert evaluate("__import__('os')") is None and evaluate("2 ** 10") is None and evaluate("1 / 0") is None


def test_wrong_conversions():
    assert wrong_conversion("2 kilograms is 200 grams.")
    assert not wrong_conversion("2 kilograms is 2000 grams.")
    assert wrong_conversion("A quarter of an hour is 25 minutes.") and not wrong_conversion("half a year is 6 months")


@pytest.mark.parametrize("steps, first, statuses", [
    (["4 * 15 = 60 rolls.", "60 - 38 = 22.", "The answer is 22."], None, [VERIFIED, VERIFIED, UNCHECKED]),
    (["4 * 15 = 70", "70 - 38 = 32", "The answer is 32"], 0, [WRONG, VERIFIED, UNCHECKED]),  # carried forward: one error
    (["4 * 15 = 60", "60 - 28 = 32", "The answer is 32"], 1, [VERIFIED, WRONG, UNCHECKED]),  # 28 is in no step nor problem
    (["4 * 15 = 60", "60 - 38 = 22", "The answer is 25"], 2, [VERIFIED, VERIFIED, WRONG]),  # answer not computed
    (["4 * 15 = 60", "60 + 38 = 98", "The answer is 98"], None, [VERIFIED, VERIFIED, UNCHECKED]),  # wrong operation: unseen
])
def test_step_checks(steps, first, statuses):
    checks = check_steps(PROBLEM, steps)
    assert [c.status for c in checks] == statuses
    assert first_wrong_step(checks) == first


def test_unit_quantities_count_as_known():
    checks = check_steps("Rent is $950 a month. How much is it for half a year?", ["950 * 6 = 5700", "The answer is 5700"])
    assert first_wrong_step(checks) is None


@pytest.mark.parametrize("step, expected", [
    ("First, 6 boxes times 24 pencils is 144 pencils.", [True]),
    ("\\frac{3}{4} \\times 144 = 108", [True]),
    ("$6 \\cdot 24 = 154$ pencils", [False]),
    ("3/4 of 144 is 118", [False]),
    ("15% of $120 is $18.", [True]),
    ("120 multiplied by 0.85 gives 102.", [True]),
    ("Riding: 18 km/h × 2.5 h = 36 km", [False]),
    ("After the bike she has 280 − 96 = 184 dollars.", [True]),
    ("Younger classes: $144 \\div 4 \\times 3 = 108$.", [True]),
    ("1.5 litres is 1500 ml.", []),  # no operator: a conversion, not arithmetic
])
def test_equations_in_words_latex_and_units(step, expected):
    assert [holds(e) for e in equations(step)] == expected


def test_percent_complements_conversions_and_a_percentage_used_as_an_amount():
    coat = "A coat costs $120. The shop takes 15% off. How much does the coat cost now?"
    assert first_wrong_step(check_steps(coat, ["120 * 0.85 = 102", "The answer is 102"])) is None  # 1 − 15%
    assert [c.status for c in check_steps(coat, ["120 minus 15 equals 105.", "The answer is 105."])] == [WRONG, UNCHECKED]
    assert first_wrong_step(check_steps(coat, ["100 - 15 = 85 percent is paid", "120 * 0.85 = 102", "102"])) is None
    tank = "A tank holds 1.5 litres. Jo fills 12 glasses of 250 ml. How many tanks does she use?"
    assert first_wrong_step(check_steps(tank, ["12 × 250 ml = 3000 ml", "3000 ml ÷ 1500 ml = 2", "The answer is 2."])) is None
    assert wrong_conversion("1.5 litres is 150 ml.") and not wrong_conversion("1.5 litres is 1500 ml.")
