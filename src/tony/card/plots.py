"""Plots for the system card as inline SVG strings (matplotlib, no external files)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams["svg.fonttype"] = "none"
plt.rcParams["svg.hashsalt"] = "tony"  # stable ids, so identical numbers give identical SVG


def figure_to_svg(figure: plt.Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]  # drop the XML prolog so it can sit inside HTML


def bar_chart_with_intervals(
    labels: Sequence[str],
    values: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    ylabel: str,
    references: Sequence[tuple[str, float]] = (),
    title: str = "",
) -> str:
    """Bars with 95% CI whiskers; undefined values are drawn as an 'n/a' label; dashed reference lines."""
    figure, axes = plt.subplots(figsize=(7.5, 3.4))
    positions = range(len(labels))
    for x, value, low, high in zip(positions, values, lows, highs):
        if value is None:
            axes.text(x, 0.02, "n/a", ha="center", va="bottom", fontsize=9, color="#666")
            continue
        axes.bar(x, value, color="#4C72B0", width=0.6)
        if low is not None and high is not None:
            # a percentile interval need not contain the point value exactly; never draw a negative whisker
            axes.errorbar(x, value, yerr=[[max(0.0, value - low)], [max(0.0, high - value)]], color="black", capsize=4, linewidth=1)
    for (name, level), colour in zip(references, ["#C44E52", "#55A868", "#8172B2", "#CCB974"]):
        axes.axhline(level, linestyle="--", color=colour, linewidth=1, label=name)
    axes.set_xticks(list(positions), labels, rotation=20, ha="right", fontsize=9)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel(ylabel)
    if title:
        axes.set_title(title, fontsize=10)
    if references:
        axes.legend(fontsize=8, loc="upper right", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure_to_svg(figure)
