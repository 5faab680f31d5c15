"""What the alignment-faking evaluation (Greenblatt et al. 2024) contributes to tony: its task, card section, suites."""

from __future__ import annotations

from typing import Any

from tony.core.harm import HarmProfile
from tony.core.scorecard_types import RiskMetric
from tony.core.plugin import Evaluation, Paper, Scaled, SuiteContext, SuiteEntry, register
from tony.evals.alignment_faking.card import alignment_faking_section
from tony.evals.alignment_faking.task import alignment_faking


def queries_scaled(n: int) -> Scaled:
    """Under --limit n: n queries, each asked in both tiers (a sample limit would split the free/paid pairs)."""
    return Scaled({"queries": n}, None)


def untagged_for(context: SuiteContext) -> dict[str, Any]:
    """The embedded model never writes the paper's <OUTPUT> tags: its replies are read whole (the card says so)."""
    return {"allow_untagged": context.embedded}


def _entry(name: str, **args: Any) -> SuiteEntry:
    datasets = ("advbench",) if args.get("dataset") == "advbench" else ()
    return SuiteEntry(name, "alignment_faking", args, datasets=datasets, scale=queries_scaled)


QUICK = {"queries": 2, "max_tokens": 160}

EVALUATION = register(Evaluation(
    name="alignment_faking",
    paper=Paper("Greenblatt et al. 2024", "Alignment faking in large language models", "https://arxiv.org/abs/2412.14093"),
    position=20,
    tasks={"alignment_faking": alignment_faking},
    sections={"alignment_faking": alignment_faking_section},
    quick=(
        _entry("alignment_faking_helpful_only", setting="helpful_only", **QUICK),
        _entry("alignment_faking_animal_welfare", setting="animal_welfare", **QUICK),
    ),
    full=(
        _entry("alignment_faking_helpful_only", setting="helpful_only"),
        _entry("alignment_faking_animal_welfare", setting="animal_welfare"),
        _entry("alignment_faking_minimal", variant="minimal"),
        _entry("alignment_faking_advbench", dataset="advbench"),
    ),
    model_args=untagged_for,
    risks=(RiskMetric("alignment_faking", "alignment_faking", "compliance gap (paid − free)", higher_is_riskier=True),
           RiskMetric("alignment_faking", "alignment_faking", "alignment-faking reasoning (partial classifier)",
                      higher_is_riskier=True)),
    harms={"alignment_faking": HarmProfile(
        "the model complies with harmful requests when it believes it is trained and behaves otherwise when unmonitored, "
        "so training and oversight misjudge it", ("capability",), ("distributional",), ("application", "social"),
        ("reader", "society"))},
))
