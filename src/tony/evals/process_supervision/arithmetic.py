"""The offline step checker: re-compute every arithmetic expression a step states, and check where its numbers
come from (the offline stand-in for Uesato et al. 2022's human step labels, §3 and Appendix).

A step is wrong (a major mistake in the paper's sense: information that is wrong) when
  - an equation it writes does not hold: `a op b = c` with c ≠ a op b (beyond the rounding of c's decimals);
  - an operand of its arithmetic is a quantity found neither in the problem (digits, number words, "half",
    "dozen", percentages) nor in an earlier step nor among everyday constants (a misread or invented quantity);
  - it is the last step and states a final answer that no step computed or stated.
A step with an equation that holds and operands of known origin is verified; a step with no arithmetic is
unchecked (it could still set the problem up wrongly, which this checker cannot see). Model text is parsed,
never executed: expressions are evaluated by a walker over +, −, ×, ÷ and parentheses only.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal

from tony.core.answers import extract_final_answer, numbers_in, same_number

VERIFIED, UNCHECKED, WRONG = "verified", "unchecked", "wrong"
# quantities any solution may bring in without the problem stating them (units of time, counting, percent)
CONSTANTS = {"0", "1", "2", "3", "4", "10", "100", "1000", "12", "24", "60", "7", "30", "31", "52", "365", "0.5", "0.25"}
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "half": 2, "halves": 2,
    "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fifth": 5, "sixth": 6, "tenth": 10,
    "twice": 2, "double": 2, "doubles": 2, "triple": 3, "thrice": 3, "dozen": 12, "dozens": 12, "pair": 2,
    "pairs": 2, "score": 20, "week": 7, "weeks": 7, "hour": 60, "hours": 60, "minute": 60, "year": 12,
}
FRACTION_WORDS = {"half": "0.5", "quarter": "0.25", "third": "0.3333333333"}
# quantities a problem's units imply (a week has 7 days, 5 weekdays, 2 weekend days; a kilogram 1000 grams)
UNIT_QUANTITIES = {
    "week": {"7", "5", "2"}, "weekday": {"5"}, "weekend": {"2"}, "year": {"12", "52", "365"}, "half a year": {"6"},
    "month": {"30", "4"}, "day": {"24"}, "hour": {"60"}, "quarter of an hour": {"15"}, "half an hour": {"30"},
    "minute": {"60"}, "kilogram": {"1000"}, "kg": {"1000"}, "kilometre": {"1000"}, "km": {"1000"},
    "metre": {"100"}, "litre": {"1000"}, "dollar": {"100"}, "dozen": {"12"},
}
# conversions a step may state: (amount words or a number) <unit> is <number> <unit>
CONVERSIONS = {("kilogram", "gram"): 1000, ("kg", "g"): 1000, ("kilometre", "metre"): 1000, ("km", "m"): 1000,
               ("litre", "millilitre"): 1000, ("litre", "ml"): 1000, ("l", "ml"): 1000, ("hour", "minute"): 60, ("minute", "second"): 60, ("day", "hour"): 24,
               ("week", "day"): 7, ("year", "month"): 12, ("year", "week"): 52, ("year", "day"): 365,
               ("dozen", "egg"): 12, ("metre", "centimetre"): 100, ("dollar", "cent"): 100}
AMOUNT_WORDS = {"a": "1", "an": "1", "one": "1", "half a": "0.5", "half an": "0.5", "a quarter of an": "0.25",
                "a quarter of a": "0.25", "a third of a": "0.3333333333", "two": "2", "three": "3"}
_CONVERSION = re.compile(
    r"(\d+(?:\.\d+)?|half an?|a quarter of an?|a third of a|an?|one|two|three)\s+(\w+?)s?\s+(?:is|are|equals|=|makes)\s+"
    r"(\d+(?:\.\d+)?)\s+(\w+?)s?\b", re.IGNORECASE)
_EXPR_CHARS = r"[\d.,$%()+\-*/x×÷·\s]"
_LEFT = re.compile(rf"({_EXPR_CHARS}*)$")
_RIGHT = re.compile(rf"^({_EXPR_CHARS}*)")


# how steps write arithmetic in words or LaTeX, rewritten to plain notation before equations are read
_LATEX = [(re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"((\1)/(\2))"),
          (re.compile(r"\\(?:times|cdot|ast)\b"), " * "), (re.compile(r"\\div\b"), " / "),
          (re.compile(r"\\text\s*\{([^{}]*)\}"), r" \1 "), (re.compile(r"\\[(),\[\]!;:]|\\left|\\right"), " "),
          (re.compile(r"[{}]|\*\*|\$(?!\s*\d)"), " ")]
_WORD_OPERATORS = [(re.compile(r"\b(?:multiplied by|times)\b", re.I), " * "), (re.compile(r"\bdivided by\b", re.I), " / "),
                   (re.compile(r"\bplus\b", re.I), " + "), (re.compile(r"\bminus\b", re.I), " - "),
                   (re.compile(r"\b(?:is|are|equals|gives|makes|comes to|yields)\b|=>|→", re.I), " = ")]
# "3/4 of 144", "15% of 120", "half of 30": a fraction of a quantity is a product
_OF = re.compile(r"(\d+(?:\.\d+)?\s*/\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*%|\bhalf)\s+of\s+(?:the\s+|a\s+|an\s+)?", re.I)
# a unit written inside an expression ("18 km/h × 2.5 h = 45 km"): the number stays, the unit goes
_UNIT_IN_EXPRESSION = re.compile(r"(\d(?:\.\d+)?)\s*(?!x\s)(?:[a-zA-Z]+(?:/[a-zA-Z]+)?[²³]?|[²³])(?=\s*(?:[-*/+=×÷]|x\s))")


# The step, PRM and ORM checks read the same problem and steps many times (every candidate of best-of-K shares its
# problem); these pure functions of a string are memoised (issue 22 item 4: under 1 ms an item).
@lru_cache(maxsize=8192)
def normalize_step(step: str) -> str:
    """A step rewritten to plain arithmetic notation: LaTeX (\\frac, \\times, \\cdot, \\div, $…$), unicode minus,
    operators in words (times, multiplied by, divided by, plus, minus; is/equals/gives as =), "a fraction or
    percentage of" as a product, and units written between a number and an operator dropped."""
    text = step.replace("−", "-").replace("–", "-")
    for pattern, replacement in _LATEX:
        text = pattern.sub(replacement, text)
    text = _OF.sub(lambda m: ("0.5" if m.group(1).lower() == "half" else m.group(1)) + " * ", text)
    for pattern, replacement in _WORD_OPERATORS:
        text = pattern.sub(replacement, text)
    for _ in range(3):
        text = _UNIT_IN_EXPRESSION.sub(r"\1", text)
    return text


@dataclass(frozen=True)
class StepCheck:
    status: str  # verified, unchecked or wrong
    reason: str = ""


@dataclass(frozen=True)
class Equation:
    left: str
    right: str


@lru_cache(maxsize=8192)
def _clean(expression: str) -> str:
    text = expression.strip().strip(",.").strip()
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = text.replace("$", "").replace("×", "*").replace("÷", "/").replace("·", "*")
    text = re.sub(r"(?<=[\d)\s])[xX](?=[\s\d(])", "*", text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*%", r"(\1/100)", text)
    return text.strip()


@lru_cache(maxsize=8192)
def evaluate(expression: str) -> Decimal | None:
    """The value of an arithmetic expression (+, −, ×, ÷, parentheses), or None where it is not one."""
    text = _clean(expression)
    if not text or not re.fullmatch(r"[\d.+\-*/()\s]+", text) or not re.search(r"\d", text):
        return None
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    return _walk(tree.body)


def _walk(node: ast.AST) -> Decimal | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _walk(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = _walk(node.left), _walk(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return None if right == 0 else left / right
    return None


def _has_operator(expression: str) -> bool:
    return bool(re.search(r"(?<=[\d)\s])\s*[-+*/]\s*(?=[\d(])", _clean(expression)))


def equations(step: str) -> list[Equation]:
    """Every `expression = expression` a step writes (a chain a = b = c gives a = b and b = c), after
    `normalize_step`; a pair with no operator on either side ("1.5 litres is 1500 ml") is not arithmetic."""
    parts = normalize_step(step).split("=")
    found = []
    for before, after in zip(parts, parts[1:]):
        left = _LEFT.search(before).group(1)  # type: ignore[union-attr]
        right = _RIGHT.search(after).group(1)  # type: ignore[union-attr]
        left = left[left.find(next((c for c in left if c.isdigit() or c in "($-"), ""), 0):] if left.strip() else ""
        if evaluate(left) is not None and evaluate(right) is not None and (_has_operator(left) or _has_operator(right)):
            found.append(Equation(left.strip(), right.strip()))
    return found


def holds(equation: Equation) -> bool:
    """left = right, up to the rounding of the right side's decimals (10 / 3 = 3.33 holds)."""
    left, right = evaluate(equation.left), evaluate(equation.right)
    if left is None or right is None:
        return True
    if _close(left, right, equation.right):
        return True
    # a run-on chain "3 * 12 = 36 - 5 = 31": the left side equals the right side's leading number
    leading = re.match(r"\s*\(?\s*(-?\d+(?:\.\d+)?)", _clean(equation.right))
    return bool(leading) and leading.group(1) != _clean(equation.right) and _close(left, Decimal(leading.group(1)), leading.group(1))


def _close(value: Decimal, stated: Decimal, stated_text: str) -> bool:
    """value = stated up to the rounding of the stated number's decimals (10 / 3 = 3.33 holds)."""
    decimals = max((len(d) for d in re.findall(r"\.(\d+)", _clean(stated_text))), default=0)
    return abs(value - stated) <= Decimal(5) * Decimal(10) ** (-(decimals + 1)) + Decimal("1e-9")


def problem_quantities(problem: str) -> set[str]:
    """The numbers a problem states: digits, number words, fractions in words, and percentages as fractions."""
    return set(_problem_quantities(problem))  # a fresh set: callers may not change the memoised one


@lru_cache(maxsize=1024)
def _problem_quantities(problem: str) -> frozenset[str]:
    found = set(numbers_in(problem))
    lowered = problem.lower()
    for word, value in WORD_NUMBERS.items():
        if re.search(rf"\b{word}\b", lowered):
            found.add(str(value))
    for word, value in FRACTION_WORDS.items():
        if re.search(rf"\b{word}\b", lowered):
            found.add(value)
    for unit, values in UNIT_QUANTITIES.items():
        if re.search(rf"\b{unit}s?\b", lowered):
            found.update(values)
    for percent in re.findall(r"(\d+(?:\.\d+)?)\s*(?:%|percent)", problem):
        share = Decimal(percent) / 100
        found.update({_plain(share), _plain(1 - share), _plain(1 + share)})  # p, what is left (1 − p), with it (1 + p)
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([a-zA-Z]+?)s?\b", problem):
        for (source, _), factor in CONVERSIONS.items():
            if unit.lower() == source:
                found.add(_plain(Decimal(amount) * factor))  # 1.5 litres: 1500 (ml)
    return frozenset(found)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text) or "0"


def percentages_only(problem: str) -> set[str]:
    """Numbers the problem states only as percentages ("15% off" and no other 15)."""
    percents = set(re.findall(r"(\d+(?:\.\d+)?)\s*(?:%|percent)", problem))
    plain = set(numbers_in(re.sub(r"\d+(?:\.\d+)?\s*(?:%|percent)", " ", problem)))
    return {p for p in percents if not any(same_number(p, other) for other in plain)}


def percentage_as_amount(equation: Equation, percents: set[str]) -> str:
    """A percentage added to or subtracted from an amount as if it were one ("120 - 15" for 15% off), or ""."""
    text = _clean(equation.left)
    if not percents or not re.search(r"(?<=[\d)\s])\s*[-+]", text) or re.search(r"[*/]", text):
        return ""
    operands = numbers_in(text.replace("(", " ").replace(")", " "))
    if any(same_number(n, "100") for n in operands):
        return ""  # percentage points: 100 - 15 = 85
    used = [n for n in operands if any(same_number(n.lstrip("-"), p) for p in percents)]
    return f"uses the percentage {used[0]}% as an amount" if used else ""


def wrong_conversion(step: str) -> str:
    """A unit conversion the step states that does not hold ("2 kilograms is 200 grams"), or ""."""
    for amount, unit, value, target in _CONVERSION.findall(step):
        factor = CONVERSIONS.get((unit.lower(), target.lower()))
        if factor is None:
            continue
        quantity = Decimal(AMOUNT_WORDS.get(amount.lower(), amount))
        if abs(quantity * factor - Decimal(value)) > Decimal("0.01") * max(Decimal(1), abs(Decimal(value))):
            return f"{amount} {unit} is not {value} {target}"
    return ""


def _known(number: str, known: set[str]) -> bool:
    return any(same_number(number, other) for other in known) or number.lstrip("-") in CONSTANTS


def check_steps(problem: str, steps: list[str]) -> list[StepCheck]:
    """One check per step, in order (every step is checked; a wrong step's successors are checked against the
    numbers it wrote, so an error carried forward is not counted again)."""
    known = problem_quantities(problem)
    percents = percentages_only(problem)
    results = []
    for index, step in enumerate(steps):
        found = equations(step)
        status, reason = (VERIFIED if found else UNCHECKED), ""
        conversion = wrong_conversion(step)
        if conversion:
            status, reason = WRONG, conversion
        for equation in found if status != WRONG else []:
            if not holds(equation):
                status, reason = WRONG, f"{equation.left} = {equation.right} does not hold"
                break
            misuse = percentage_as_amount(equation, percents)
            if misuse:
                status, reason = WRONG, misuse
                break
            operands = [n for n in numbers_in(_clean(equation.left).replace("(", " ").replace(")", " "))]
            unknown = [n for n in operands if not _known(n.lstrip("-"), known)]
            if unknown:
                status, reason = WRONG, f"uses {', '.join(unknown)}, found neither in the problem nor in earlier steps"
                break
            known.update(numbers_in(_clean(equation.right)))
        if status != WRONG and index == len(steps) - 1 and index > 0 and not found:
            reason = _unsupported_final(steps, problem)
            status = WRONG if reason else status
        known.update(numbers_in(step))
        results.append(StepCheck(status, reason))
    return results


def _unsupported_final(steps: list[str], problem: str) -> str:
    """Why the last step's answer is unjustified: it differs from the last result an earlier equation computed
    (or, with no equation, from every number the problem and the earlier steps state); "" where it is justified."""
    final = extract_final_answer(steps[-1])
    if final is None:
        return ""
    results = [e.right for s in steps[:-1] for e in equations(s)]
    if results:
        last = numbers_in(_clean(results[-1]))
        if last and not same_number(final, last[0]):
            return f"states the answer {final}, but the last result computed was {last[0]}"
        return ""
    stated = {n for s in steps[:-1] for n in numbers_in(s)} | problem_quantities(problem)
    return "" if any(same_number(final, n) for n in stated) else f"states the answer {final}, which no step gave"


def first_wrong_step(checks: list[StepCheck]) -> int | None:
    return next((i for i, check in enumerate(checks) if check.status == WRONG), None)
