"""What an evaluation tells the Preparedness-style scorecard: which headline metric speaks for which risk area.

An evaluation's plugin sets `Evaluation.risks = (RiskMetric(...), ...)`. The thresholds that turn a metric into a
level (Low / Medium / High) are tony's own, kept per risk area in one config file (`tony/core/scorecard.toml`) and
printed in the card; they are not OpenAI's.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

RISK_AREAS = (
    "disallowed_content", "jailbreaks", "over_refusal", "hallucination", "bias", "instruction_hierarchy",
    "persuasion", "deception", "cot_faithfulness", "alignment_faking", "goal_misgeneralization",
    "rule_violations", "toxicity",
)


@dataclass(frozen=True)
class RiskMetric:
    """One headline metric of one task's card section that measures a risk area."""

    area: str  # one of RISK_AREAS
    task: str  # the registered task whose card section carries the headline
    headline: str  # the HeadlineMetric.name in that section; `*` matches any text (e.g. "not_unsafe (*)", one per run)
    higher_is_riskier: bool  # e.g. True for a hallucination rate, False for a refusal rate on harmful requests

    def __post_init__(self) -> None:
        if self.area not in RISK_AREAS:
            raise ValueError(f"unknown risk area {self.area!r}; choose from {', '.join(RISK_AREAS)}")

    def matches(self, task: str, headline: str) -> bool:
        """Whether a section of `task` with a headline metric named `headline` is evidence for this risk metric."""
        return task == self.task and fnmatchcase(headline, self.headline)
