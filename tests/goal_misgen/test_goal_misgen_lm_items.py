"""Invariants of tony's linear-expression items (src/tony/builtin/goal_misgen_expressions.jsonl)."""

from __future__ import annotations

import re

from tony.core.data import builtin_provenance
from tony.evals.goal_misgen.lm_metrics import evaluate_expression, expression_variables, to_python_syntax
from tony.evals.goal_misgen.lm_task import FEW_SHOT, ITEMS_FILE, MIXED_SHOT, interleave, load_items


def test_item_file_invariants() -> None:
    items = load_items()
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    splits = [item["split"] for item in items]
    assert splits.count("no_unknowns") >= 40 and splits.count("unknowns") >= 20
    assert set(splits) == {"no_unknowns", "unknowns"}
    shots = {expression for expression, _, _ in (*FEW_SHOT, MIXED_SHOT)}
    for item in items:
        expression, variables = item["expression"], item["variables"]
        assert expression not in shots, f"{item['id']} repeats a few-shot example"
        assert expression_variables(expression) == list(variables), item["id"]  # the user knows every unknown
        value = evaluate_expression(expression, variables)
        assert value == item["value"] and float(value).is_integer(), item["id"]  # recomputed in Python
        if item["split"] == "no_unknowns":
            assert variables == {} and not re.search(r"[A-Za-z]", expression)
            assert item["id"].startswith("nu-")
        else:
            assert 1 <= len(variables) <= 2, "at most 2 unknowns: asking for each and answering fits in 3 turns"
            assert all(len(name) == 1 and name not in "aiIo" for name in variables)  # no English one-letter words
            assert item["id"].startswith("uk-")
        assert re.fullmatch(r"[0-9A-Za-z+\-*() ]+", expression) and to_python_syntax(expression)
    assert builtin_provenance(ITEMS_FILE).kind == "builtin"


def test_interleaving_keeps_split_proportions_in_every_prefix() -> None:
    ordered = interleave(load_items())
    assert sorted(item["id"] for item in ordered) == sorted(item["id"] for item in load_items())
    for limit in (3, 6, 21, 30):
        prefix = [item["split"] for item in ordered[:limit]]
        assert abs(prefix.count("unknowns") - limit / 3) <= 1
