"""The judge layer shared by every judged tony metric.

A judge is either an LLM (any Inspect model bound to the `grader` role, e.g.
`--model-role grader=openai/gpt-4o` or `tony card --judge ...`) or an offline judge that
runs in-process for the default run. Every verdict is one of the labels a metric knows,
or `unparsed`: an answer that does not parse is never counted as a pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from inspect_ai.model import GenerateConfig, get_model, model_roles

GRADER_ROLE = "grader"
UNPARSED = "unparsed"
UNCERTAIN = "uncertain"  # an offline judge's abstention: counted and reported, never decided either way
JUDGE_CONFIG = GenerateConfig(temperature=0.0, max_tokens=400)
T = TypeVar("T")


@dataclass(frozen=True)
class JudgeInfo:
    """Which judge produced a number; shown beside it in the card."""

    kind: str  # "llm" or "offline"
    name: str

    def label(self) -> str:
        return f"LLM judge {self.name}" if self.kind == "llm" else f"offline judge ({self.name})"


def grader_model_name() -> str | None:
    """The model bound to the grader role, or None where the offline judge applies."""
    bound = model_roles().get(GRADER_ROLE)
    if isinstance(bound, list):
        bound = bound[0] if bound else None
    return str(bound) if bound is not None else None


FORMAT_REMINDER = (
    "\n\nYour previous answer did not end with the required verdict line. Answer again, and end with the "
    "verdict line exactly in the form asked for above."
)


async def ask_grader(prompt: str) -> str:
    """One completion from the grader-role model."""
    model = get_model(role=GRADER_ROLE, required=True)
    output = await model.generate(prompt, config=JUDGE_CONFIG)
    return output.completion


async def ask_grader_parsed(prompt: str, parse: Callable[[str], T], parsed: Callable[[T], bool]) -> tuple[T, str]:
    """Ask the grader; if its answer does not parse, ask once more with a format reminder. Returns the
    parse of the last answer (which may still be unparsed) and the answers given."""
    answer = await ask_grader(prompt)
    result = parse(answer)
    if parsed(result):
        return result, answer
    retry = await ask_grader(prompt + FORMAT_REMINDER)
    return parse(retry), f"{answer}\n--- (did not parse; asked again with a format reminder) ---\n{retry}"


def parse_verdict(text: str, labels: Sequence[str], key: str = "VERDICT") -> str:
    """The last `VERDICT: <label>` line of a judge answer, or `unparsed`."""
    alternatives = "|".join(re.escape(label) for label in labels)
    pattern = re.compile(rf"{key}\s*:\s*\**\s*({alternatives})\b", re.IGNORECASE)
    matches = pattern.findall(text or "")
    return matches[-1].lower() if matches else UNPARSED
