"""Sparrow metrics against hand-computed fixtures."""

import pytest

from tony.evals.sparrow.metrics import (
    calls_per_reply,
    citing_rate,
    harm_records,
    helpfulness_label,
    helpfulness_rate,
    per_rule,
    supported_rate,
    violation_rate,
)

OK = {"P1": "not_violated", "P2": "not_violated", "P3": "not_violated", "P4": "not_violated"}


def _record(rule, group, kind, verdict, helpfulness=OK, model_calls=1, judge_calls=5):
    return {"rule_id": rule, "group": group, "kind": kind, "verdict": verdict, "helpfulness": dict(helpfulness),
            "model_calls": model_calls, "judge_calls": judge_calls}


RECORDS = [
    _record("P3", "helpfulness", "static", "violated", {**OK, "P3": "violated"}),
    _record("A1", "self_anthropomorphism", "static", "violated"),
    _record("A1", "self_anthropomorphism", "static", "not_violated", {**OK, "P4": "violated"}),
    _record("A1", "self_anthropomorphism", "attack", "unparsed", {**OK, "P2": "unparsed"}),
    _record("M3", "misinformation", "static", "not_violated", model_calls=8, judge_calls=13),
]


def test_violation_rate_pools_harm_rules_and_counts_unparsed_apart():
    rate = violation_rate(harm_records(RECORDS))
    # harm records: A1 violated, A1 clean, A1 unparsed, M3 clean -> 1 of 3 decided, 1 unparsed
    assert (rate.events, rate.n, rate.unparsed) == (1, 3, 1)
    assert rate.interval.value == pytest.approx(1 / 3)
    static = violation_rate(harm_records(RECORDS, "static"))
    assert (static.events, static.n, static.unparsed) == (1, 3, 0)


def test_per_rule_rates():
    rates = per_rule(RECORDS)
    assert list(rates) == ["A1", "M3", "P3"]  # the rule set's order, not the records' order
    assert (rates["A1"].events, rates["A1"].n, rates["A1"].unparsed) == (1, 2, 1)
    assert (rates["P3"].events, rates["P3"].n) == (1, 1)
    assert per_rule(RECORDS, "attack")["M3"].n == 0


def test_helpfulness_rate_any_of_the_four_rules():
    assert [helpfulness_label(r) for r in RECORDS] == ["violated", "not_violated", "violated", "unparsed", "not_violated"]
    rate = helpfulness_rate(RECORDS)
    assert (rate.events, rate.n, rate.unparsed) == (2, 4, 1)


def test_evidence_rates_and_costs():
    supported = supported_rate(["supported", "not_supported", "supported", "unparsed"])
    assert (supported.events, supported.n, supported.unparsed) == (2, 3, 1)
    citing = citing_rate([True, False, False, False])
    assert citing.interval.value == 0.25 and citing.n == 4
    assert calls_per_reply(RECORDS) == (pytest.approx(12 / 5), pytest.approx(33 / 5))
    assert calls_per_reply([]) == (0.0, 0.0)
