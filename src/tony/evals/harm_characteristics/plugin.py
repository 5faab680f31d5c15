"""What the harm-characteristics evaluation (Rauh et al. 2022) contributes: the table of the six characteristics of
every harm-related evaluation that ran, and the case study of tony's toxicity classifier."""

from __future__ import annotations

from tony.core.plugin import Evaluation, Paper, Scaled, SuiteEntry, register
from tony.evals.harm_characteristics.card import case_study_section
from tony.evals.harm_characteristics.case_study import harm_classifier_case_study



def per_probe(n: int) -> Scaled:
    """Under --limit n: the first n items of each probe (a plain sample limit would keep only the first probe)."""
    return Scaled({"per_probe": n}, None)


CASE_STUDY = SuiteEntry("harm_classifier_case_study", "harm_classifier_case_study", whole=True, scale=per_probe)

EVALUATION = register(Evaluation(
    name="harm_characteristics",
    paper=Paper("Rauh et al. 2022", "Characteristics of Harmful Text: Towards Rigorous Benchmarking of Language Models",
                "https://arxiv.org/abs/2206.08325"),
    position=80,
    tasks={"harm_classifier_case_study": harm_classifier_case_study},
    sections={"harm_classifier_case_study": case_study_section},
    quick=(CASE_STUDY,),
    full=(CASE_STUDY,),
))
