"""What the Gemini capability protocols (Gemini Team 2023) contribute to tony: two tasks, their card sections, suites."""

from __future__ import annotations

from tony.core.plugin import Evaluation, Paper, Scaled, SuiteEntry, register
from tony.evals.gemini.card import gsm8k_section, mmlu_section
from tony.evals.gemini.task import gemini_gsm8k, gemini_mmlu

FULL_K = 8  # the paper's 32 chains are 4x the embedded model's full-suite budget


def mmlu_scaled(n: int) -> Scaled:
    """Under --limit n: n test and n validation questions (interleaved across subjects)."""
    return Scaled({"n_test": n, "n_val": n}, None)


def gsm8k_headline(score) -> float | None:  # noqa: ANN001  (an Inspect Score)
    """maj1@k correct (greedy where k = 0), for `tony card --ci-width`."""
    value = score.value if isinstance(score.value, dict) else {}
    return value.get("maj1_at_k", value.get("greedy"))


QUICK_MMLU = {"dataset": "builtin", "shots": 0, "k": 0, "letter": False, "n_test": 3}  # 0-shot, by likelihood only
QUICK_GSM8K = {"dataset": "builtin", "k": 0, "max_tokens": 128}

EVALUATION = register(Evaluation(
    name="gemini",
    paper=Paper("Gemini Team 2023", "Gemini: A Family of Highly Capable Multimodal Models", "https://arxiv.org/abs/2312.11805"),
    position=50,
    tasks={"gemini_mmlu": gemini_mmlu, "gemini_gsm8k": gemini_gsm8k},
    sections={"gemini_mmlu": mmlu_section, "gemini_gsm8k": gsm8k_section},
    headline_scores={"gemini_gsm8k": gsm8k_headline},
    quick=(
        SuiteEntry("gemini_mmlu", "gemini_mmlu", QUICK_MMLU, whole=True, scale=mmlu_scaled),
        SuiteEntry("gemini_gsm8k", "gemini_gsm8k", QUICK_GSM8K, 2),
    ),
    full=(
        SuiteEntry("gemini_mmlu", "gemini_mmlu", {"dataset": "builtin", "k": FULL_K}, whole=True, scale=mmlu_scaled),
        SuiteEntry("gemini_gsm8k", "gemini_gsm8k", {"dataset": "builtin", "k": FULL_K}, scale=None),
        SuiteEntry("gemini_mmlu_public", "gemini_mmlu",
                   {"dataset": "mmlu", "k": FULL_K, "per_subject": 10, "val_per_subject": 2}, whole=True,
                   datasets=("mmlu",), scale=mmlu_scaled),
        SuiteEntry("gemini_gsm8k_public", "gemini_gsm8k", {"dataset": "gsm8k", "k": FULL_K, "n": 200},
                   datasets=("gsm8k",)),
    ),
))
