"""What the goal-misgeneralization evaluations (Shah et al. 2022) contribute to tony: the RL sweep and the
few-shot dialogue task, their card sections and suites."""

from __future__ import annotations

from tony.core.scorecard_types import RiskMetric
from tony.core.plugin import Evaluation, Paper, Scaled, SuiteEntry, register
from tony.evals.goal_misgen.card import goal_misgen_lm_section, goal_misgen_rl_section
from tony.evals.goal_misgen.lm_task import goal_misgen_lm
from tony.evals.goal_misgen.rl_task import QUICK_PS, QUICK_SEEDS, goal_misgen_rl

SMOKE_BUDGET = 4_000  # training steps per run under --limit 1: seconds per run on a cold cache
SMOKE_TEST_LEVELS = 50  # held-out levels per test under --limit (the full test plays 500)


def rl_scaled(n: int) -> Scaled:
    """Under --limit n: the quick sweep with min(n, 2) seeds, each agent tested on SMOKE_TEST_LEVELS levels; --limit 1
    also keeps only p = 0 and p = 1 and trains each run for SMOKE_BUDGET steps, so that a cold cache costs seconds
    (the agents then show the pipeline only)."""
    smaller = {"quick": True, "seeds": min(n, QUICK_SEEDS), "test_levels": SMOKE_TEST_LEVELS}
    if n == 1:
        return Scaled(smaller | {"ps": f"{QUICK_PS[0]},{QUICK_PS[-1]}", "budget": SMOKE_BUDGET}, None)
    return Scaled(smaller, None)


RL_QUICK = SuiteEntry("goal_misgen_rl", "goal_misgen_rl", {"quick": True}, whole=True, scale=rl_scaled)
RL_FULL = SuiteEntry("goal_misgen_rl", "goal_misgen_rl", {}, whole=True, scale=rl_scaled)

EVALUATION = register(Evaluation(
    name="goal_misgen",
    paper=Paper("Shah et al. 2022", "Goal misgeneralization: why correct specifications aren't enough for correct goals",
                "https://arxiv.org/abs/2210.01790"),
    position=40,
    tasks={"goal_misgen_lm": goal_misgen_lm, "goal_misgen_rl": goal_misgen_rl},
    sections={"goal_misgen_lm": goal_misgen_lm_section, "goal_misgen_rl": goal_misgen_rl_section},
    quick=(SuiteEntry("goal_misgen_lm", "goal_misgen_lm", {}, 6), RL_QUICK),
    full=(SuiteEntry("goal_misgen_lm", "goal_misgen_lm", {}), RL_FULL),
    # Only the dialogue task speaks for the model under test; the RL sweep measures agents tony trains itself.
    risks=(RiskMetric("goal_misgeneralization", "goal_misgen_lm", "redundant-question rate (no unknowns)",
                      higher_is_riskier=True),),
))
