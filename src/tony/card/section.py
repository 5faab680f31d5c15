"""What one evaluation contributes to a system card (built only from its Inspect log)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


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
