"""The card's "How far to trust these numbers" table: each offline judge behind a headline rate, its independent
validation sources (per source: n, accuracy, κ, Se, Sp), and what the card does with its rates — corrects them,
bands a scorecard area from the raw rate, or only warns. Names no evaluation: the judges are the ones the
sections' headline metrics name (`HeadlineMetric.judge`)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from tony.card.section import Section
from tony.core.stats.judge_correction import MIN_YOUDEN_TO_TRUST, correction_holds
from tony.core.judges.grader_card import CardGrader, bound_grader, not_validated_reason
from tony.core.judges.judge_sources import JudgeSources, sources_of
from tony.core.judges.validation import JudgeValidation, registered_judges

TITLE = "How far to trust these numbers"
INTRO = ("Each offline judge behind a headline rate, measured against human labels on independent sources written "
         "blind to it (counts per source, never tuned on). A judge corrects its rates only where the Rogan–Gladen "
         "correction held leave-one-source-out; otherwise the raw judged rate is printed with an interval that "
         f"covers the correction. A judge with pooled Youden J = Se + Sp − 1 below {MIN_YOUDEN_TO_TRUST} only warns: "
         "no scorecard area is banded from it. With --judge M, the rows 'via LLM judge M' give M's own agreement on "
         "the same sources, measured in this card's run: M reads those rates, not the offline judge.")
COLUMNS = ["judge", "version", "source", "n", "accuracy", "κ", "Se", "Sp", "use"]


def judges_in_use(sections: list[Section]) -> list[str]:
    """The offline judges named by the sections' headline metrics, in card order, once each."""
    seen: list[str] = []
    for section in sections:
        for metric in section.headline_metrics:
            if metric.judge and metric.judge not in seen:
                seen.append(metric.judge)
    return seen


def judge_use(sources: JudgeSources) -> str:
    """corrects / bands / only warns, with the pooled J."""
    youden = sources.youden()
    if youden is None:
        return "only warns (no validation source with both classes); bands no area"
    if sources.weak():
        return f"only warns (pooled J {youden:.2f} < {MIN_YOUDEN_TO_TRUST}); bands no area"
    if correction_holds([r.counts() for r in sources.records]):
        return f"corrects (pooled J {youden:.2f}; correction held leave-one-source-out)"
    return f"bands from the raw rate (pooled J {youden:.2f}; too few sources or correction not shown to help)"


@dataclass(frozen=True)
class TrustRow:
    judge: str
    version: str
    source: str
    n: int | None
    accuracy: float | None
    kappa: float | None
    se: float | None
    sp: float | None
    use: str


def _row(judge: str, record: JudgeValidation, use: str, version: str | None = None) -> TrustRow:
    return TrustRow(judge, version or record.version, f"{record.kind}: {record.test_file}", record.n, record.accuracy,
                    record.kappa, record.sensitivity, record.specificity, use)


def has_llm_form(judge: str) -> bool:
    """Whether the card's grader (`--judge M`) reads this judge's rates in place of the offline judge."""
    spec = registered_judges().get(judge)
    return spec is not None and spec.llm_predict is not None


def grader_rows(judge: str, bound: CardGrader) -> list[TrustRow]:
    """The bound grader M's measurement for a judge whose rates M reads, per source (or why there is none)."""
    name = f"{judge} via LLM judge {bound.grader}"
    why = not_validated_reason(judge)
    if why is not None or bound.measurement is None:
        return [TrustRow(name, "—", "no measurement", None, None, None, None, None, why or "not validated")]
    records = bound.measurement.records(judge) or []
    use = judge_use(JudgeSources(name, "—", records))
    return [_row(name, record, use, version="—") for record in records]


def trust_rows(sections: list[Section]) -> list[TrustRow]:
    """One row per (judge in use, source), the judge's use on each; older versions' records as history; a judge
    without sources gets one row saying so. With a bound grader that reads a judge's rates, the offline rows say
    they are not used here and the grader's own rows follow."""
    rows = []
    grader = bound_grader()
    for judge in judges_in_use(sections):
        sources = sources_of(judge)
        graded = grader_rows(judge, grader) if grader is not None and has_llm_form(judge) else []
        use = f"not used in this card: LLM judge {grader.grader} reads these rates" if graded and grader else (
            judge_use(sources))
        rows += [_row(judge, record, use) for record in sources.records] or [
            TrustRow(judge, sources.version, "no recorded source", None, None, None, None, None, use)]
        rows += [_row(judge, record, f"history (version {record.version}; not used for version {sources.version})")
                 for record in sources.history]
        rows += [TrustRow(judge, sources.version, note, None, None, None, None, None, "not a source")
                 for note in sources.notes]
        rows += graded
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _cells(row: TrustRow) -> list[str]:
    return [_cell(v) for v in (row.judge, row.version, row.source, row.n, row.accuracy, row.kappa, row.se, row.sp,
                               row.use)]


def trust_html(sections: list[Section]) -> Markup:
    """The table as HTML, every cell escaped; empty when no headline names an offline judge."""
    rows = trust_rows(sections)
    if not rows:
        return Markup("")
    head = "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in _cells(row)) + "</tr>" for row in rows)
    return Markup(f'<h2 id="card-trust">{escape(TITLE)}</h2>\n<p class="note">{escape(INTRO)}</p>\n'
                  f'<table class="trust">\n<tr>{head}</tr>\n{body}</table>\n')


def trust_markdown(sections: list[Section]) -> list[str]:
    rows = trust_rows(sections)
    if not rows:
        return []
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")
    return ['<a id="card-trust"></a>', "", f"## {TITLE}", "", INTRO, "",
            "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS),
            *["| " + " | ".join(cell(c) for c in _cells(row)) + " |" for row in rows], ""]


def trust_json(sections: list[Section]) -> list[dict[str, Any]]:
    return [row.__dict__.copy() for row in trust_rows(sections)]
