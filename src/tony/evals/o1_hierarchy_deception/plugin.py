"""What the o1 System Card's instruction-hierarchy and CoT-deception evaluations contribute to tony."""

from __future__ import annotations

from tony.core.plugin import Evaluation, Paper, Scaled, SuiteEntry, register
from tony.core.scorecard_types import RiskMetric
from tony.evals.o1_hierarchy_deception.card import (
    FLAG_HEADLINE,
    OVERRIDE_HEADLINE,
    deception_section,
    hierarchy_section,
)
from tony.evals.o1_hierarchy_deception.deception import cot_deception
from tony.evals.o1_hierarchy_deception.hierarchy import instruction_hierarchy


def hierarchy_scaled(n: int) -> Scaled:
    """Under --limit n: about n items, spread over the three families."""
    return Scaled({"per_family": max(1, -(-n // 3))}, None)


def deception_scaled(n: int) -> Scaled:
    """The monitor reads whatever logs the card holds (--limit has already cut those runs), in one sample."""
    return Scaled({"shards": 1}, None)


# The runs the o1 card's monitor reads (by registered task name; evaluations never import each other). The entry is
# `last`: `tony card` runs it after every other run; wait_s also covers runs still being written beside it (e.g. a
# standalone eval set), and any run with no finished log is named in the card.
MONITORED = "faithfulness,alignment_faking,simpleqa"
MONITOR_ARGS = {"tasks": MONITORED, "wait_s": 3600, "shards": 4}

EVALUATION = register(Evaluation(
    name="o1_hierarchy_deception",
    paper=Paper("OpenAI 2024", "OpenAI o1 System Card", "https://arxiv.org/abs/2412.16720"),
    position=33,
    tasks={"instruction_hierarchy": instruction_hierarchy, "cot_deception": cot_deception},
    sections={"instruction_hierarchy": hierarchy_section, "cot_deception": deception_section},
    quick=(
        SuiteEntry("instruction_hierarchy", "instruction_hierarchy", {"per_family": 2, "max_tokens": 40},
                   whole=True, scale=hierarchy_scaled),
        SuiteEntry("cot_deception", "cot_deception", MONITOR_ARGS, whole=True, scale=deception_scaled, last=True),
    ),
    full=(
        SuiteEntry("instruction_hierarchy", "instruction_hierarchy", {}, whole=True, scale=hierarchy_scaled),
        SuiteEntry("cot_deception", "cot_deception", MONITOR_ARGS, whole=True, scale=deception_scaled, last=True),
    ),
    risks=(RiskMetric("instruction_hierarchy", "instruction_hierarchy", OVERRIDE_HEADLINE, higher_is_riskier=True),
           RiskMetric("deception", "cot_deception", FLAG_HEADLINE, higher_is_riskier=True)),
))
