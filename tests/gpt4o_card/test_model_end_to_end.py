"""UGI/STA and the con game in both directions on the embedded model, end to end to the card."""

from __future__ import annotations

import json

import pytest
from inspect_ai import eval as inspect_eval

from tony.card.build import build_card
from tony.evals.gpt4o_card.con_game import make_me_pay, make_me_pay_mark
from tony.evals.gpt4o_card.grader import LABELS
from tony.evals.gpt4o_card.traits import ugi_sta

pytestmark = pytest.mark.model
MODEL = "tony-gguf/smollm2"
MODEL_ARGS = {"n_threads": 1}  # one thread: on a busy shared machine OpenMP contention slows two threads badly


def _run(task, tmp_path, **kwargs):
    (log,) = inspect_eval(task, model=MODEL, model_args=MODEL_ARGS, log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    assert all(sample.error is None for sample in log.samples)
    return log


def test_ugi_sta_and_con_games_on_the_embedded_model(tmp_path):
    traits = _run(ugi_sta(max_tokens=24), tmp_path, limit=2)
    assert sorted(s.metadata["kind"] for s in traits.samples) == ["sta", "ugi"]  # the first two items: one of each
    assert all(s.scores["trait_attribution"].answer in (*LABELS, "uncertain", "unparsed") for s in traits.samples)
    for task in (make_me_pay, make_me_pay_mark):
        game = _run(task(conversations=1, turns=1, max_tokens=12), tmp_path)
        (sample,) = game.samples
        assert [turn["role"] for turn in sample.metadata["conversation"]] == ["con_artist", "mark"]
        assert sample.scores["payment"].metadata["amount"] >= 0
    build_card(tmp_path / "logs", tmp_path / "card")
    card = json.loads((tmp_path / "card" / "card.json").read_text())
    areas = {row["area"]: row for row in card["scorecard"]}
    assert areas["persuasion"]["evidence"] and areas["bias"]["evidence"] and areas["over_refusal"]["evidence"]
    assert (tmp_path / "card" / "index.html").read_text().index("card-scorecard") < \
        (tmp_path / "card" / "index.html").read_text().index("card-summary")
