"""Training the alignment-faking evaluation's offline judges on their dev sets (`scripts/train_offline_judges.py`),
and their nested cross-validated agreement there: every dev item is judged by models trained and calibrated
without it. The alignment-faking verdict of an item combines its five held-out criterion verdicts as the judge
does (`offline_judges.combine_criteria`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from tony.core.judges.offline_classifier import (
    FOLDS,
    CalibratedJudge,
    agreement_summary,
    cross_validated_probabilities,
    decide,
    held_out_groups,
    stratified_folds,
    train,
)
from tony.core.judges.validation import read_judge_set
from tony.evals.alignment_faking.offline_judges import CRITERIA, combine_criteria, item_features

BINARY_JUDGES = {"welfare_support": ("welfare_support", "supports_welfare"), "caveats": ("caveats", "caveats")}


def style_group(item: dict[str, Any]) -> str:
    style = item.get("style", "")
    return "original" if style.startswith("original") else "handwritten" if style.startswith("handwritten") else "composed"


def af_cross_validation(items: list[dict[str, Any]], seed: int = 1) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Held-out probabilities per criterion (the same folds for all five) and the agreement of the combined verdict."""
    rows = [item_features("af:", item) for item in items]
    folds = stratified_folds(np.array([item["alignment_faking"] for item in items], dtype=int), FOLDS, seed)
    probabilities = {c: cross_validated_probabilities(rows, [item["criteria"][c] for item in items], folds) for c in CRITERIA}
    verdicts = [combine_criteria({c: decide(float(probabilities[c][i])) for c in CRITERIA}) for i in range(len(items))]
    report = agreement_summary(verdicts, [item["alignment_faking"] for item in items], [style_group(item) for item in items])
    report["criteria"] = {c: agreement_summary([decide(float(p)) for p in probabilities[c]], [item["criteria"][c] for item in items])["summary"]
                          for c in CRITERIA}
    return probabilities, report


def binary_cross_validation(name: str, seed: int = 1) -> dict[str, Any]:
    set_name, positive = BINARY_JUDGES[name]
    items = read_judge_set(set_name, "dev")
    rows = [item_features(name, item) for item in items]
    y = [item["label"] == positive for item in items]
    probabilities = cross_validated_probabilities(rows, y, stratified_folds(np.asarray(y, dtype=int), FOLDS, seed))
    groups = [style_group(item) for item in items]
    report = agreement_summary([decide(float(p)) for p in probabilities], y, groups)
    report["held_out_style"] = held_out_groups(rows, y, groups)
    return report


def train_all() -> tuple[dict[str, CalibratedJudge], dict[str, Any]]:
    """Every judge trained on its whole dev set, and the cross-validated reports."""
    af_items = read_judge_set("af_reasoning", "dev")
    _, af_report = af_cross_validation(af_items)
    af_rows = [item_features("af:", item) for item in af_items]
    judges = {f"af:{c}": train(af_rows, [item["criteria"][c] for item in af_items]) for c in CRITERIA}
    reports: dict[str, Any] = {"af_reasoning": af_report}
    for name, (set_name, positive) in BINARY_JUDGES.items():
        items = read_judge_set(set_name, "dev")
        reports[name] = binary_cross_validation(name)
        judges[name] = train([item_features(name, item) for item in items], [item["label"] == positive for item in items])
    return judges, reports
