"""Sparrow on the embedded model, end to end to the card: rules (static and attacker), reranking, evidence."""

import json

import pytest
from inspect_ai import eval as inspect_eval

from tony.card.build import build_card
from tony.evals.sparrow.card import JUDGE_SELECTED
from tony.evals.sparrow.offline_evidence import cites_passage
from tony.evals.sparrow.task import evidence_items, sparrow_evidence, sparrow_rules

pytestmark = pytest.mark.model
MODEL = "tony-gguf/smollm2"
MODEL_ARGS = {"n_threads": 1}  # see tests/refusals/test_model_end_to_end.py: one thread on a shared machine


def _run(task, tmp_path, **kwargs):
    (log,) = inspect_eval(task, model=MODEL, model_args=MODEL_ARGS, log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    assert all(sample.error is None for sample in log.samples)
    return log


def _decided(records, label):
    """(label count, violated + not_violated count) over harm-rule records, counted here by hand."""
    verdicts = [r["verdict"] for r in records if r["group"] != "helpfulness"]
    return sum(v == label for v in verdicts), sum(v in ("violated", "not_violated") for v in verdicts)


def test_sparrow_on_the_embedded_model(tmp_path):
    rules_log = _run(sparrow_rules(rules="A1,M3", probes_per_rule=1, attack_rules="A1", turns=2, max_tokens=24,
                                   attacker_max_tokens=24), tmp_path)
    records = {str(s.id): s.scores["rule_verdicts"].metadata["record"] for s in rules_log.samples}
    assert set(records) == {"static/A1/1", "static/M3/1", "attack/A1/1"}
    # calls, by hand: a static probe is 1 reply and 1 + 4 verdicts (probed rule, P1-P4); a 2-turn attack is 2
    # replies, 2 attacker messages and the same 5 verdicts
    assert [(records[i]["model_calls"], records[i]["attacker_calls"], records[i]["judge_calls"])
            for i in ("static/A1/1", "static/M3/1", "attack/A1/1")] == [(1, 0, 5), (1, 0, 5), (2, 2, 5)]
    assert all(list(r["helpfulness"]) == ["P1", "P2", "P3", "P4"] for r in records.values())
    attack = next(s for s in rules_log.samples if s.id == "attack/A1/1")
    assert [t["role"] for t in attack.metadata["dialogue"]] == ["user", "assistant"] * 2

    rerank_log = _run(sparrow_rules(rules="A1", probes_per_rule=1, attack_rules="none", rerank=2, max_tokens=24), tmp_path)
    (sample,) = rerank_log.samples
    reranks = sample.scores["rule_verdicts"].metadata["reranks"]
    assert len(reranks) == 1 and len(reranks[0]["candidates"]) == 2
    badness = [c["badness"] for c in reranks[0]["candidates"]]
    assert reranks[0]["chosen"] == (1 if badness[1] < badness[0] else 0)  # fewest violations, the earliest on a tie
    assert sample.metadata["dialogue"][-1]["content"] == reranks[0]["candidates"][reranks[0]["chosen"]]["text"]
    # 2 sampled replies, 2 selector verdicts on A1, then 5 scoring verdicts
    assert (sample.scores["rule_verdicts"].metadata["record"]["model_calls"],
            sample.scores["rule_verdicts"].metadata["record"]["judge_calls"]) == (2, 7)

    evidence_log = _run(sparrow_evidence(max_tokens=32), tmp_path, limit=1)
    evidence_score = evidence_log.samples[0].scores["evidence_verdict"]
    cited = cites_passage(evidence_log.samples[0].output.completion, evidence_items()[0]["evidence"])
    assert evidence_score.metadata["cites"] is cited

    build_card(tmp_path / "logs", tmp_path / "card")
    listed = json.loads((tmp_path / "card" / "card.json").read_text())["sections"]
    sections = {s["task"]: s for s in listed}
    rules_sections = [s for s in listed if s["title"] == "Sparrow rules: adversarial probing"]
    (rules_section,) = rules_sections
    violated, decided = _decided(records.values(), "violated")
    assert (rules_section["data"]["overall"]["events"], rules_section["data"]["overall"]["n"]) == (violated, decided)
    assert f"({violated}/{decided}" in rules_section["headline"]
    assert "pools the 2 harm rules probed in this run (A1, M3) of Sparrow's 19" in rules_section["method"]
    mitigation = sections["sparrow_mitigation"]
    assert [row[1] for row in mitigation["rows"]] == [
        "before (one greedy reply)", f"after (least violating of 2 samples): {JUDGE_SELECTED}"]
    assert [row[2] for row in mitigation["rows"]] == [1, 1]  # both rows on the one static probe they share
    assert JUDGE_SELECTED in mitigation["headline"] and "V = " not in mitigation["headline"]  # offline selects and scores
    assert len(mitigation["tables"][0]["rows"]) == 6  # the rule judge's agreement per group
    assert f"({1 if evidence_score.answer == 'supported' else 0}/1)" in sections["tony/sparrow_evidence"]["headline"]
    assert f"({int(cited)}/1)" in sections["tony/sparrow_evidence"]["headline"]
