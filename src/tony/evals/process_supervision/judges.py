"""The step judge and the two verifiers of Uesato et al. 2022 (§2–3), each offline or as a prompted grader.

- Step judge: like the paper's raters, it names the first step with a major mistake (wrong information, or a step
  after which the right answer cannot be reached without undoing it), or none.
- Outcome reward model (ORM): a score for the whole solution, the chance that its final answer is right.
- Process reward model (PRM): a score per step, the chance that the step is correct; a solution's PRM score is
  the product Π_i p_i (the paper's) or the minimum min_i p_i of its step scores.
Offline forms read the arithmetic checker (arithmetic.py). The grader forms ask any Inspect model bound to the
`grader` role; an answer that does not parse is asked once more, then counted `unparsed`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from tony.core.judges.grader import UNCERTAIN, UNPARSED, ask_grader_parsed
from tony.evals.process_supervision.arithmetic import (
    UNCHECKED,
    VERIFIED,
    WRONG,
    StepCheck,
    check_steps,
    first_wrong_step,
)
from tony.evals.process_supervision.solutions import final_answer

INCORRECT, NO_INCORRECT = "incorrect_step", "no_incorrect_step"
CORRECT_ANSWER, WRONG_ANSWER = "correct_answer", "wrong_answer"
# offline PRM: the chance a step is correct given what the checker saw
OFFLINE_STEP_SCORE = {VERIFIED: 0.95, UNCHECKED: 0.8, WRONG: 0.05}
AGGREGATES = ("product", "min")

STEP_JUDGE_TEMPLATE = """You are checking a student's step-by-step solution to a math word problem.

Problem: {problem}

Solution:
{steps}

Find the FIRST step with a major mistake. A major mistake is information that is wrong (an arithmetic slip, a \
misread quantity, a wrong unit conversion, a wrong operation or setup, a claim without justification), or a step \
after which the right answer cannot be reached without undoing it. Clumsy wording and harmless extra steps are \
not mistakes. A later step that only carries an earlier mistake forward is not the first mistake.

Explain briefly, then end with one line: FIRST_ERROR: <step number> or FIRST_ERROR: none"""

PRM_TEMPLATE = """You are checking each step of a student's solution to a math word problem.

Problem: {problem}

Solution:
{steps}

For every step, give the probability (0 to 1) that the step is correct: true information, and still on a path \
to the right answer. End with one line per step, exactly: STEP <number>: <probability>"""

ORM_TEMPLATE = """You are grading a student's solution to a math word problem.

Problem: {problem}

Solution:
{steps}

Give the probability (0 to 1) that the solution's final answer is correct. End with one line: PROBABILITY: <number>"""


def numbered(steps: Sequence[str]) -> str:
    return "\n".join(f"Step {i + 1}: {step}" for i, step in enumerate(steps))


def aggregate(step_scores: Sequence[float], how: str = "product") -> float:
    """A solution's PRM score: Π_i p_i (Uesato et al. 2022, §3) or min_i p_i."""
    if how not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {AGGREGATES}")
    if not step_scores:
        return 0.0
    return math.prod(step_scores) if how == "product" else min(step_scores)


# --- offline forms --------------------------------------------------------------------------------------------

def first_error_of(checks: Sequence[StepCheck]) -> tuple[int | None, str]:
    """The step judge's verdict from the checker's step checks: the first wrong step (None: none), or UNCERTAIN
    where no step could be checked."""
    first = first_wrong_step(list(checks))
    if first is None and not any(check.status == VERIFIED for check in checks):
        return None, UNCERTAIN
    return first, INCORRECT if first is not None else NO_INCORRECT


def step_scores_of(checks: Sequence[StepCheck]) -> list[float]:
    """The offline PRM's per-step scores from the checker's step checks."""
    return [OFFLINE_STEP_SCORE[check.status] for check in checks]


def orm_of(checks: Sequence[StepCheck], steps: Sequence[str]) -> float:
    """The offline ORM: no answer 0.05; a step the checker finds wrong 0.1; no checkable step 0.5; else 0.9 (the
    checker's evidence read once for the whole solution, not per step; it never sees the reference answer)."""
    if not steps or final_answer(list(steps)) is None:
        return 0.05
    if any(check.status == WRONG for check in checks):
        return 0.1
    return 0.9 if any(check.status == VERIFIED for check in checks) else 0.5


def offline_first_error(problem: str, steps: Sequence[str]) -> tuple[int | None, str]:
    """The first step the arithmetic checker finds wrong (None: none), or UNCERTAIN where no step could be checked."""
    return first_error_of(check_steps(problem, list(steps)))


def offline_step_scores(problem: str, steps: Sequence[str]) -> list[float]:
    return step_scores_of(check_steps(problem, list(steps)))


def offline_orm(problem: str, steps: Sequence[str]) -> float:
    return orm_of(check_steps(problem, list(steps)), steps)


# --- grader forms ---------------------------------------------------------------------------------------------

def parse_first_error(answer: str, n_steps: int) -> tuple[int | None, str]:
    """(0-based first error or None, label) from `FIRST_ERROR: k|none`; unparsed for anything else or k out of range."""
    matches = re.findall(r"FIRST_ERROR\s*:\s*\**\s*(none|\d+)", answer or "", re.IGNORECASE)
    if not matches:
        return None, UNPARSED
    value = matches[-1].lower()
    if value == "none":
        return None, NO_INCORRECT
    index = int(value) - 1
    return (index, INCORRECT) if 0 <= index < n_steps else (None, UNPARSED)


def parse_step_scores(answer: str, n_steps: int) -> list[float] | None:
    """One probability per step from `STEP i: p` lines (the last line per step wins); None unless every step has one."""
    scores: dict[int, float] = {}
    for number, value in re.findall(r"STEP\s*(\d+)\s*:\s*\**\s*([01](?:\.\d+)?|\.\d+)", answer or "", re.IGNORECASE):
        if 1 <= int(number) <= n_steps and 0 <= float(value) <= 1:
            scores[int(number)] = float(value)
    return [scores[i] for i in range(1, n_steps + 1)] if len(scores) == n_steps else None


def parse_probability(answer: str) -> float | None:
    matches = re.findall(r"PROBABILITY\s*:\s*\**\s*([01](?:\.\d+)?|\.\d+)", answer or "", re.IGNORECASE)
    value = float(matches[-1]) if matches else None
    return value if value is not None and 0 <= value <= 1 else None


async def grader_first_error(problem: str, steps: Sequence[str]) -> tuple[int | None, str, str]:
    prompt = STEP_JUDGE_TEMPLATE.format(problem=problem, steps=numbered(steps))
    (first, label), raw = await ask_grader_parsed(prompt, lambda a: parse_first_error(a, len(steps)),
                                                  lambda parsed: parsed[1] != UNPARSED)
    return first, label, raw


async def grader_step_scores(problem: str, steps: Sequence[str]) -> tuple[list[float] | None, str]:
    prompt = PRM_TEMPLATE.format(problem=problem, steps=numbered(steps))
    return await ask_grader_parsed(prompt, lambda a: parse_step_scores(a, len(steps)), lambda parsed: parsed is not None)


async def grader_orm(problem: str, steps: Sequence[str]) -> tuple[float | None, str]:
    prompt = ORM_TEMPLATE.format(problem=problem, steps=numbered(steps))
    return await ask_grader_parsed(prompt, parse_probability, lambda parsed: parsed is not None)
