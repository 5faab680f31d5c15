"""Plots of a comparison as inline SVG (matplotlib, numbers only): A and B side by side per metric with their 95%
intervals, and the differences B − A with theirs."""

from __future__ import annotations

import matplotlib.pyplot as plt

from tony.card.plots import figure_to_svg
from tony.compare.compare import MetricComparison
from tony.core.stats.intervals import Interval

COLOURS = {"A": "#4C72B0", "B": "#DD8452"}


def _whisker(interval: Interval) -> tuple[float, list[list[float]]] | None:
    if interval.value is None:
        return None
    value = float(interval.value)
    if interval.low is None or interval.high is None:
        return value, [[0.0], [0.0]]
    return value, [[max(0.0, value - interval.low)], [max(0.0, interval.high - value)]]


def shortened(name: str, width: int) -> str:
    """A long name as its start and its end (where metrics of one run differ) around an ellipsis."""
    return name if len(name) <= width else f"{name[:width // 3]}…{name[-(width - width // 3 - 1):]}"


def _label(row: MetricComparison, run: str) -> str:
    return shortened(row.name.removeprefix(f"{run}/"), 48)


def side_by_side(rows: list[MetricComparison], run: str) -> str:
    """One run's metrics, one line each: A's and B's value with its 95% interval, drawn next to each other."""
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(rows) + 1.0))
    for y, row in enumerate(rows):
        for offset, label, interval in ((-0.15, "A", row.a), (0.15, "B", row.b)):
            drawn = _whisker(interval)
            if drawn is None:
                axes.text(0, y + offset, f"{label}: n/a", va="center", fontsize=7, color="#666")
                continue
            value, error = drawn
            axes.errorbar(value, y + offset, xerr=error, fmt="o", color=COLOURS[label], capsize=3, markersize=4,
                          label=label if y == 0 else None)
    axes.set_yticks(range(len(rows)), [_label(row, run) for row in rows], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("value (95% interval)")
    axes.set_title(run, fontsize=10)
    axes.legend(fontsize=8, frameon=False, loc="best")
    axes.spines[["top", "right"]].set_visible(False)
    return figure_to_svg(figure)


def differences(rows: list[MetricComparison]) -> str:
    """Every difference B − A with its 95% interval; significant ones (after Holm) in red."""
    figure, axes = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 1.0))
    for y, row in enumerate(rows):
        drawn = _whisker(row.difference)
        if drawn is None:
            axes.text(0, y, "n/a", va="center", ha="center", fontsize=7, color="#666")
            continue
        value, error = drawn
        axes.errorbar(value, y, xerr=error, fmt="s" if row.paired else "o", capsize=3, markersize=4,
                      color="#C44E52" if row.significant else "#555")
    axes.axvline(0, color="#999", linewidth=1, linestyle="--")
    axes.set_yticks(range(len(rows)), [shortened(row.name, 60) for row in rows], fontsize=7)
    axes.invert_yaxis()
    axes.set_xlabel("B − A (95% interval; squares paired, circles unpaired; red: significant after Holm)")
    axes.spines[["top", "right"]].set_visible(False)
    return figure_to_svg(figure)
