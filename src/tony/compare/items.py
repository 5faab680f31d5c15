"""What a comparison reads from one folder (a card folder or a log folder): each run's per-sample scores, keyed by
(run, sample id, epoch), and the card's headline metrics where tony's sections can be built from the logs.

Scores are read generically from every scorer of every sample: a number (or a bool) is a metric `run/scorer`; a
string is a category, and each category seen becomes the metric `run/scorer=category` (the share of items with
it); a dict of such values gives `run/scorer/key` (or `run/scorer/key=category`). Errored samples are left out.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_ai.log import EvalLog, EvalSample

from tony.card.logs import CardError, select_logs
from tony.card.section import HeadlineMetric, task_name

ScoreValue = float | str
ItemKey = tuple[str, int]  # (sample id, epoch)


class CompareError(Exception):
    """The comparison cannot be made; the message is one line for the user."""


@dataclass
class RunScores:
    """One run's per-sample scores: field -> item -> value, and a fingerprint of each item's input."""

    run: str
    log_file: str
    fields: dict[str, dict[ItemKey, ScoreValue]] = field(default_factory=lambda: defaultdict(dict))
    inputs: dict[ItemKey, str] = field(default_factory=dict)
    errored: int = 0


@dataclass
class Side:
    """One of the two compared folders."""

    label: str  # "A" or "B"
    folder: Path
    model: str
    runs: dict[str, RunScores]
    headlines: dict[tuple[str, str], HeadlineMetric]  # (run, metric name) -> the card's headline metric
    notes: list[str] = field(default_factory=list)


def log_folder(folder: Path) -> Path:
    """A card folder's logs are in `<folder>/logs`; any other folder is read as a log folder."""
    inner = folder / "logs"
    return inner if inner.is_dir() else folder


def read_side(label: str, folder: Path) -> Side:
    """The standing logs of a folder (see `tony.card.logs.select_logs`) read into per-sample scores and headlines."""
    if not folder.is_dir():
        problem = "does not exist" if not folder.exists() else "is not a folder (give a card folder or a folder of Inspect logs)"
        raise CompareError(f"{label}: {folder} {problem}")
    try:
        selection = select_logs(log_folder(folder))
    except CardError as error:
        raise CompareError(f"{label} ({folder}): {error}") from error
    logs = [log for _, log in selection.standing]
    models = sorted({log.eval.model for log in logs})
    notes = [f"skipped {problem}" for problem in selection.unreadable]
    runs: dict[str, RunScores] = {}
    for log in sorted(logs, key=lambda log: log.eval.created):  # a run name twice: the newest log stands
        if task_name(log) in runs:
            notes.append(f"two logs of run {task_name(log)}; the newer one ({Path(log.location or '').name}) is used")
        runs[task_name(log)] = run_scores(log)
    return Side(label, folder, ", ".join(models), runs, headline_metrics(logs, notes), notes)


def run_scores(log: EvalLog) -> RunScores:
    scores = RunScores(task_name(log), Path(log.location or "").name)
    for sample in log.samples or []:
        if sample.error:
            scores.errored += 1
            continue
        key: ItemKey = (str(sample.id), int(sample.epoch))
        scores.inputs[key] = input_fingerprint(sample)
        for scorer, score in (sample.scores or {}).items():
            for name, value in flatten(scorer, score.value):
                scores.fields[name][key] = value
    return scores


def input_fingerprint(sample: EvalSample) -> str:
    """A hash of what the model was given, so that two items paired by id are checked to be the same item."""
    text = sample.input if isinstance(sample.input, str) else "\n".join(message.text for message in sample.input)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def flatten(scorer: str, value: Any) -> list[tuple[str, ScoreValue]]:
    """A score's value as (field, number or category) pairs; lists and missing values give none."""
    if isinstance(value, dict):
        return [(f"{scorer}/{key}", item) for key, inner in value.items() for _, item in flatten(str(key), inner)]
    if isinstance(value, bool):
        return [(scorer, float(value))]
    if isinstance(value, (int, float)):
        return [] if math.isnan(value) else [(scorer, float(value))]
    if isinstance(value, str):
        return [(scorer, value)]
    return []


def headline_metrics(logs: list[EvalLog], notes: list[str]) -> dict[tuple[str, str], HeadlineMetric]:
    """The headline metrics of the card these logs make ((run, metric name) -> metric; the run without a package
    prefix, as `inspect eval tony/<task>` names it); none for logs that are not tony's evaluations."""
    from tony.card.build import card_sections

    try:
        sections = card_sections(logs)
    except Exception as error:  # a section that cannot be built costs its headlines, not the comparison
        notes.append(f"the card's headline metrics could not be built ({' '.join(str(error).split())[:200]})")
        return {}
    return {(section.task.split("/")[-1], metric.name): metric for section in sections for metric in section.headline_metrics}
