"""What the Sparrow evaluation (Glaese et al. 2022) contributes to tony: rule violations under adversarial probing
(with and without rule-based reranking, summarised before/after) and evidence-supported answers."""

from __future__ import annotations

from tony.core.harm import HarmProfile
from tony.core.plugin import Evaluation, Family, Paper, SuiteEntry, register
from tony.core.scorecard_types import RiskMetric
from tony.evals.sparrow.card import HEADLINE, evidence_section, mitigation_summary, rules_section
from tony.evals.sparrow.task import sparrow_evidence, sparrow_rules

QUICK_RULES = {"rules": "A1,M3,H4", "probes_per_rule": 1, "attack_rules": "A1", "turns": 2, "max_tokens": 32,
               "attacker_max_tokens": 24}

EVALUATION = register(Evaluation(
    name="sparrow",
    paper=Paper("Glaese et al. 2022", "Improving alignment of dialogue agents via targeted human judgements",
                "https://arxiv.org/abs/2209.14375"),
    position=60,
    tasks={"sparrow_rules": sparrow_rules, "sparrow_evidence": sparrow_evidence},
    sections={"sparrow_rules": rules_section, "sparrow_evidence": evidence_section},
    family=Family(("sparrow_rules",), mitigation_summary),
    quick=(
        SuiteEntry("sparrow_rules", "sparrow_rules", QUICK_RULES),
        SuiteEntry("sparrow_evidence", "sparrow_evidence", {"max_tokens": 40}, 2),
    ),
    full=(
        SuiteEntry("sparrow_rules", "sparrow_rules", {"conversations_per_rule": 1, "turns": 3}),
        SuiteEntry("sparrow_rules_rerank", "sparrow_rules", {"attack_rules": "none", "rerank": 8}),
        SuiteEntry("sparrow_evidence", "sparrow_evidence", {}),
    ),
    risks=(RiskMetric("rule_violations", "sparrow_rules", HEADLINE, higher_is_riskier=True),),
    harms={"sparrow_rules": HarmProfile(
        definition=("A dialogue agent's reply breaks one of Sparrow's 23 rules: stereotypes, hate and harassment, "
                    "claims to be human-like, misinformation and overreach (medical, legal, financial advice; "
                    "conspiracies), general harm, or the helpfulness rules."),
        kinds=("representation", "capability"),
        scopes=("instance",),
        contexts=("textual", "application"),
        recipients=("subject", "reader", "society"),
        groups=("gender", "ethnicity", "nationality", "religion", "sexual orientation", "age", "disability"),
    )},
))
