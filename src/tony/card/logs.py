"""Which Inspect logs make a card: one standing log per run; partial, superseded and unreadable logs set aside.

A run is identified by `run_key`: its name, the model, its task arguments and its sample limit. For each run the
newest complete log (status `success`) stands; without one, the newest failed log (status `error`: every sample
was tried and some failed) stands, and the card shows the failure. A cancelled log or one that never finished
(`started`, e.g. a killed process) is partial: it never stands for a run, and the card lists it as partial.
A file that is not a readable Inspect log is named in a warning and skipped. A card is one model's card: logs of
two models in one folder are refused.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_ai.log import EvalLog, list_eval_logs, read_eval_log

from tony.card.section import task_name

COMPLETE, FAILED, PARTIAL = "complete", "failed", "partial"


class CardError(Exception):
    """The card cannot be built; the message is one line for the user."""


@dataclass(frozen=True)
class LogEntry:
    """One log file as the card lists it."""

    file: str
    task: str
    status: str  # Inspect's status: success, error, cancelled, started
    state: str  # complete, failed or partial
    samples: int  # samples in the log
    errored: int  # of which errored


@dataclass
class LogSelection:
    """The logs of a folder sorted for the card."""

    standing: list[tuple[Path, EvalLog]]  # one per run, fully read, in run-key order
    partial: list[LogEntry] = field(default_factory=list)  # cancelled or unfinished, never standing
    unreadable: list[str] = field(default_factory=list)  # "file: reason"
    folder: Path | None = None  # where the partial logs are


def run_state(log: EvalLog) -> str:
    """complete (success), failed (error: finished with failures) or partial (cancelled, or never finished)."""
    if log.status == "success" and not log.invalidated:
        return COMPLETE
    return FAILED if log.status == "error" else PARTIAL


def run_key(log: EvalLog) -> tuple[str, str, str, str]:
    """What makes two logs tries of the same run: its name, the model, its task arguments and its sample limit."""
    arguments = json.dumps(log.eval.task_args or {}, sort_keys=True, default=str)
    return task_name(log), log.eval.model, arguments, json.dumps(log.eval.config.limit)


def errored_samples(log: EvalLog) -> int:
    return sum(1 for sample in log.samples or [] if sample.error)


def entry(path: Path, log: EvalLog) -> LogEntry:
    return LogEntry(path.name, task_name(log), log.status, run_state(log), len(log.samples or []), errored_samples(log))


def read_log(path: Path, header_only: bool = False) -> EvalLog:
    """An Inspect log, or CardError naming the file when it cannot be read (e.g. a zip cut short by a kill)."""
    try:
        return read_eval_log(str(path), header_only=header_only)
    except Exception as error:  # any unreadable file is reported by name; the card is built from the rest
        reason = " ".join(str(error).split()) or type(error).__name__
        raise CardError(f"{path}: not a readable Inspect log ({reason})") from error


def _skip(problem: CardError, unreadable: list[str]) -> None:
    print(f"tony: warning: skipped {problem}", file=sys.stderr)
    unreadable.append(str(problem))


def _headers(log_dir: Path, unreadable: list[str]) -> list[tuple[Path, EvalLog]]:
    headers = []
    for info in list_eval_logs(str(log_dir), recursive=False):
        path = Path(info.name.removeprefix("file://"))
        try:
            headers.append((path, read_log(path, header_only=True)))
        except CardError as error:
            _skip(error, unreadable)
    return headers


def _standing(headers: list[tuple[Path, EvalLog]]) -> list[Path]:
    """The log that stands for each run: its newest complete log, else its newest failed one, never a partial one."""
    rank = {COMPLETE: 2, FAILED: 1, PARTIAL: 0}
    best: dict[tuple[str, str, str, str], tuple[Path, EvalLog]] = {}
    for path, log in headers:
        key = run_key(log)
        known = best.get(key)
        if known is None or (rank[run_state(log)], log.eval.created) > (rank[run_state(known[1])], known[1].eval.created):
            best[key] = (path, log)
    return [best[key][0] for key in sorted(best) if run_state(best[key][1]) != PARTIAL]


def select_logs(log_dir: Path) -> LogSelection:
    """The standing log of each run in a folder, the partial ones, and the unreadable ones (each warned about)."""
    if not log_dir.is_dir():
        raise CardError(f"log folder {log_dir} does not exist")
    unreadable: list[str] = []
    headers = _headers(log_dir, unreadable)
    if not headers:
        raise CardError(f"no readable Inspect eval logs in {log_dir}")
    standing = _standing(headers)
    if not standing:
        raise CardError(f"every log in {log_dir} belongs to a run that has not finished; run `tony card` again to finish it")
    models = sorted({log.eval.model for path, log in headers if path in standing})
    if len(models) > 1:
        raise CardError(f"{log_dir} holds logs of {len(models)} models ({', '.join(models)}); a card is one model's "
                        "card: keep each model's logs in its own folder")
    partial = [_partial_entry(path, log, unreadable) for path, log in headers if run_state(log) == PARTIAL]
    return LogSelection(_read_fully(standing, unreadable), partial, unreadable, log_dir)


def _partial_entry(path: Path, header: EvalLog, unreadable: list[str]) -> LogEntry:
    try:
        return entry(path, read_log(path))
    except CardError as error:  # a log cut short mid-write may hold a header but no readable samples
        _skip(error, unreadable)
        return entry(path, header)


def _read_fully(paths: list[Path], unreadable: list[str]) -> list[tuple[Path, EvalLog]]:
    logs = []
    for path in paths:
        try:
            logs.append((path, read_log(path)))
        except CardError as error:
            _skip(error, unreadable)
    if not logs:
        raise CardError("no log of a finished run could be read")
    return logs


def latest_logs(log_dir: Path) -> list[tuple[Path, EvalLog]]:
    """The standing log of each run in a folder (see `select_logs`)."""
    return select_logs(log_dir).standing


def logs_of_files(files: list[Path]) -> LogSelection:
    """Exactly these logs (those an eval set just returned), fully read."""
    unreadable: list[str] = []
    return LogSelection(_read_fully(files, unreadable), [], unreadable)


@dataclass(frozen=True)
class RunTiming:
    """Where one run's time went, from its log: for the card's per-run table and card.json."""

    task: str
    file: str
    started: str  # ISO time, "" where the log has none
    completed: str
    wall_time_s: float | None  # completed − started
    model_calls: int  # model events in the samples (the model under test and any grader), cache hits included
    cached_calls: int  # of which answered from Inspect's cache
    tokens: int  # total tokens over every model the run used
    judge_time_s: float | None  # time inside the scorers (offline judges, grader calls), summed over samples; None: not logged

    def cells(self) -> list[str]:
        return [self.task, _seconds_text(self.wall_time_s), f"{self.model_calls} ({self.cached_calls} cached)",
                str(self.tokens), _seconds_text(self.judge_time_s)]


RUN_TABLE_COLUMNS = ["run", "wall time", "model calls", "tokens", "judge time (in scorers, summed over samples)"]


def _seconds_text(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.1f} s"


def _span_seconds(events: list[Any], span_type: str) -> float | None:
    """Seconds between the begin and end events of every span of a type (e.g. "scorers"), None where there is none."""
    begins = {event.id: event.timestamp for event in events
              if getattr(event, "event", "") == "span_begin" and getattr(event, "type", None) == span_type}
    ends = [(begins[event.id], event.timestamp) for event in events
            if getattr(event, "event", "") == "span_end" and event.id in begins]
    return sum((end - begin).total_seconds() for begin, end in ends) if ends else None


def run_timing(path: Path, log: EvalLog) -> RunTiming:
    started, completed = log.stats.started_at or "", log.stats.completed_at or ""
    wall = (datetime.fromisoformat(completed) - datetime.fromisoformat(started)).total_seconds() if started and completed else None
    model_events = [event for sample in log.samples or [] for event in sample.events
                    if getattr(event, "event", "") == "model"]
    judged = [seconds for sample in log.samples or [] if (seconds := _span_seconds(sample.events, "scorers")) is not None]
    return RunTiming(
        task=task_name(log), file=path.name, started=started, completed=completed, wall_time_s=wall,
        model_calls=len(model_events), cached_calls=sum(1 for event in model_events if event.cache == "read"),
        tokens=sum(usage.total_tokens for usage in log.stats.model_usage.values()),
        judge_time_s=sum(judged) if judged else None,
    )


def card_wall_clock(timings: list[RunTiming]) -> float | None:
    """The card's real wall clock: from the first run's start to the last run's end (runs that overlapped count once)."""
    starts = [datetime.fromisoformat(t.started) for t in timings if t.started and t.completed]
    ends = [datetime.fromisoformat(t.completed) for t in timings if t.started and t.completed]
    return (max(ends) - min(starts)).total_seconds() if starts else None
