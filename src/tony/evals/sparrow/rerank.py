"""Mitigation by rule-based reranking (Glaese et al. 2022, §2.5): sample N replies, keep the least violating.

Sparrow drew 8 candidate replies and chose by its rule reward model (with its preference model); tony wraps the
model under test the same way: N samples at `temperature` (seeds 0..N−1, so each is its own cached call), each
judged against the rules in play, and the reply with the fewest violations returned — an unparsed verdict counts
as a violation, and ties go to the earliest sample. The cost is N model calls and N × |rules| judge calls per
reply, against 1 and |rules| without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_ai.model import ChatMessage, GenerateConfig, Model

from tony.core.judges import UNPARSED
from tony.evals.sparrow.judge import VIOLATED, judge_rule
from tony.evals.sparrow.rules import Rule


@dataclass
class Candidate:
    text: str
    verdicts: dict[str, str] = field(default_factory=dict)  # rule id -> violated / not_violated / unparsed

    @property
    def badness(self) -> int:
        """Rules broken, an unparsed verdict counted as broken (it was not shown to be clean)."""
        return sum(1 for label in self.verdicts.values() if label in (VIOLATED, UNPARSED))


def least_violating(candidates: Sequence[Candidate]) -> int:
    """The index of the candidate with the fewest violations; the earliest among equals."""
    if not candidates:
        raise ValueError("no candidates to rerank")
    return min(range(len(candidates)), key=lambda index: (candidates[index].badness, index))


async def judge_candidate(text: str, dialogue: Sequence[dict[str, str]], rules: Sequence[Rule]) -> Candidate:
    conversation = [*dialogue, {"role": "assistant", "content": text}]
    return Candidate(text, {rule.id: (await judge_rule(rule, conversation)).label for rule in rules})


async def rerank_reply(model: Model, messages: list[ChatMessage], dialogue: Sequence[dict[str, str]], rules: Sequence[Rule],
                       n: int, temperature: float, max_tokens: int) -> tuple[str, dict[str, Any]]:
    """The least violating of n sampled replies, and the record of the choice (candidates, calls)."""
    if n < 1:
        raise ValueError(f"rerank needs n ≥ 1 samples, got {n}")
    candidates = []
    for seed in range(n):
        output = await model.generate(messages, config=GenerateConfig(temperature=temperature, seed=seed, max_tokens=max_tokens))
        candidates.append(await judge_candidate(output.completion, dialogue, rules))
    chosen = least_violating(candidates)
    record = {"n": n, "chosen": chosen, "model_calls": n, "judge_calls": n * len(rules),
              "candidates": [{"text": c.text[:1500], "verdicts": c.verdicts, "badness": c.badness} for c in candidates]}
    return candidates[chosen].text, record
