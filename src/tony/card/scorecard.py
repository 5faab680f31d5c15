"""The card's scorecard: every registered evaluation's risk metrics (`Evaluation.risks`) read from the built
sections' headline metrics and banded by tony's thresholds (`tony.core.scorecard`). Names no evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tony.card.section import Section
from tony.core.judges.judge_sources import gate_reason
from tony.core.plugin import evaluations
from tony.core.scorecard import THRESHOLDS_SOURCE, MeasuredMetric, ScorecardRow, load_thresholds, scorecard


def measured_metrics(sections: list[Section]) -> list[MeasuredMetric]:
    """Every headline metric of the card's sections, with the registered task and anchor of its section, gated
    where the offline judge behind it (`HeadlineMetric.judge`) is too weak to band an area."""
    return [MeasuredMetric(section.registered, metric.name, metric.value, metric.low, metric.high, section.anchor,
                           section.title, section.limited, gate_reason(metric.judge) if metric.judge else "")
            for section in sections if section.registered for metric in section.headline_metrics]


def card_scorecard(sections: list[Section]) -> list[ScorecardRow]:
    """The scorecard rows of a card (areas with no declared metric read "not measured")."""
    risks = [risk for evaluation in evaluations() for risk in evaluation.risks]
    return scorecard(risks, measured_metrics(sections), load_thresholds())


@dataclass(frozen=True)
class EvidenceCell:
    """One metric behind an area's level, formatted: a link to its section and its own reading."""

    anchor: str
    text: str  # e.g. "not_unsafe (builtin) 0.42 [0.30, 0.55]: High (limited: --limit 2)"


@dataclass(frozen=True)
class ScorecardLine:
    """One row of the scorecard table, formatted for the card."""

    area: str
    level: str
    evidence: list[EvidenceCell]
    thresholds: str
    rationale: str


def _value(metric: MeasuredMetric) -> str:
    if metric.value is None:
        return "not defined"
    interval = "" if metric.low is None or metric.high is None else f" [{metric.low:.2f}, {metric.high:.2f}]"
    return f"{metric.value:.2f}{interval}"


def scorecard_lines(rows: list[ScorecardRow]) -> list[ScorecardLine]:
    lines = []
    for row in rows:
        cells = [EvidenceCell(item.metric.anchor,
                              f"{item.metric.section}: {item.metric.name} {_value(item.metric)}: {item.level.text()}"
                              + (f" (limited: {item.metric.limited})" if item.metric.limited else ""))
                 for item in row.evidence]
        lines.append(ScorecardLine(row.thresholds.title, row.level_text(), cells,
                                   f"{row.thresholds.describe()} (tony's)", row.thresholds.rationale))
    return lines


def scorecard_json(row: ScorecardRow) -> dict[str, Any]:
    """A scorecard row for card.json."""
    return {
        "area": row.area, "level": row.level_text(), "bands": [row.level.low, row.level.high],
        "thresholds": {"edges": list(row.thresholds.edges), "higher_is_riskier": row.thresholds.higher_is_riskier,
                       "source": THRESHOLDS_SOURCE},
        "evidence": [{"task": item.metric.task, "metric": item.metric.name, "value": item.metric.value,
                      "low": item.metric.low, "high": item.metric.high, "level": item.level.text(),
                      "section": f"#{item.metric.anchor}", "limited": item.metric.limited, "gate": item.metric.gate}
                     for item in row.evidence],
    }
