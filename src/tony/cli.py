"""The `tony` command: run the evaluations, write the system card, list evals, rebuild a card from logs."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "tony-gguf/smollm2"
SUITES = ("quick", "full")


@dataclass(frozen=True)
class EvalPlan:
    """One run of a suite, ready for Inspect. For `command_card`: run `plan.inspect_task()` with
    `limit=plan.limit`; `--limit N` is already applied (`limited` is N, which the task's metadata records so
    that the card marks the run's numbers as limited)."""

    name: str
    task: str
    args: dict[str, Any]
    limit: int | None  # the sample limit to pass to Inspect (None: every sample)
    whole: bool = False  # never cut by a plain sample limit (a measurement such as judge agreement)
    datasets: tuple[str, ...] = ()  # public datasets it reads (tony.core.data names)
    limited: int | None = None  # the `--limit N` it was scaled down by
    ci_width: float | None = None  # `--ci-width W`: stop once the headline interval is at most W wide
    ci_min_n: int = 30  # `--ci-min-n`: never stop before this many samples
    headline: Callable[[Any], float | None] | None = None  # the evaluation's per-sample headline reader, if declared
    last: bool = False  # run after every other run (its own, final eval set)

    def inspect_task(self) -> Any:
        """The registered task with these arguments, named after the run, its metadata marked with the versions of
        the offline judges it uses and, if limited, the `--limit N`."""
        from inspect_ai import task_with

        from tony.core.judges.judge_run_validation import judge_versions
        from tony.core.plugin import JUDGES_KEY, LIMIT_KEY, task_function

        task = task_function(self.task)(**self.args)
        marks = {JUDGES_KEY: judge_versions([self.task]), **({} if self.limited is None else {LIMIT_KEY: self.limited})}
        task = task_with(task, name=self.name, metadata={**(task.metadata or {}), **marks})
        return task if self.ci_width is None or self.whole else self.adaptive(task)

    def adaptive(self, task: Any) -> Any:
        """The task with `--ci-width`'s early stopping, its samples (the same ones a fixed run takes) in a seeded
        random order, since the sequential rule needs outcomes in random order."""
        from inspect_ai import task_with

        from tony.core.stats.adaptive_stopping import HeadlineStopper

        dataset = task.dataset[: self.limit] if self.limit is not None else task.dataset[:]
        dataset.shuffle(seed=0)
        stopper = HeadlineStopper(self.ci_width, self.ci_min_n, reader=self.headline)
        return task_with(task, dataset=dataset, early_stopping=stopper)


def suite_plan(suite: str, data_dir: str | None, model: str = DEFAULT_MODEL, limit: int | None = None,
               ci_width: float | None = None, ci_min_n: int = 30) -> list[EvalPlan]:
    """Every registered evaluation's entries of a suite, in card order; entries that need public datasets only with a
    data directory. quick: tony's built-in items, sized for minutes on 2 CPU cores; full: every built-in item, and
    public data when given. `limit` (--limit N) scales every entry down as the entry declares."""
    from tony.core.plugin import SuiteContext, evaluations

    context = SuiteContext(model=model, embedded=model == DEFAULT_MODEL)
    plans = []
    for evaluation in evaluations():
        per_model = evaluation.model_args(context) if evaluation.model_args else {}
        for entry in evaluation.entries(suite):
            if entry.datasets and not data_dir:
                continue
            args = {**entry.args, **per_model, **({"data_dir": data_dir} if entry.datasets else {})}
            sample_limit = entry.limit
            if limit is not None:
                scaled = entry.scaled(limit)
                args, sample_limit = {**args, **scaled.args}, scaled.limit
            plans.append(EvalPlan(entry.name, entry.task, args, sample_limit, entry.whole, entry.datasets, limit,
                                  ci_width, ci_min_n, evaluation.headline_scores.get(entry.task), entry.last))
    return plans


@dataclass(frozen=True)
class CatalogueEntry:
    task: str
    paper: str  # the paper's citation, e.g. "Author et al. 2025"
    description: str  # the first line of the task's docstring


def evals_catalogue() -> list[CatalogueEntry]:
    """Every registered task, in card order, with its paper and the first line of its docstring."""
    from tony.core.plugin import evaluations

    return [CatalogueEntry(name, evaluation.paper.citation, (function.__doc__ or "").strip().splitlines()[0])
            for evaluation in evaluations() for name, function in evaluation.tasks.items()]


def command_evals(_: argparse.Namespace) -> int:
    catalogue = evals_catalogue()
    width = max(len(entry.task) for entry in catalogue) + len("tony/")
    papers = max(len(entry.paper) for entry in catalogue)
    for entry in catalogue:
        print(f"{'tony/' + entry.task:<{width}}  {entry.paper:<{papers}}  {entry.description}")
    return 0


def command_report(arguments: argparse.Namespace) -> int:
    from tony.card.build import write_card
    from tony.card.logs import select_logs

    from tony.core.judges.grader_card import use_grader

    log_dir = Path(arguments.log_dir)
    selection = select_logs(log_dir)
    with use_grader(logged_grader([log for _, log in selection.standing])):
        written = write_card(selection, Path(arguments.out or arguments.log_dir), str(log_dir))
    print(f"card written: {written.html}")
    return report_failures(written.header.failures)


def logged_grader(logs: list[Any]) -> Any:
    """The grader of the card's runs and its measurement from the `tony/judge_validation` logs among them (None
    without a grader; several graders in one folder: none is bound, and each LLM-judged rate says not validated)."""
    from tony.core.judges.grader_card import CardGrader
    from tony.core.judges.judge_run_validation import is_validation_log, measurement_from_logs

    graders = {str(role.model) for log in logs if not is_validation_log(log)
               for name, role in (log.eval.model_roles or {}).items() if name == "grader"}
    if len(graders) != 1:
        return None
    grader = graders.pop()
    return CardGrader(grader, measurement_from_logs(logs, grader))


class UsageError(Exception):
    """Bad input on the command line; the message is one line for the user."""


def command_card(arguments: argparse.Namespace) -> int:
    data_dir = arguments.data_dir or os.environ.get("TONY_DATA_DIR") or None
    if data_dir and not Path(data_dir).is_dir():
        raise UsageError(f"--data-dir {data_dir} is not a folder")

    from tony.card.build import write_card
    from tony.card.logs import logs_of_files
    from tony.card_run import build_tasks, check_datasets, check_one_model, run_plans

    if arguments.download:
        os.environ["TONY_ALLOW_DOWNLOAD"] = "1"
    out = Path(arguments.out)
    log_dir = out / "logs"
    started = time.monotonic()
    plans = suite_plan(arguments.suite, data_dir, arguments.model, arguments.limit, arguments.ci_width, arguments.ci_min_n)
    # Every check before any model time: one model per card folder, every public dataset, every task's data.
    check_one_model(log_dir, arguments.model)
    check_datasets(plans, data_dir)
    grader_runs, card_grader = grader_validation(arguments, plans)
    tasks = build_tasks([*plans, *grader_runs])
    files = run_plans([*plans, *grader_runs], tasks, log_dir, run_settings(arguments))
    selection = logs_of_files(files)
    if grader_runs:
        card_grader = measured_grader(card_grader, [log for _, log in selection.standing])
    from tony.core.judges.grader_card import use_grader

    with use_grader(card_grader):
        written = write_card(selection, out, str(log_dir))
    print(f"card written: {written.html} ({time.monotonic() - started:.0f} s)")
    return report_failures(written.header.failures)


def grader_validation(arguments: argparse.Namespace, plans: list[EvalPlan]) -> tuple[list[Any], Any]:
    """With `--judge M`: the runs that measure M on every frozen test set of the judges the plans use (issue 21 §2),
    printed before the run, and the card's grader (its measurement read from `--judge-validation FILE`, or filled
    in from those runs); nothing to run with `--skip-judge-validation`. Without a grader: no runs, no grader."""
    from tony.core.judges.grader_card import CardGrader
    from tony.core.judges.judge_run_validation import judges_in_use, plan_line, read_measurement, validation_runs

    if not arguments.judge:
        if arguments.judge_validation or arguments.skip_judge_validation:
            raise UsageError("--judge-validation and --skip-judge-validation need --judge (the grader model)")
        return [], None
    if arguments.judge_validation and arguments.skip_judge_validation:
        raise UsageError("give --judge-validation FILE or --skip-judge-validation, not both")
    if arguments.skip_judge_validation:
        print(f"judge validation: skipped; every rate judged by {arguments.judge} reads 'not validated'")
        return [], CardGrader(arguments.judge, None, skipped=True)
    in_use = judges_in_use(plan.task for plan in plans)
    if arguments.judge_validation:
        measurement = read_measurement(Path(arguments.judge_validation), arguments.judge)
        missing = [judge for judge in in_use if measurement.records(judge) is None]
        print(f"judge validation: read from {arguments.judge_validation}, no extra grader calls"
              + (f"; not in it (not validated): {', '.join(missing)}" if missing else ""))
        return [], CardGrader(arguments.judge, measurement)
    runs, notes = validation_runs(in_use)
    print(plan_line(runs, arguments.judge))
    for note in notes:
        print(f"judge validation: {note}")
    return runs, CardGrader(arguments.judge, None)


def measured_grader(card_grader: Any, logs: list[Any]) -> Any:
    """The card's grader with its measurement from this card's validation runs."""
    from tony.core.judges.grader_card import CardGrader
    from tony.core.judges.judge_run_validation import measurement_from_logs

    return CardGrader(card_grader.grader, measurement_from_logs(logs, card_grader.grader, only_grader=False))


def command_judge_validate(arguments: argparse.Namespace) -> int:
    """Measure a grader model on the frozen test sets of the named judges (default: every judge with an LLM form)
    and write the measurement for `tony card --judge-validation FILE`."""
    from tony.card.logs import logs_of_files
    from tony.card_run import RunSettings, build_tasks, run_plans
    from tony.core.judges.judge_run_validation import (measurement_from_logs, plan_line, validation_runs,
                                                write_measurement)
    from tony.core.plugin import evaluations
    from tony.core.judges.validation import registered_judges

    evaluations()  # registers every judge
    judges = ([name.strip() for name in arguments.judges.split(",") if name.strip()] if arguments.judges
              else [name for name, spec in registered_judges().items() if spec.llm_predict is not None])
    runs, notes = validation_runs(judges)
    for note in notes:
        print(f"judge validation: {note}")
    if not runs:
        raise UsageError(f"nothing to measure for {', '.join(judges) or 'no judge'}")
    print(plan_line(runs, arguments.judge))
    out = Path(arguments.out)
    log_dir = Path(arguments.log_dir) if arguments.log_dir else out.with_name(out.name + ".logs")
    settings = RunSettings(model="mockllm/model", judge=arguments.judge, display=arguments.display,
                           cache=arguments.cache, max_retries=arguments.max_retries, timeout=arguments.timeout,
                           max_connections=arguments.max_connections)
    files = run_plans(runs, build_tasks(runs), log_dir, settings)
    selection = logs_of_files(files)
    failures = [f"{log.eval.task}: {log.status}" for _, log in selection.standing if log.status != "success"]
    if failures or len(selection.standing) != len(runs):
        return report_failures(failures or ["a validation run left no finished log"]) or 1
    measurement = measurement_from_logs([log for _, log in selection.standing], arguments.judge, only_grader=False)
    assert measurement is not None
    write_measurement(measurement, out)
    for judge, records in measurement.judges.items():
        for record in records:
            print(f"{judge}: {record.summary()}")
    print(f"judge validation written: {out} (logs in {log_dir})")
    return 0


def report_failures(failures: list[str]) -> int:
    """Name every failed run on stderr; 1 if there was one."""
    for failure in failures:
        print(f"tony: error: {failure}", file=sys.stderr)
    return 1 if failures else 0


def run_settings(arguments: argparse.Namespace) -> Any:
    from tony.card_run import RunSettings

    return RunSettings(
        model=arguments.model, model_args=dict(arguments.model_args), judge=arguments.judge, display=arguments.display,
        cache=arguments.cache, max_retries=arguments.max_retries, timeout=arguments.timeout,
        max_connections=arguments.max_connections, max_tasks=arguments.max_tasks, batch=arguments.batch,
    )


def model_arg(text: str) -> tuple[str, Any]:
    """`-M key=value`, the value read as JSON where it parses (numbers, true/false), else as text."""
    key, separator, value = text.partition("=")
    if not separator or not key:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text}")
    return value


def width_arg(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def parser() -> argparse.ArgumentParser:
    from tony.card_run import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_S

    top = argparse.ArgumentParser(prog="tony", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    card = commands.add_parser("card", help="run the evaluations and write the system card (resumes an interrupted run)")
    card.add_argument("--model", default=DEFAULT_MODEL, help=f"any Inspect model (default {DEFAULT_MODEL}, embedded, offline)")
    card.add_argument("-M", "--model-arg", dest="model_args", type=model_arg, action="append", default=[],
                      metavar="KEY=VALUE", help="model argument, e.g. -M n_threads=2 (repeatable)")
    card.add_argument("--judge", default=None, help="Inspect model for the grader role (default: offline judges)")
    card.add_argument("--suite", choices=SUITES, default="quick")
    card.add_argument("--limit", type=positive, default=None, help="scale every evaluation down to about N samples")
    card.add_argument("--ci-width", type=width_arg, default=None, metavar="W",
                      help="stop each evaluation once its headline 95%% interval is at most W wide (sequential rule)")
    card.add_argument("--ci-min-n", type=positive, default=30, metavar="N", help="with --ci-width: never stop before N samples")
    card.add_argument("--out", default="card", help="output folder, one model's card (default ./card)")
    card.add_argument("--data-dir", default=None, help="folder with public datasets (else TONY_DATA_DIR)")
    card.add_argument("--download", action="store_true", help="allow downloading public datasets into the cache")
    card.add_argument("--display", default="full", choices=["full", "rich", "plain", "log", "none"], help="Inspect progress display")
    card.add_argument("--no-cache", dest="cache", action="store_false", help="do not use Inspect's response cache")
    card.add_argument("--max-retries", type=non_negative, default=DEFAULT_MAX_RETRIES,
                      help=f"retries of a model or judge call that failed transiently (default {DEFAULT_MAX_RETRIES})")
    card.add_argument("--timeout", type=positive, default=DEFAULT_TIMEOUT_S,
                      help=f"seconds per model or judge call, retries included (default {DEFAULT_TIMEOUT_S})")
    card.add_argument("--max-connections", type=positive, default=None, help="concurrent calls to an API model")
    card.add_argument("--max-tasks", type=positive, default=None, help="evaluations run at once")
    card.add_argument("--batch", type=positive, nargs="?", const=True, default=None, metavar="N",
                      help="use the provider's batch API (optionally N requests per batch)")
    card.add_argument("--skip-judge-validation", action="store_true",
                      help="with --judge: do not measure the grader on the judges' frozen test sets (rates read 'not validated')")
    card.add_argument("--judge-validation", default=None, metavar="FILE",
                      help="with --judge: read the grader's measurement from FILE (written by `tony judge-validate`)")
    card.set_defaults(run=command_card)

    validate = commands.add_parser("judge-validate", help="measure a grader model on the judges' frozen test sets")
    validate.add_argument("--judge", required=True, help="Inspect model for the grader role")
    validate.add_argument("--out", required=True, help="the measurement file to write (JSON)")
    validate.add_argument("--judges", default=None, help="comma-separated judge names (default: every judge with an LLM form)")
    validate.add_argument("--log-dir", default=None, help="Inspect logs of the runs (default: <out>.logs)")
    validate.add_argument("--display", default="full", choices=["full", "rich", "plain", "log", "none"])
    validate.add_argument("--no-cache", dest="cache", action="store_false", help="do not use Inspect's response cache")
    validate.add_argument("--max-retries", type=non_negative, default=DEFAULT_MAX_RETRIES)
    validate.add_argument("--timeout", type=positive, default=DEFAULT_TIMEOUT_S)
    validate.add_argument("--max-connections", type=positive, default=None)
    validate.set_defaults(run=command_judge_validate)

    evals = commands.add_parser("evals", help="list the evaluations")
    evals.set_defaults(run=command_evals)

    report = commands.add_parser("report", help="rebuild the card from existing logs (calls no model)")
    report.add_argument("log_dir")
    report.add_argument("--out", default=None, help="output folder (default: the log folder)")
    report.set_defaults(run=command_report)

    from tony.compare.command import add_compare_parser

    add_compare_parser(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return arguments.run(arguments)
    except KeyboardInterrupt:
        print("tony: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    except Exception as error:  # one clear line for the user; TONY_DEBUG=1 shows the traceback
        if os.environ.get("TONY_DEBUG"):
            raise
        print(f"tony: error: {one_line(error)}", file=sys.stderr)
        return 2


def one_line(error: BaseException) -> str:
    """An exception as one readable line: rich markup and Inspect's 'ERROR:' prefix removed."""
    text = re.sub(r"\[/?[a-z ]+\]", "", str(error)).replace("ERROR:", "")
    text = " ".join(text.split())
    known = ("DataError", "CardError", "CompareError", "UsageError", "JudgeValidationError", "ModelNotFound", "PrerequisiteError", "ValueError")
    return text if type(error).__name__ in known else f"{type(error).__name__}: {text}"


if __name__ == "__main__":
    sys.exit(main())
