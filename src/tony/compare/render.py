"""A comparison as Markdown (printed), JSON and an HTML comparison card. Jinja autoescaping escapes every piece of
text (folder names, model names and metric names come from files); only the matplotlib SVG is inserted as markup."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any

from jinja2 import Environment, select_autoescape

from tony import __version__
from tony.card.render import STYLE, scoped_svg
from tony.compare.compare import NO_SPREAD, TOO_FEW, Comparison, MetricComparison, left_out_text
from tony.compare.stats import MIN_BOOTSTRAP_UNITS
from tony.core.stats.intervals import BOOTSTRAP_RESAMPLES, Interval

COLUMNS = ["metric", "A [95% CI]", "B [95% CI]", "B − A [95% CI]", "pairing", "test", "n (A / B / paired)",
           "no verdict (A / B)", "p", "p (Holm)", "significant"]


def format_value(interval: Interval) -> str:
    if interval.value is None:
        return "not defined"
    if interval.low is None or interval.high is None:
        return f"{interval.value:.3f} (no interval)"
    return f"{interval.value:.3f} [{interval.low:.3f}, {interval.high:.3f}]"


def format_difference(interval: Interval) -> str:
    if interval.value is None:
        return "not defined"
    if interval.low is None or interval.high is None:
        return f"{interval.value:+.3f} (no interval)"
    return f"{interval.value:+.3f} [{interval.low:+.3f}, {interval.high:+.3f}]"


def format_p(p: float | None) -> str:
    return "—" if p is None else ("<0.0001" if p < 1e-4 else f"{p:.4f}")


def test_name(row: MetricComparison) -> str:
    if row.untested:
        return "none"
    for marker, name in (("not tested", "none (MOVER)"), ("McNemar", "McNemar exact"), ("Fisher", "Fisher exact"),
                         ("bootstrap", "bootstrap")):
        if marker in row.method:
            return name
    return row.method


def significance_cell(row: MetricComparison) -> str:
    if row.untested:
        return f"not tested ({row.untested})"
    if row.significant is None:
        return "not tested" if row.source == "card headline" else "—"
    return "YES" if row.significant else "no"


def cells(row: MetricComparison) -> list[str]:
    n = f"{row.n_a} / {row.n_b} / {row.n_paired if row.n_paired is not None else '—'}"
    no_verdict = f"{left_out_text(row.left_out_a)} / {left_out_text(row.left_out_b)}"
    return [row.name, format_value(row.a), format_value(row.b), format_difference(row.difference),
            "paired" if row.paired else "unpaired", test_name(row), n, no_verdict, format_p(row.p),
            format_p(row.p_holm), significance_cell(row)]


def significance_line(comparison: Comparison) -> str:
    significant = [row.name for row in comparison.rows if row.significant]
    return (f"Significance: {comparison.correction} correction over all {comparison.tests} per-sample metrics tested "
            f"(family-wise α = {comparison.alpha:g}): {len(significant)} significant difference(s)"
            + (f": {', '.join(significant)}" if significant else "")
            + f"; {comparison.untested(TOO_FEW)} not tested (n too small: a bootstrap needs at least "
              f"{MIN_BOOTSTRAP_UNITS} items); {comparison.untested(NO_SPREAD)} not tested (no spread); "
              f"{len(comparison.not_comparable)} run(s) not comparable: settings differ.")


def not_comparable_lines(comparison: Comparison) -> list[str]:
    """One line per run left out because A and B did not measure the same thing, naming the differing settings."""
    return [f"{entry.run}: {'; '.join(entry.differences)}" for entry in comparison.not_comparable]


def intro(comparison: Comparison) -> list[str]:
    return [f"A: {comparison.a.folder} ({comparison.a.model})", f"B: {comparison.b.folder} ({comparison.b.model})",
            "Differences are B − A. Paired where the same items were scored in both runs (matched by run and sample "
            "id, inputs checked): paired binary scores by McNemar's exact test and Newcombe's hybrid score interval "
            "(method 10), other scores by a paired bootstrap over items. Otherwise unpaired, and labelled so: Newcombe "
            "(method 10) and Fisher's exact test, or a bootstrap of each run's items. A card's headline metrics get "
            "an unpaired interval from the cards' own intervals (MOVER) and no test: they are aggregates, and their "
            "items are tested in the per-sample rows.",
            "Only the same measurement is compared: a run whose task, task arguments, scorers, grader or items' "
            "scoring settings differ between A and B is listed as not comparable. An unparsed or uncertain verdict "
            "is left out of a rate's denominator (as on the cards) and counted per side. The exact tests are exact at "
            f"any n; a bootstrap is run only from {MIN_BOOTSTRAP_UNITS} items (B = {BOOTSTRAP_RESAMPLES} resamples, "
            f"p-value resolution 1/{BOOTSTRAP_RESAMPLES + 1}), and a bootstrap whose resamples have no spread gives "
            "no interval.", significance_line(comparison)]


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(comparison: Comparison) -> str:
    lines = ["# Comparison of two runs", "", *[f"- {line}" for line in intro(comparison)], "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_markdown_cell(cell) for cell in cells(row)) + " |" for row in comparison.rows]
    if comparison.not_comparable:
        lines += ["", "Not comparable: settings differ (not compared):",
                  *[f"- {_markdown_cell(line)}" for line in not_comparable_lines(comparison)]]
    notes = [f"{row.name}: {row.note}" for row in comparison.rows if row.note] + comparison.notes
    if notes:
        lines += ["", "Notes:", *[f"- {_markdown_cell(note)}" for note in notes]]
    return "\n".join(lines) + "\n"


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "a": {"folder": str(comparison.a.folder), "model": comparison.a.model},
        "b": {"folder": str(comparison.b.folder), "model": comparison.b.model},
        "difference": "B - A", "correction": comparison.correction, "alpha": comparison.alpha,
        "tests": comparison.tests, "not_tested": {TOO_FEW: comparison.untested(TOO_FEW),
                                                  NO_SPREAD: comparison.untested(NO_SPREAD)},
        "metrics": [asdict(row) for row in comparison.rows],
        "not_comparable": [asdict(entry) for entry in comparison.not_comparable], "notes": comparison.notes,
    }


HTML_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Comparison: {{ a.model }} vs {{ b.model }}</title>
<style>{{ style }} td.yes{color:#b00020;font-weight:600} .plots{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1rem} svg{max-width:100%;height:auto}</style></head><body>
<h1>Comparison: {{ a.model }} (A) vs {{ b.model }} (B)</h1>
<p class="note">Generated by tony {{ version }} on {{ generated }} from Inspect logs only.</p>
<ul>{% for line in intro %}<li>{{ line }}</li>{% endfor %}</ul>
{% for failure in gate_failures %}<p class="warn">{{ failure }}</p>{% endfor %}
<h2>Differences</h2>
<div>{{ differences_svg|scoped_svg("differences")|safe }}</div>
<table class="summary"><tr>{% for c in columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for row in rows %}<tr>{% for cell in row.cells %}<td{% if loop.last and cell == "YES" %} class="yes"{% endif %} title="{{ row.method }}">{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</table>
{% if not_comparable %}<h2>Not comparable: settings differ</h2><ul>{% for line in not_comparable %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
<h2>A and B side by side</h2>
<div class="plots">{% for run, svg in plots %}<div>{{ svg|scoped_svg("run-" ~ loop.index)|safe }}</div>{% endfor %}</div>
{% if notes %}<h2>Notes</h2><ul>{% for note in notes %}<li class="note">{{ note }}</li>{% endfor %}</ul>{% endif %}
</body></html>
"""

_environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_environment.filters["scoped_svg"] = scoped_svg


def render_html(comparison: Comparison, gate_failures: list[str]) -> str:
    from tony.compare.plots import differences, side_by_side

    runs = list(dict.fromkeys(row.run for row in comparison.rows))
    plots = [(run, side_by_side([row for row in comparison.rows if row.run == run], run)) for run in runs]
    notes = [f"{row.name}: {row.note}" for row in comparison.rows if row.note] + comparison.notes
    return _environment.from_string(HTML_TEMPLATE).render(
        a=comparison.a, b=comparison.b, version=__version__, intro=intro(comparison), style=STYLE,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), gate_failures=gate_failures,
        differences_svg=differences(comparison.rows), columns=COLUMNS, plots=plots, notes=notes,
        not_comparable=not_comparable_lines(comparison),
        rows=[{"cells": cells(row), "method": row.method} for row in comparison.rows],
    )
