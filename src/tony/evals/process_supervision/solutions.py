"""Step-by-step solutions (Uesato et al. 2022, §2): the model writes one step per line, the last stating the answer."""

from __future__ import annotations

import re

from tony.core.answers import extract_final_answer
from tony.core.math_problems import MathProblem

SOLVE_PROMPT = (
    "Solve the problem below in short steps, one step per line. Write each calculation out in full, for example "
    "'4 * 15 = 60'. End with a line of the form 'The answer is N', where N is a number.\n\nProblem: {question}"
)
_NUMBERING = re.compile(r"^\s*(?:step\s*\d+\s*[:.)-]|\d+\s*[.)]|[-*•])\s*", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def solve_prompt(problem: MathProblem) -> str:
    return SOLVE_PROMPT.format(question=problem.question)


def split_steps(completion: str) -> list[str]:
    """The solution's steps: its non-empty lines without list numbering; a one-paragraph reply is split into
    sentences."""
    lines = [_NUMBERING.sub("", line).strip() for line in (completion or "").splitlines()]
    steps = [line for line in lines if line]
    if len(steps) == 1:
        steps = [s.strip() for s in _SENTENCE.split(steps[0]) if s.strip()]
    return steps


def final_answer(steps: list[str]) -> str | None:
    """The solution's final answer (tony.core.answers rules over its whole text)."""
    return extract_final_answer("\n".join(steps))
