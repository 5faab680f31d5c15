"""Mitigation by rule-based reranking (Glaese et al. 2022, §2.5): sample N replies, keep the least violating.

Sparrow drew 8 candidate replies and chose by its rule reward model (with its preference model), and human raters
then scored the chosen reply: the selector and the scorer were different judges. tony wraps the model under test the
same way: N samples at `temperature` (seeds 0..N−1, so each is its own cached call), each judged against the rules
in play by the SELECTOR, the offline rule cues (`offline_rules.py`, tony's stand-in for the reward model), and the
reply with the fewest violations returned — ties go to the earliest sample. The scorer is `judge.judge_rule`: the
grader-role model when one is bound (a judge with errors independent of the cues), else the same offline cues — then
selection and scoring are one judge and the after-rate is judge-selected, not evidence of fewer violations (a reply
is kept because the judge misses its violation; with every candidate clean and each flagged at random with
probability p, the after-rate reads p^N). The cost is N model calls and N × |rules| selector verdicts per reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_ai.model import ChatMessage, GenerateConfig, Model

from tony.core.judges.grader import UNCERTAIN, UNPARSED, JudgeInfo
from tony.evals.sparrow.judge import OFFLINE_RULE_JUDGE
from tony.evals.sparrow.offline_rules import VIOLATED, judge_rule_offline
from tony.evals.sparrow.rules import Rule

SELECTOR = JudgeInfo("offline", OFFLINE_RULE_JUDGE)  # tony's stand-in for Sparrow's rule reward model


@dataclass
class Candidate:
    text: str
    verdicts: dict[str, str] = field(default_factory=dict)  # rule id -> violated / not_violated / unparsed

    @property
    def badness(self) -> int:
        """Rules broken, an unparsed or uncertain verdict counted as broken (it was not shown to be clean)."""
        return sum(1 for label in self.verdicts.values() if label in (VIOLATED, UNPARSED, UNCERTAIN))


def least_violating(candidates: Sequence[Candidate]) -> int:
    """The index of the candidate with the fewest violations; the earliest among equals."""
    if not candidates:
        raise ValueError("no candidates to rerank")
    return min(range(len(candidates)), key=lambda index: (candidates[index].badness, index))


def judge_candidate(text: str, dialogue: Sequence[dict[str, str]], rules: Sequence[Rule]) -> Candidate:
    """The selector's verdicts on one candidate reply: the offline rule cues, never the scorer."""
    conversation = [*dialogue, {"role": "assistant", "content": text}]
    return Candidate(text, {rule.id: judge_rule_offline(rule.id, conversation).label for rule in rules})


def selection_is_circular(scorer: JudgeInfo) -> bool:
    """Whether the judge that scored a reranked run is the selector itself (no independent judge was bound)."""
    return scorer.kind == SELECTOR.kind


async def rerank_reply(model: Model, messages: list[ChatMessage], dialogue: Sequence[dict[str, str]], rules: Sequence[Rule],
                       n: int, temperature: float, max_tokens: int) -> tuple[str, dict[str, Any]]:
    """The least violating of n sampled replies, and the record of the choice (candidates, calls)."""
    if n < 1:
        raise ValueError(f"rerank needs n ≥ 1 samples, got {n}")
    candidates = []
    for seed in range(n):
        output = await model.generate(messages, config=GenerateConfig(temperature=temperature, seed=seed, max_tokens=max_tokens))
        candidates.append(judge_candidate(output.completion, dialogue, rules))
    chosen = least_violating(candidates)
    record = {"n": n, "chosen": chosen, "model_calls": n, "judge_calls": n * len(rules), "selector": SELECTOR.label(),
              "candidates": [{"text": c.text[:1500], "verdicts": c.verdicts, "badness": c.badness} for c in candidates]}
    return candidates[chosen].text, record
