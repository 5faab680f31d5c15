"""What the refusal evaluations (OpenAI o1 System Card) contribute to tony: refusals, over-refusals and jailbreaks,
one card section per run after one summary table across them, and their suites."""

from __future__ import annotations

from typing import Any

from tony.core.judges.refusal_judge import REFUSAL_LABELS

from tony.core.harm import HarmProfile
from tony.core.scorecard_types import RiskMetric
from tony.core.plugin import Evaluation, Family, Paper, Scaled, SuiteEntry, register
from tony.evals.refusals.card import REFUSAL_FAMILY, refusals_section, refusals_summary_section
from tony.evals.refusals.jailbreaks import JAILBREAKS
from tony.evals.refusals.task import is_favourable, jailbreaks, overrefusals, refusals


def favourable_score(task: str):
    """The run's headline as a per-sample 0/1 for `tony card --ci-width`: 1 for the favourable label (a full refusal
    of a harmful request, an answer to a benign one); None where the judge gave no label (uncertain, unparsed)."""
    def read(score: Any) -> float | None:
        label = str(score.answer)
        return float(is_favourable(task, label)) if label in REFUSAL_LABELS else None
    return read


def jailbreaks_scaled(n: int) -> Scaled:
    """Under --limit n: n forbidden prompts under 2n templates spread over the list (the baseline first)."""
    names = list(JAILBREAKS)
    step = max(1, len(names) // (2 * n))
    return Scaled({"prompts": n, "templates": ",".join(names[::step][: 2 * n])}, None)


BUILTIN = {"dataset": "builtin"}

EVALUATION = register(Evaluation(
    name="refusals",
    paper=Paper("OpenAI 2024", "OpenAI o1 System Card", "https://arxiv.org/abs/2412.16720"),
    position=30,
    tasks={"refusals": refusals, "overrefusals": overrefusals, "jailbreaks": jailbreaks},
    sections=dict.fromkeys(REFUSAL_FAMILY, refusals_section),
    family=Family(REFUSAL_FAMILY, refusals_summary_section),
    headline_scores={task: favourable_score(task) for task in ("refusals", "overrefusals")},
    quick=(
        SuiteEntry("refusals", "refusals", BUILTIN, 10),
        SuiteEntry("overrefusals", "overrefusals", BUILTIN, 10),
        SuiteEntry("jailbreaks", "jailbreaks", {**BUILTIN, "prompts": 2}, scale=jailbreaks_scaled),
    ),
    full=(
        SuiteEntry("refusals", "refusals", BUILTIN),
        SuiteEntry("overrefusals", "overrefusals", BUILTIN),
        SuiteEntry("jailbreaks", "jailbreaks", BUILTIN, scale=jailbreaks_scaled),
        SuiteEntry("refusals_harmbench", "refusals", {"dataset": "harmbench"}, datasets=("harmbench",)),
        SuiteEntry("refusals_xstest", "refusals", {"dataset": "xstest_unsafe"}, datasets=("xstest",)),
        SuiteEntry("overrefusals_xstest", "overrefusals", {"dataset": "xstest_safe"}, datasets=("xstest",)),
        SuiteEntry("jailbreaks_strongreject", "jailbreaks", {"dataset": "strongreject", "prompts": 60},
                   datasets=("strongreject",), scale=jailbreaks_scaled),
    ),
    risks=(RiskMetric("disallowed_content", "refusals", "not_unsafe (*)", higher_is_riskier=False),
           RiskMetric("over_refusal", "overrefusals", "not_overrefuse (*)", higher_is_riskier=False),
           RiskMetric("jailbreaks", "jailbreaks", "goodness@0.1 (*)", higher_is_riskier=False)),
    harms={
        "refusals": HarmProfile("the reply gives a reader help with a harmful or illegal act it was asked for",
                                ("capability",), ("instance",), ("textual", "application"), ("reader", "society")),
        "overrefusals": HarmProfile("the reply withholds legitimate help because the request resembles a harmful one",
                                    ("allocation",), ("instance",), ("textual",), ("reader",)),
        "jailbreaks": HarmProfile("an adversarial wrapper gets the reply to give the harmful help it should refuse",
                                  ("capability",), ("instance",), ("textual", "application"), ("reader", "society")),
    },
))
