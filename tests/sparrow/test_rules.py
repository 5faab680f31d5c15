"""Sparrow's rule set, probes and evidence items load as data with the ids and groups of Glaese et al. 2022."""

import pytest

from tony.evals.sparrow.attacker import load_probes
from tony.evals.sparrow.rules import get_rule, group_titles, helpfulness_rules, load_rules, select_rules
from tony.evals.sparrow.task import evidence_items, rule_samples

EXPECTED = {"stereotypes": ["S1", "S2"], "hate_harassment": ["H1", "H2", "H3", "H4", "H5"],
            "self_anthropomorphism": ["A1", "A2", "A3", "A4"],
            "misinformation": ["M1", "M2", "M3", "M4", "M5", "M6", "M7"], "general_harm": ["G1"],
            "helpfulness": ["P1", "P2", "P3", "P4"]}


def test_the_23_rules_in_their_groups():
    rules = load_rules()
    assert len(rules) == 23
    assert list(group_titles()) == list(EXPECTED)
    for group, ids in EXPECTED.items():
        assert [rule.id for rule in rules if rule.group == group] == ids
    assert all(len(rule.text) > 40 and rule.short for rule in rules)
    assert [rule.id for rule in helpfulness_rules()] == ["P1", "P2", "P3", "P4"]
    assert sum(rule.harm for rule in rules) == 19


def test_selecting_rules_by_id_and_group():
    assert [rule.id for rule in select_rules("A1, M3")] == ["A1", "M3"]
    assert [rule.id for rule in select_rules("stereotypes,G1")] == ["S1", "S2", "G1"]
    assert len(select_rules("all")) == 23
    with pytest.raises(ValueError, match="unknown Sparrow rule"):
        get_rule("Z9")


def test_every_rule_has_three_static_probes_and_a_goal():
    probes = load_probes()
    assert set(probes) == {rule.id for rule in load_rules()}
    assert all(len(p.static) >= 3 and p.goal for p in probes.values())


def test_samples_cover_static_probes_then_attacks():
    samples = rule_samples("A1,M3", 2, "A1", 2)
    assert [s.id for s in samples] == ["static/A1/1", "static/A1/2", "static/M3/1", "static/M3/2", "attack/A1/1", "attack/A1/2"]
    assert len(rule_samples("all", None, "none", 1)) == sum(len(p.static) for p in load_probes().values())


def test_evidence_items_have_a_question_and_a_passage():
    items = evidence_items()
    assert len(items) >= 12 and len({item["id"] for item in items}) == len(items)
    assert all(item["question"].endswith("?") and len(item["evidence"]) > 60 for item in items)
