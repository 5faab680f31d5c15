"""Sparrow on the embedded model, end to end to the card: rules (static and attacker), reranking, evidence."""

import json

import pytest
from inspect_ai import eval as inspect_eval

from tony.card.build import build_card
from tony.evals.sparrow.task import sparrow_evidence, sparrow_rules

pytestmark = pytest.mark.model
MODEL = "tony-gguf/smollm2"
MODEL_ARGS = {"n_threads": 1}  # see tests/refusals/test_model_end_to_end.py: one thread on a shared machine
LABELS = {"violated", "not_violated", "unparsed"}


def _run(task, tmp_path, **kwargs):
    (log,) = inspect_eval(task, model=MODEL, model_args=MODEL_ARGS, log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    assert all(sample.error is None for sample in log.samples)
    return log


def test_sparrow_on_the_embedded_model(tmp_path):
    rules_log = _run(sparrow_rules(rules="A1,M3", probes_per_rule=1, attack_rules="A1", turns=2, max_tokens=24,
                                   attacker_max_tokens=24), tmp_path)
    records = {str(s.id): s.scores["rule_verdicts"].metadata["record"] for s in rules_log.samples}
    assert set(records) == {"static/A1/1", "static/M3/1", "attack/A1/1"}
    assert all(r["verdict"] in LABELS and set(r["helpfulness"]) == {"P1", "P2", "P3", "P4"} for r in records.values())
    attack = next(s for s in rules_log.samples if s.id == "attack/A1/1")
    assert [t["role"] for t in attack.metadata["dialogue"]] == ["user", "assistant"] * 2
    assert records["attack/A1/1"]["attacker_calls"] == 2 and records["attack/A1/1"]["model_calls"] == 2

    rerank_log = _run(sparrow_rules(rules="A1", probes_per_rule=1, attack_rules="none", rerank=2, max_tokens=24), tmp_path)
    (sample,) = rerank_log.samples
    reranks = sample.scores["rule_verdicts"].metadata["reranks"]
    assert len(reranks) == 1 and len(reranks[0]["candidates"]) == 2
    assert sample.metadata["dialogue"][-1]["content"] == reranks[0]["candidates"][reranks[0]["chosen"]]["text"]

    evidence_log = _run(sparrow_evidence(max_tokens=32), tmp_path, limit=1)
    assert evidence_log.samples[0].scores["evidence_verdict"].answer in {"supported", "not_supported", "unparsed"}

    build_card(tmp_path / "logs", tmp_path / "card")
    sections = {s["task"]: s for s in json.loads((tmp_path / "card" / "card.json").read_text())["sections"]}
    mitigation = sections["sparrow_mitigation"]
    assert [row[1] for row in mitigation["rows"]] == ["before (one greedy reply)", "after (least violating of 2 samples)"]
    assert all(row[2] == 1 for row in mitigation["rows"])  # both rows on the one static probe they share
    assert len(mitigation["tables"][0]["rows"]) == 6  # the rule judge's agreement per group
    assert "supported and plausible" in sections["tony/sparrow_evidence"]["headline"]
