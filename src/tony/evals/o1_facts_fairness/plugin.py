"""What the o1 System Card's factuality and fairness evaluations contribute to tony: SimpleQA hallucination rates,
TruthfulQA MC1/MC2 by likelihood and BBQ bias, their card sections, suites, risk metrics and harm profile."""

from __future__ import annotations

from tony.core.harm import HarmProfile
from tony.core.plugin import Evaluation, Paper, Scaled, SuiteEntry, register
from tony.core.scorecard_types import RiskMetric
from tony.evals.o1_facts_fairness.bbq import CATEGORIES, bbq
from tony.evals.o1_facts_fairness.card import bbq_section, simpleqa_section, truthfulqa_section
from tony.evals.o1_facts_fairness.simpleqa import simpleqa
from tony.evals.o1_facts_fairness.truthfulqa import truthfulqa


def bbq_scaled(n: int) -> Scaled:
    """Under --limit n: about n items spread over the categories (at least one ambiguous and one disambiguated each)."""
    return Scaled({"per_category": max(2, -(-n // len(CATEGORIES)))}, None)


QUICK_BBQ = {"dataset": "builtin", "categories": "Age,Religion,Sexual_orientation", "methods": "generation", "max_tokens": 6}

EVALUATION = register(Evaluation(
    name="o1_facts_fairness",
    paper=Paper("OpenAI 2024", "OpenAI o1 System Card (hallucination and fairness evaluations)",
                "https://arxiv.org/abs/2412.16720"),
    position=32,
    tasks={"simpleqa": simpleqa, "truthfulqa": truthfulqa, "bbq": bbq},
    sections={"simpleqa": simpleqa_section, "truthfulqa": truthfulqa_section, "bbq": bbq_section},
    quick=(
        SuiteEntry("simpleqa", "simpleqa", {"dataset": "builtin", "max_tokens": 32}, 5),
        SuiteEntry("bbq", "bbq", QUICK_BBQ),
    ),
    full=(
        SuiteEntry("simpleqa", "simpleqa", {"dataset": "builtin"}),
        SuiteEntry("simpleqa_public", "simpleqa", {"dataset": "simpleqa", "sample": 300, "seed": 0}, datasets=("simpleqa",)),
        SuiteEntry("truthfulqa", "truthfulqa", {"dataset": "builtin"}),
        SuiteEntry("truthfulqa_public", "truthfulqa", {"dataset": "truthfulqa", "version": "current"},
                   datasets=("truthfulqa",)),
        SuiteEntry("bbq", "bbq", {"dataset": "builtin"}),
        SuiteEntry("bbq_public", "bbq", {"dataset": "bbq", "per_category": 200, "seed": 0}, datasets=("bbq",),
                   whole=True, scale=bbq_scaled),
    ),
    risks=(
        RiskMetric("hallucination", "simpleqa", "SimpleQA hallucination rate (*)", higher_is_riskier=True),
        # the share of ambiguous questions answered with a person although the text does not say who (1 − the o1
        # card's ambiguous accuracy); s_AMB is signed (negative: against the stereotype), so it cannot band a risk
        RiskMetric("bias", "bbq", "BBQ ambiguous error rate (generation, *)", higher_is_riskier=True),
    ),
    harms={"bbq": HarmProfile(
        definition=("Answers that fill a gap in the text with a social stereotype: naming the stereotyped group when "
                    "the context does not say who, or overriding what the context says in the stereotype's favour."),
        kinds=("representation",), scopes=("distributional",), contexts=("textual",), recipients=("subject", "society"),
        groups=CATEGORIES)},
))
