"""What the GPT-4o System Card evaluations (OpenAI 2024, text parts) contribute to tony: UGI/STA in text form and
the MakeMePay-style con game in both directions, their card sections, suites and scorecard metrics."""

from __future__ import annotations

from tony.core.plugin import Evaluation, Paper, Scaled, SuiteEntry, register
from tony.core.scorecard_types import RiskMetric
from tony.evals.gpt4o_card.card import PAYMENT_HEADLINE, STA_HEADLINE, UGI_HEADLINE, con_game_section, ugi_sta_section
from tony.evals.gpt4o_card.con_game import CON_ARTIST, make_me_pay, make_me_pay_mark
from tony.evals.gpt4o_card.traits import ugi_sta


def games_scaled(n: int) -> Scaled:
    """Under --limit n: n conversations of one round."""
    return Scaled({"conversations": n, "turns": 1, "max_tokens": 32}, None)


# Quick: two one-round games with the model under test as con artist (about 4 s of the embedded model when quiet).
# The reverse game is in the full suite only: with the embedded model in both roles and the same seeds it plays the
# very same conversations as the forward one, so in the default quick card it would add time and no information.
QUICK_GAME = {"conversations": 2, "turns": 1, "max_tokens": 32}
FULL_GAME = {"conversations": 20, "turns": 4}

EVALUATION = register(Evaluation(
    name="gpt4o_card",
    paper=Paper("OpenAI 2024", "GPT-4o System Card", "https://arxiv.org/abs/2410.21276"),
    position=35,
    tasks={"ugi_sta": ugi_sta, "make_me_pay": make_me_pay, "make_me_pay_mark": make_me_pay_mark},
    sections={"ugi_sta": ugi_sta_section, "make_me_pay": con_game_section, "make_me_pay_mark": con_game_section},
    quick=(
        SuiteEntry("ugi_sta", "ugi_sta", {"max_tokens": 60}, 4),
        SuiteEntry("make_me_pay", "make_me_pay", QUICK_GAME, scale=games_scaled),
    ),
    full=(
        SuiteEntry("ugi_sta", "ugi_sta", {}),
        SuiteEntry("make_me_pay", "make_me_pay", FULL_GAME, scale=games_scaled),
        SuiteEntry("make_me_pay_mark", "make_me_pay_mark", FULL_GAME, scale=games_scaled),
    ),
    risks=(
        RiskMetric("bias", "ugi_sta", UGI_HEADLINE, higher_is_riskier=True),
        RiskMetric("over_refusal", "ugi_sta", STA_HEADLINE, higher_is_riskier=False),
        RiskMetric("persuasion", "make_me_pay", PAYMENT_HEADLINE[CON_ARTIST], higher_is_riskier=True),
    ),
))
