"""`--judge` validated in the same run (issue 21 §2): the grader-role model measured on each judge's frozen test sets.

When `tony card --judge M` binds a grader, every judge the selected runs use is also run with M over each of its
frozen blind files `judge_sets/<set>.test*.jsonl` (`tony/judge_validation`, one Inspect run per file, cached like
every call). Judges that read one test set with the same LLM form (e.g. `refusal` and `refusal_full`) share one run:
their counts are read from the same verdicts. Each (judge, file) becomes one source (`JudgeValidation`), so M's
measured Se/Sp plug into `tony.core.judges.judge_sources.judged_rate_of` in place of the offline judge's records.
`tony judge-validate` writes the same measurement to a file (`write_measurement`) that `tony card
--judge-validation FILE` reads back (`read_measurement`: same grader, same test files and sha256s, else an error).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tony.core.judges.validation import (JudgeSpec, JudgeValidation, file_sha256, frozen_test_files, read_jsonl,
                                         registered_judges, verdict_counts)

MEASUREMENT_FORMAT = 1
MEASUREMENT_KIND = "tony judge validation"
SCORER = "judge_verdict"  # the scorer name of tony/judge_validation


class JudgeValidationError(ValueError):
    """Bad input to a grader measurement (unknown judge, missing or malformed file, another grader); one line."""


@dataclass(frozen=True)
class GraderMeasurement:
    """One grader model's agreement with the human labels, per judge, one record per frozen test file."""

    grader: str
    judges: dict[str, list[JudgeValidation]]

    def records(self, judge: str) -> list[JudgeValidation] | None:
        """The judge's sources measured with this grader, or None when the judge was not measured."""
        return self.judges.get(judge)


@dataclass(frozen=True)
class ValidationRun:
    """One Inspect run of `tony/judge_validation`: a judge's LLM form over one frozen test file (a Plan for
    `tony.card_run.run_plans`); `members` are the judges whose counts come from the same verdicts."""

    judge: str
    members: tuple[str, ...]
    split: str  # "test", "test2", "test_b", ...
    items: int
    limit: int | None = None  # a measurement is never cut by --limit
    datasets: tuple[str, ...] = ()
    last: bool = False

    @property
    def name(self) -> str:
        return f"judge_validation_{self.judge}_{self.split}"

    def inspect_task(self) -> Any:
        from inspect_ai import task_with

        from tony.core.judges.judge_task import judge_validation

        return task_with(judge_validation(judge=self.judge, split=self.split), name=self.name)


def _spec(judge: str) -> JudgeSpec:
    specs = registered_judges()
    if judge not in specs:
        raise JudgeValidationError(f"unknown judge {judge!r}; known: {', '.join(sorted(specs))}")
    return specs[judge]


def _modules(spec: JudgeSpec) -> set[str]:
    return {f.__module__ for f in (spec.predict, spec.llm_predict) if f is not None}


def _imported_by(package: str, module: str) -> bool:
    """Whether a loaded module of `package` imports `module` or a name defined in it."""
    for name, loaded in list(sys.modules.items()):
        if loaded is None or not (name == package or name.startswith(package + ".")):
            continue
        for value in list(vars(loaded).values()):
            if getattr(value, "__name__", None) == module or getattr(value, "__module__", None) == module:
                return True
    return False


def judges_in_use(tasks: Iterable[str]) -> list[str]:
    """The registered judges the evaluations of these tasks use: those defined in an evaluation's package, and
    shared judges (defined outside `tony.evals`, e.g. the refusal judge) that the evaluation's modules import."""
    from tony.core.plugin import evaluations

    wanted = set(tasks)
    packages = [f"tony.evals.{e.name}" for e in evaluations() if wanted & set(e.tasks)]
    used = []
    for name, spec in registered_judges().items():
        modules = _modules(spec)
        inside = any(m == p or m.startswith(p + ".") for m in modules for p in packages)
        shared = all(not m.startswith("tony.evals.") for m in modules) and any(
            _imported_by(p, m) for m in modules for p in packages)
        if inside or shared:
            used.append(name)
    return used


def judge_versions(tasks: Iterable[str]) -> dict[str, str]:
    """The version of every registered judge the evaluations of these tasks use (a changed judge is a new version,
    so two runs judged by different versions are not the same measurement)."""
    specs = registered_judges()
    return {name: specs[name].version for name in sorted(judges_in_use(tasks))}


def validation_runs(judges: Sequence[str]) -> tuple[list[ValidationRun], list[str]]:
    """The runs that measure a grader on every frozen test file of these judges (one per test set, LLM form and
    file), and notes on judges that cannot be measured (no LLM form, no frozen test file)."""
    runs: list[ValidationRun] = []
    notes: list[str] = []
    groups: dict[tuple[str, Any], list[str]] = {}
    for judge in dict.fromkeys(judges):
        spec = _spec(judge)
        if spec.llm_predict is None:
            notes.append(f"{judge}: no LLM form, not measured with the grader")
            continue
        groups.setdefault((spec.set_name, spec.llm_predict), []).append(judge)
    for (set_name, _), members in groups.items():
        files = frozen_test_files(set_name)
        if not files:
            notes.append(f"{', '.join(members)}: no frozen test file, not measured with the grader")
        for path in files:
            split = path.name[len(set_name) + 1:-len(".jsonl")]
            runs.append(ValidationRun(members[0], tuple(members), split, len(read_jsonl(path))))
    return runs, notes


def extra_calls(runs: Sequence[ValidationRun]) -> int:
    """Grader calls the runs make when nothing is cached: one per item (a reply that does not parse is asked once
    more with a format reminder, so at most twice this)."""
    return sum(run.items for run in runs)


def plan_line(runs: Sequence[ValidationRun], grader: str) -> str:
    """What `tony card` prints before the run."""
    files = ", ".join(f"{run.judge}.{run.split}" for run in runs)
    return (f"judge validation: {extra_calls(runs)} extra grader calls to {grader} ({len(runs)} runs: {files}; "
            "at most twice that with format retries; cached calls cost nothing)")


def _grader_of(log: Any) -> str | None:
    role = (log.eval.model_roles or {}).get("grader")
    return str(role.model) if role is not None else None


def _sharing(judge: str) -> list[str]:
    """The judge and every registered judge that reads the same test set with the same LLM form."""
    spec = _spec(judge)
    return [name for name, other in registered_judges().items()
            if other.set_name == spec.set_name and other.llm_predict is spec.llm_predict]


def records_of_log(log: Any) -> list[JudgeValidation]:
    """One record per judge sharing the run's verdicts, from a finished `tony/judge_validation` log."""
    judge_set = (log.eval.metadata or {}).get("judge_set") or {}
    grader = _grader_of(log)
    if log.status != "success" or not grader or not judge_set.get("judge") or not log.samples:
        return []
    items = [sample.metadata["item"] for sample in log.samples]
    predicted = [str(sample.scores[SCORER].answer) for sample in log.samples]
    measured = (log.stats.completed_at or "")[:10] or date.today().isoformat()
    records = []
    for judge in _sharing(judge_set["judge"]):
        spec = _spec(judge)
        records.append(JudgeValidation(judge, judge_set["file"], judge_set["sha256"], measured,
                                       **verdict_counts(spec, items, predicted), version=spec.version,
                                       kind=f"grader {grader} on frozen test set"))
    return records


def is_validation_log(log: Any) -> bool:
    return (log.eval.task_registry_name or "").split("/")[-1] == "judge_validation"


def measurement_from_logs(logs: Iterable[Any], grader: str, only_grader: bool = True) -> GraderMeasurement | None:
    """The grader's measurement from `tony/judge_validation` logs (None: no such log). `only_grader`: only logs
    whose grader role is `grader` (else every validation log given, e.g. exactly the runs just made for it)."""
    judges: dict[str, list[JudgeValidation]] = {}
    for log in logs:
        if is_validation_log(log) and (_grader_of(log) == grader or not only_grader):
            for record in records_of_log(log):
                judges.setdefault(record.judge, []).append(record)
    return GraderMeasurement(grader, judges) if judges else None


def write_measurement(measurement: GraderMeasurement, path: Path) -> None:
    raw = {"format": MEASUREMENT_FORMAT, "kind": MEASUREMENT_KIND, "grader": measurement.grader,
           "judges": {judge: [asdict(record) for record in records] for judge, records in measurement.judges.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw, indent=1, ensure_ascii=False), encoding="utf-8")


def _parse(path: Path) -> GraderMeasurement:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JudgeValidationError(f"judge validation file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise JudgeValidationError(f"judge validation file {path} is not readable JSON ({error})") from None
    if not isinstance(raw, dict) or raw.get("kind") != MEASUREMENT_KIND or raw.get("format") != MEASUREMENT_FORMAT:
        raise JudgeValidationError(f"{path} is not a format-{MEASUREMENT_FORMAT} file of `tony judge-validate`")
    try:
        judges = {str(judge): [JudgeValidation(**record) for record in records]
                  for judge, records in dict(raw["judges"]).items()}
        return GraderMeasurement(str(raw["grader"]), judges)
    except (KeyError, TypeError, ValueError) as error:
        raise JudgeValidationError(f"{path} is malformed ({error})") from None


def read_measurement(path: Path, grader: str) -> GraderMeasurement:
    """A measurement written by `tony judge-validate`, checked against this run: the same grader model, known
    judges, and for each judge exactly its current frozen test files with the same sha256."""
    measurement = _parse(path)
    if measurement.grader != grader:
        raise JudgeValidationError(f"{path} measured the grader {measurement.grader}, not {grader}")
    for judge, records in measurement.judges.items():
        spec = _spec(judge)
        current = {p.name: file_sha256(p) for p in frozen_test_files(spec.set_name)}
        recorded = {r.test_file: r.sha256 for r in records}
        old = [r.version for r in records if r.version != spec.version]
        if old:
            raise JudgeValidationError(f"{path} measured version {old[0]} of judge {judge}, now version "
                                       f"{spec.version}; run `tony judge-validate` again")
        if recorded != current:
            changed = sorted(set(current.items()) ^ set(recorded.items()))
            raise JudgeValidationError(f"{path} is stale for judge {judge}: its test files or sha256s differ from "
                                       f"the current ones ({', '.join(name for name, _ in changed)}); run "
                                       "`tony judge-validate` again")
    return measurement
