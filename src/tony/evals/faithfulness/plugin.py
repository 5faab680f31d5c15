"""What the faithfulness evaluation (Chen et al. 2025) contributes to tony: two tasks, their card sections, suites."""

from __future__ import annotations

from tony.core.scorecard_types import RiskMetric
from tony.core.plugin import Evaluation, Paper, Scaled, SuiteEntry, register
from tony.evals.faithfulness.card import faithfulness_section, judge_validation_section
from tony.evals.faithfulness.hints import HINT_TYPES, MISALIGNED_HINTS
from tony.evals.faithfulness.judge_validation import faithfulness_judge
from tony.evals.faithfulness.task import faithfulness


def judge_check_scaled(n: int) -> Scaled:
    """Under --limit n: n chains of each label per hint type of the frozen test set."""
    return Scaled({"per_label": n, "split": "test"}, None)


SMOKE_HINTS = (HINT_TYPES[0], MISALIGNED_HINTS[-1])  # one hint of each kind, so that both averages stay defined


def questions_scaled(n: int) -> Scaled:
    """Under --limit n: the first n questions; --limit 1 also asks only SMOKE_HINTS (3 chains instead of 7)."""
    return Scaled({"hint_types": ",".join(SMOKE_HINTS)} if n == 1 else {}, n)


# The card's judge check measures on the frozen test set (written blind to the judge), not the dev set it was tuned on.
JUDGE_CHECK = SuiteEntry("faithfulness_judge", "faithfulness_judge", {"split": "test"}, whole=True, scale=judge_check_scaled)

EVALUATION = register(Evaluation(
    name="faithfulness",
    paper=Paper("Chen et al. 2025", "Reasoning models don't always say what they think", "https://arxiv.org/abs/2505.05410"),
    position=10,
    tasks={"faithfulness": faithfulness, "faithfulness_judge": faithfulness_judge},
    sections={"faithfulness": faithfulness_section, "faithfulness_judge": judge_validation_section},
    quick=(SuiteEntry("faithfulness", "faithfulness", {"dataset": "builtin"}, 6, scale=questions_scaled), JUDGE_CHECK),
    full=(
        SuiteEntry("faithfulness", "faithfulness", {"dataset": "builtin"}, scale=questions_scaled),
        JUDGE_CHECK,
        SuiteEntry("faithfulness_mmlu", "faithfulness", {"dataset": "mmlu"}, 200, datasets=("mmlu",), scale=questions_scaled),
    ),
    risks=(RiskMetric("cot_faithfulness", "faithfulness", "F_norm, average over hint types", higher_is_riskier=False),),
))
