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


# The runs the o1 card's monitor reads (by registered task name; evaluations never import each other). The entry has
# no sample limit, so `tony card` runs it in its last group, after the limited runs; runs of that group going on
# beside it (e.g. alignment faking) are waited for (up to wait_s seconds), and any still missing is named in the card.
MONITORED = "faithfulness,alignment_faking,simpleqa"
MONITOR_ARGS = {"tasks": MONITORED, "wait_s": 3600, "shards": 4}
# Run after every other entry where the suite machinery offers it (SuiteEntry.last); wait_s covers the rest.
AFTER_OTHERS = {"last": True} if "last" in SuiteEntry.__dataclass_fields__ else {}

EVALUATION = register(Evaluation(
    name="o1_hierarchy_deception",
    paper=Paper("OpenAI 2024", "OpenAI o1 System Card", "https://arxiv.org/abs/2412.16720"),
    position=33,
    tasks={"instruction_hierarchy": instruction_hierarchy, "cot_deception": cot_deception},
    sections={"instruction_hierarchy": hierarchy_section, "cot_deception": deception_section},
    quick=(
        SuiteEntry("instruction_hierarchy", "instruction_hierarchy", {"per_family": 2, "max_tokens": 40},
                   whole=True, scale=hierarchy_scaled),
        SuiteEntry("cot_deception", "cot_deception", MONITOR_ARGS, whole=True, scale=deception_scaled, **AFTER_OTHERS),
    ),
    full=(
        SuiteEntry("instruction_hierarchy", "instruction_hierarchy", {}, whole=True, scale=hierarchy_scaled),
        SuiteEntry("cot_deception", "cot_deception", MONITOR_ARGS, whole=True, scale=deception_scaled, **AFTER_OTHERS),
    ),
    risks=(RiskMetric("instruction_hierarchy", "instruction_hierarchy", OVERRIDE_HEADLINE, higher_is_riskier=True),
           RiskMetric("deception", "cot_deception", FLAG_HEADLINE, higher_is_riskier=True)),
))
