"""The card's header: what was run, by which model and judges, when, for how long, and what each run read.

`tony.card.build` fills it from the logs and `tony.card.render` prints it; both import it from here, so neither
imports the other's module for it (ARCHITECTURE.md: no import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CardHeader:
    model: str
    judges: list[str]
    generated: str
    tony_version: str
    inspect_version: str
    wall_time_s: float | None  # the card's real wall clock: first run's start to last run's end
    tokens: dict[str, int]
    provenance: list[dict[str, Any]]  # per run: what it read (a dataset, or a judge set), with a one-line "text"
    logs: list[dict[str, Any]] = field(default_factory=list)  # file, task, status, state, samples, errored
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one line per run that failed, shown first
    run_time_s: float | None = 0.0  # the runs' wall times added up (more than wall_time_s where runs overlapped)
    runs: list[dict[str, Any]] = field(default_factory=list)  # per run: RunTiming (wall time, calls, tokens, judge time)
