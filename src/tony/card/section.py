"""What one evaluation contributes to a system card (built only from its Inspect log)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tony.core.plugin import registered_task, task_name  # noqa: F401  (a log's run and task names; kept here for sections)

if TYPE_CHECKING:
    from tony.core.stats.intervals import Interval


def transcript_slug(*parts: object) -> str:
    """A transcript page's file name from its parts (anything but letters, digits, `_`, `.` and `-` becomes `-`)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", "-".join(str(part) for part in parts))


@dataclass
class Transcript:
    """An example worth reading: titled panes of untrusted model text, shown side by side."""

    slug: str
    title: str
    panes: list[tuple[str, str]]  # (heading, text); text is escaped when rendered
    note: str = ""


@dataclass
class Table:
    """A further table (and its plot) in a section, after the main one."""

    caption: str
    columns: list[str]
    rows: list[list[Any]]
    plot_svg: str = ""  # inline SVG from numbers, like Section.plot_svg


@dataclass
class HeadlineMetric:
    """One headline number of a section, as a row of the card's summary table."""

    name: str  # what is measured, e.g. "F_norm, average over hint types"
    value: float | None
    low: float | None = None  # 95% interval; None where there is none
    high: float | None = None
    n: int | None = None  # what the value averages over (replies, prompts, seeds, ...)
    unit: str = ""  # what n counts, e.g. "questions"
    unparsed: int | None = None  # judge answers or replies left out as unparsed or uncertain
    reference: str = ""  # the paper's value, where one is comparable
    corrected: str = ""  # a judged rate corrected for its judge's measured errors, or why it is not
    judge: str = ""  # the offline judge (registered JudgeSpec name) behind the rate; the scorecard gates on it

    def __post_init__(self) -> None:
        if not self.judge:  # format_corrected's text names its offline judge (tony.core.judges.judge_sources.JudgedText)
            self.judge = getattr(self.corrected, "judge", "")

    @classmethod
    def of(cls, name: str, interval: Interval, n: int | None = None, unit: str = "", unparsed: int | None = None,
           reference: str = "", corrected: str = "") -> HeadlineMetric:
        return cls(name, interval.value, interval.low, interval.high, n, unit, unparsed, reference, corrected)


@dataclass
class Section:
    task: str
    title: str
    headline: str  # one sentence with the headline metric and its CI
    method: str  # the method in about three sentences
    judge: str
    columns: list[str]
    rows: list[list[Any]]
    plot_svg: str = ""  # inline SVG produced by matplotlib from numbers, not model text
    reference: str = ""
    notes: list[str] = field(default_factory=list)
    transcripts: list[Transcript] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # machine-readable numbers for card.json
    tables: list[Table] = field(default_factory=list)  # shown after the main table, in order
    headline_metrics: list[HeadlineMetric] = field(default_factory=list)  # rows of the card's summary table
    # Filled by the card, not by the evaluation's builder:
    registered: str = ""  # the registered task whose log(s) it was built from ("" for a family summary)
    anchor: str = ""  # the section's HTML id, unique in the card
    log_files: list[str] = field(default_factory=list)  # the log(s) it was built from (file names)
    limited: str = ""  # how its run was cut short (e.g. "--limit 1"), "" for a complete run
    samples: int = 0  # samples in its log(s)
    errored: int = 0  # of which errored: in no number, and shown in the summary
