"""What a comparison reads from one folder (a card folder or a log folder): each run's per-sample scores, keyed by
(run, sample id, epoch), and the card's headline metrics where tony's sections can be built from the logs.

Scores are read generically from every scorer of every sample: a number (or a bool) is a metric `run/scorer`; a
string is a category, and each category seen becomes the metric `run/scorer=category` (the share of items with
it); a dict of such values gives `run/scorer/key` (or `run/scorer/key=category`). Errored samples are left out.

What makes two runs the same measurement is read from each log too (`run_settings`, `item_settings`): the
registered task and its version, every task argument (but `data_dir`, a local path: the items it yields are checked
by their inputs), the scorers and their options, and the grader-role model; and per item, besides its input, the
target and the metadata the dataset gave it (from the sample's first event, before any solver wrote to it).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_ai.event import SampleInitEvent
from inspect_ai.log import EvalLog, EvalSample

from tony.card.logs import CardError, select_logs
from tony.card.section import HeadlineMetric, task_name
from tony.core.plugin import JUDGES_KEY

ScoreValue = float | str
ItemKey = tuple[str, int]  # (sample id, epoch)
LOCAL_ARGUMENTS = ("data_dir",)  # task arguments that say where data lie, not what is measured
SHOWN = 60  # characters of a setting's value shown when it differs


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
    settings: dict[str, str] = field(default_factory=dict)  # run-level setting -> its value (JSON), see run_settings
    item_settings: dict[str, dict[str, str]] = field(default_factory=dict)  # sample id -> setting -> fingerprint
    limited: str = ""  # how the run was cut short ("--limit N", "sample limit N"; "" for a complete run)


@dataclass
class Side:
    """One of the two compared folders."""

    label: str  # "A" or "B"
    folder: Path
    model: str
    runs: dict[str, RunScores]
    headlines: dict[tuple[str, str], HeadlineMetric]  # (run, metric name) -> the card's headline metric
    notes: list[str] = field(default_factory=list)
    headline_runs: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # headline -> the runs it reads


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
    headlines, headline_runs = headline_metrics(logs, notes)
    return Side(label, folder, ", ".join(models), runs, headlines, notes, headline_runs)


def run_scores(log: EvalLog) -> RunScores:
    from tony.card.build import limit_note

    scores = RunScores(task_name(log), Path(log.location or "").name, settings=run_settings(log), limited=limit_note(log))
    for sample in log.samples or []:
        if sample.error:
            scores.errored += 1
            continue
        key: ItemKey = (str(sample.id), int(sample.epoch))
        scores.inputs[key] = input_fingerprint(sample)
        scores.item_settings.setdefault(key[0], item_settings(sample))
        for scorer, score in (sample.scores or {}).items():
            for name, value in flatten(scorer, score.value):
                scores.fields[name][key] = value
    return scores


def input_fingerprint(sample: EvalSample) -> str:
    """A hash of what the model was given (its input and any answer choices), so that two items paired by id are
    checked to be the same item."""
    text = sample.input if isinstance(sample.input, str) else "\n".join(message.text for message in sample.input)
    return _digest([text, sample.choices or []])


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def shown(value: Any) -> str:
    """A setting's value as JSON, cut to SHOWN characters."""
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"


def run_settings(log: EvalLog) -> dict[str, str]:
    """The settings of a run that change what its samples' scores mean (setting -> value as JSON): the registered
    task and its version, each task argument, each scorer's options, the grader-role model and the version of each
    offline judge the run used (recorded by `tony card`). Not among them: the
    sample limit and `--limit`'s own mark (they choose which items run; what a `--limit` scaling changes in the task
    arguments is compared), the model under test and its generation settings (what a comparison is for)."""
    spec = log.eval
    settings = {"task": shown(spec.task_registry_name or spec.task), "task version": shown(spec.task_version)}
    for name, value in sorted((spec.task_args or {}).items()):
        if name not in LOCAL_ARGUMENTS:
            settings[f"task argument {name}"] = shown(value)
    for scorer in spec.scorers or []:
        settings[f"scorer {scorer.name}"] = shown(scorer.options or {})
    settings["grader model"] = _role_models(spec.model_roles, "grader")
    for judge, version in sorted(((spec.metadata or {}).get(JUDGES_KEY) or {}).items()):
        settings[f"offline judge {judge}"] = f"version {version}"
    return settings


def _role_models(roles: dict[str, Any] | None, role: str) -> str:
    bound = (roles or {}).get(role)
    if bound is None:
        return "none (offline judges)"
    return ", ".join(config.model for config in (bound if isinstance(bound, list) else [bound]))


def item_settings(sample: EvalSample) -> dict[str, str]:
    """An item's scoring settings (setting -> fingerprint): its target and each key of the metadata the dataset gave
    it, read from the sample's first event (the logged `metadata` is the solvers' state, model output included)."""
    initial = next((event.sample for event in sample.events or [] if isinstance(event, SampleInitEvent)), None)
    metadata = initial.metadata if initial is not None else None
    target = initial.target if initial is not None else sample.target
    return {"target": _digest(target), **{f"metadata {key}": _digest(value) for key, value in (metadata or {}).items()}}


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


def headline_metrics(logs: list[EvalLog], notes: list[str]
                     ) -> tuple[dict[tuple[str, str], HeadlineMetric], dict[tuple[str, str], tuple[str, ...]]]:
    """The headline metrics of the card these logs make ((run, metric name) -> metric; the run without a package
    prefix, as `inspect eval tony/<task>` names it), and the runs each one reads (a summary reads several); none for
    logs that are not tony's evaluations."""
    from tony.card.build import card_sections

    try:
        sections = card_sections(logs)
    except Exception as error:  # a section that cannot be built costs its headlines, not the comparison
        notes.append(f"the card's headline metrics could not be built ({' '.join(str(error).split())[:200]})")
        return {}, {}
    run_of = {Path(log.location or "").name: task_name(log) for log in logs}
    metrics, runs = {}, {}
    for section in sections:
        for metric in section.headline_metrics:
            key = (section.task.split("/")[-1], metric.name)
            metrics[key] = metric
            runs[key] = tuple(sorted({run_of.get(file, file) for file in section.log_files}))
    return metrics, runs
