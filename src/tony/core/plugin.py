"""What one evaluation folder contributes to tony, declared once in `tony/evals/<paper>/plugin.py`.

Each plugin module builds one `Evaluation` and passes it to `register`: the paper it implements, its Inspect tasks,
the card section builder of each task, an optional summary across the logs of several of its tasks, its quick- and
full-suite entries and its place in the card. The card (`tony.card.build`), the suites and `tony evals`
(`tony.cli`) read `evaluations()` only, so adding an evaluation touches only its own folder.

Scaling under `--limit N`: every `SuiteEntry` says how it is cut to about N samples (`SuiteEntry.scaled(N)`, which
replaces the suite's own sample limit): by default it runs its first N samples; an entry that a plain sample limit
would cut badly (a judge-agreement measurement, the RL sweep, paired free/paid queries) declares `scale`, a function
from N to task arguments and a sample limit.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tony.core.harm import HarmProfile
from tony.core.scorecard_types import RiskMetric

if TYPE_CHECKING:
    from inspect_ai.log import EvalLog

# A run's log -> its card section (a `tony.card.section.Section`). The core does not know the report, so the section's
# type is left to the card, which imports this module and not the other way round (ARCHITECTURE.md).
SectionBuilder = Callable[["EvalLog"], Any]
SummaryBuilder = Callable[[list["EvalLog"]], Any]  # every latest log of a family -> one section
SUITES = ("quick", "full")
LIMIT_KEY = "tony_limit"  # in a run's task metadata: the `--limit N` it was scaled down by; the card marks it
JUDGES_KEY = "tony_judges"  # in a run's task metadata: the offline judges its evaluation uses, name -> version


def task_name(log: EvalLog) -> str:
    """The run's name (e.g. `<task>_<dataset>`); several runs may share one registered task."""
    return log.eval.task.split("/")[-1]


def registered_task(log: EvalLog) -> str:
    """The registered task that produced a log (its `@task` function's name), which picks its card section."""
    return (log.eval.task_registry_name or log.eval.task).split("/")[-1]


class PluginError(Exception):
    """An evaluation plugin is declared wrongly; the message is one line for its author."""


@dataclass(frozen=True)
class Paper:
    """The work an evaluation implements."""

    citation: str  # e.g. "Chen et al. 2025"
    title: str
    url: str = ""

    def label(self) -> str:
        return f"{self.citation}, {self.title}"


@dataclass(frozen=True)
class Scaled:
    """An entry shrunk for `--limit N`: task arguments that replace the entry's, and the sample limit."""

    args: Mapping[str, Any]
    limit: int | None


@dataclass(frozen=True)
class SuiteEntry:
    """One run in a suite: its run name, the registered task, its arguments and default sample limit."""

    name: str
    task: str
    args: Mapping[str, Any] = field(default_factory=dict)
    limit: int | None = None  # the suite's own sample limit (None: every sample)
    whole: bool = False  # its samples must not be cut by a plain sample limit; it then declares `scale`
    datasets: tuple[str, ...] = ()  # public datasets (tony.core.data names) it needs: full suite, with a data dir
    scale: Callable[[int], Scaled] | None = None  # how `--limit N` shrinks it (default: the first N samples)
    last: bool = False  # runs after every other run of the card (e.g. a monitor that reads the other runs' logs)

    def scaled(self, n: int) -> Scaled:
        if n < 1:
            raise ValueError("--limit must be a positive integer")
        return Scaled({}, n) if self.scale is None else self.scale(n)


@dataclass(frozen=True)
class Family:
    """Tasks whose sections are preceded by one summary built across all their logs."""

    tasks: tuple[str, ...]  # in the order their sections follow the summary
    summary: SummaryBuilder


@dataclass(frozen=True)
class SuiteContext:
    """What suite entries may depend on besides the suite: the model under test."""

    model: str
    embedded: bool  # the model is tony's embedded offline default


@dataclass(frozen=True)
class Evaluation:
    """Everything one evaluation folder contributes."""

    name: str  # the folder, e.g. "faithfulness"
    paper: Paper
    position: int  # place in the card and in `tony evals` (the papers' order in the README), smaller first
    tasks: Mapping[str, Callable[..., Any]]  # registered task name -> Inspect @task function
    sections: Mapping[str, SectionBuilder]  # registered task name -> card section builder
    quick: tuple[SuiteEntry, ...] = ()
    full: tuple[SuiteEntry, ...] = ()
    family: Family | None = None
    model_args: Callable[[SuiteContext], dict[str, Any]] | None = None  # task args set per model, on every entry
    risks: tuple[RiskMetric, ...] = ()  # headline metrics the Preparedness-style scorecard bands
    harms: Mapping[str, HarmProfile] = field(default_factory=dict)  # task -> Rauh et al. 2022 characteristics
    # task -> its headline as a per-sample number in [0, 1] read from the sample's first Score (None: unreadable), for
    # `tony card --ci-width`; without one, the first scorer's value is read as a number ("C"/"I" as 1/0)
    headline_scores: Mapping[str, Callable[[Any], float | None]] = field(default_factory=dict)

    def entries(self, suite: str) -> tuple[SuiteEntry, ...]:
        if suite not in SUITES:
            raise ValueError(f"unknown suite {suite!r}; choose from {', '.join(SUITES)}")
        return self.quick if suite == "quick" else self.full

    def check(self) -> None:
        """Raise PluginError for a declaration that cannot work."""
        for task_name in self.sections:
            if task_name not in self.tasks:
                raise PluginError(f"evaluation {self.name}: card section for unknown task {task_name!r}")
        for entry in (*self.quick, *self.full):
            if entry.task not in self.tasks:
                raise PluginError(f"evaluation {self.name}: suite entry {entry.name!r} runs unknown task {entry.task!r}")
            if entry.whole and entry.scale is None:
                raise PluginError(f"evaluation {self.name}: entry {entry.name!r} is whole, so it must declare how "
                                  "--limit scales it (scale)")
        for risk in self.risks:
            if risk.task not in self.sections:
                raise PluginError(f"evaluation {self.name}: risk metric {risk.headline!r} of task {risk.task!r}, "
                                  "which has no card section")
        for task_name in self.harms:
            if task_name not in self.tasks:
                raise PluginError(f"evaluation {self.name}: harm profile for unknown task {task_name!r}")
        if self.family is not None and not set(self.family.tasks) <= set(self.sections):
            raise PluginError(f"evaluation {self.name}: family tasks {self.family.tasks} need card sections")


_REGISTERED: dict[str, Evaluation] = {}
_discovered = False


def register(evaluation: Evaluation) -> Evaluation:
    """Add an evaluation (plugin modules call this once); a second, different one with the same name is an error."""
    evaluation.check()
    known = _REGISTERED.get(evaluation.name)
    if known is not None and known is not evaluation:
        raise PluginError(f"two evaluations are named {evaluation.name!r}")
    for other in _REGISTERED.values():
        clash = set(other.tasks) & set(evaluation.tasks) if other is not evaluation else set()
        if clash:
            raise PluginError(f"evaluations {other.name} and {evaluation.name} both register task(s) {sorted(clash)}")
    _REGISTERED[evaluation.name] = evaluation
    return evaluation


def unregister(name: str) -> None:
    """Remove an evaluation (for tests that register a fake one)."""
    del _REGISTERED[name]


def discover(package: str = "tony.evals") -> None:
    """Import `<package>.<folder>.plugin` for every folder that has one (each registers itself)."""
    root = importlib.import_module(package)
    for module in pkgutil.iter_modules(root.__path__):
        if module.ispkg and importlib.util.find_spec(f"{package}.{module.name}.plugin") is not None:
            importlib.import_module(f"{package}.{module.name}.plugin")


def evaluations() -> list[Evaluation]:
    """Every registered evaluation, in card order (tony's own folders are discovered on first use)."""
    global _discovered
    if not _discovered:
        discover()
        _discovered = True
    return sorted(_REGISTERED.values(), key=lambda evaluation: (evaluation.position, evaluation.name))


def task_function(name: str) -> Callable[..., Any]:
    """The Inspect @task function registered under `name` by some evaluation."""
    for evaluation in evaluations():
        if name in evaluation.tasks:
            return evaluation.tasks[name]
    raise PluginError(f"no evaluation registers a task named {name!r}")
