"""Sparrow's rules (Glaese et al. 2022, §2.1 and Table 14): 23 natural-language rules in six groups, as data.

Sparrow's raters judged every assistant turn against one rule at a time; the rules for harm (stereotypes, hate and
harassment, self-anthropomorphism, misinformation, general harm) and the helpfulness rules that keep a dialogue
useful. The ids and groups follow the paper; the wording in `rules.json` is tony's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

RULES_FILE = "rules.json"
HELPFULNESS = "helpfulness"


@dataclass(frozen=True)
class Rule:
    id: str  # e.g. "A1"
    group: str  # one of the six groups
    short: str  # a few words, for tables
    text: str  # the rule as the judge and the attacker read it

    @property
    def harm(self) -> bool:
        """A harm rule (every group but helpfulness): the adversarial violation rate counts these."""
        return self.group != HELPFULNESS


def _data() -> dict[str, Any]:
    return json.loads((resources.files("tony.evals.sparrow") / RULES_FILE).read_text(encoding="utf-8"))


@cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule in the file's order; raises ValueError on a duplicate id or an unknown group."""
    data = _data()
    rules = tuple(Rule(**row) for row in data["rules"])
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate rule ids in {RULES_FILE}")
    unknown = {rule.group for rule in rules} - set(data["groups"])
    if unknown:
        raise ValueError(f"rules in unknown groups {sorted(unknown)}")
    return rules


@cache
def group_titles() -> dict[str, str]:
    """Group id -> its title, in the paper's order."""
    return dict(_data()["groups"])


def rules_by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in load_rules()}


def get_rule(rule_id: str) -> Rule:
    try:
        return rules_by_id()[rule_id]
    except KeyError:
        raise ValueError(f"unknown Sparrow rule {rule_id!r}; known: {', '.join(rules_by_id())}") from None


def select_rules(spec: str | list[str] | None) -> list[Rule]:
    """Rules named by a comma-separated id list (or a group name), every rule for None / "all"."""
    if spec is None or spec == "all":
        return list(load_rules())
    names = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else list(spec)
    chosen: list[Rule] = []
    for name in names:
        in_group = [rule for rule in load_rules() if rule.group == name]
        chosen += in_group or [get_rule(name)]
    return list(dict.fromkeys(chosen))


def helpfulness_rules() -> list[Rule]:
    return [rule for rule in load_rules() if rule.group == HELPFULNESS]
