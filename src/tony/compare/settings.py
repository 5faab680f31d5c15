"""Whether two runs of one name are the same measurement: the same run-level settings (see
`tony.compare.items.run_settings`) and, for every item the two share with the same input, the same scoring settings
(`tony.compare.items.item_settings`). A run that differs is not compared; its differing settings are named."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tony.compare.items import RunScores

ABSENT = "(not set)"


@dataclass
class NotComparable:
    """A run (or a card headline's group of runs) left out of the comparison, and why."""

    run: str
    differences: list[str]  # one line per differing setting, naming A's and B's values
    metrics: list[str] = field(default_factory=list)  # the metric names it would have given (for gates)


def run_differences(a: RunScores, b: RunScores) -> list[str]:
    """Each run-level setting whose value differs, then each item setting that differs on items with the same id
    and input (with the number of such items)."""
    lines = [f"{name}: A {a.settings.get(name, ABSENT)}, B {b.settings.get(name, ABSENT)}"
             for name in sorted(set(a.settings) | set(b.settings)) if a.settings.get(name) != b.settings.get(name)]
    return lines + item_differences(a, b)


def _inputs_by_id(run: RunScores) -> dict[str, str]:
    return {sample_id: fingerprint for (sample_id, _), fingerprint in sorted(run.inputs.items())}


def item_differences(a: RunScores, b: RunScores) -> list[str]:
    """Item settings that differ between items with the same id and the same input (an item with another input is
    another item: it is compared unpaired, not called a changed setting)."""
    inputs_a, inputs_b = _inputs_by_id(a), _inputs_by_id(b)
    same = [item for item in sorted(set(inputs_a) & set(inputs_b)) if inputs_a[item] == inputs_b[item]]
    differing: Counter[str] = Counter()
    for item in same:
        first, second = a.item_settings.get(item, {}), b.item_settings.get(item, {})
        differing.update(name for name in set(first) | set(second) if first.get(name) != second.get(name))
    return [f"item {name}: differs on {count} of {len(same)} item(s) with the same id and input"
            for name, count in sorted(differing.items())]


def group_differences(run: str, runs_a: tuple[str, ...], runs_b: tuple[str, ...],
                      differing: dict[str, list[str]]) -> list[str] | None:
    """Why a card headline (of section `run`) read from these runs is not comparable: its runs differ, or one of them
    does (a run of its own name is already listed with its settings); None when it is comparable."""
    if set(runs_a) != set(runs_b):
        return [f"its headlines read runs A: {', '.join(runs_a) or 'none'}; B: {', '.join(runs_b) or 'none'}"]
    others = [f"its headlines read run {other}, which is not comparable" for other in sorted(runs_a)
              if other in differing and other != run]
    return others if others or run in differing else None
