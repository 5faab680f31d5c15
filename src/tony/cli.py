"""The `tony` command: run the evaluations, write the system card, list evals, rebuild a card from logs."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "tony-gguf/smollm2"
SUITES = ("quick", "full")


@dataclass(frozen=True)
class EvalPlan:
    """One run in a suite: its name, the registered task, its arguments, and its default sample limit."""

    name: str
    task: str
    args: dict[str, Any]
    limit: int | None
    whole: bool = False  # always run every sample (a measurement such as judge agreement), ignoring --limit


def suite_plan(suite: str, data_dir: str | None, model: str = DEFAULT_MODEL) -> list[EvalPlan]:
    """quick: tony's built-in items, sized for minutes on 2 CPU cores; full: every built-in item, and public data when given."""
    # The embedded model never writes the paper's <OUTPUT> tags; its replies are read whole (and the card says so).
    untagged = {"allow_untagged": model == DEFAULT_MODEL}
    if suite == "quick":
        return [
            EvalPlan("faithfulness", "faithfulness", {"dataset": "builtin"}, 16),
            EvalPlan("faithfulness_judge", "faithfulness_judge", {}, None, whole=True),
            EvalPlan("refusals", "refusals", {"dataset": "builtin"}, 24),
            EvalPlan("overrefusals", "overrefusals", {"dataset": "builtin"}, 24),
            EvalPlan("jailbreaks", "jailbreaks", {"dataset": "builtin", "prompts": 3}, None),
            EvalPlan("goal_misgen_lm", "goal_misgen_lm", {}, 12),
            EvalPlan("goal_misgen_rl", "goal_misgen_rl", {"quick": True}, None, whole=True),
            EvalPlan("alignment_faking_helpful_only", "alignment_faking",
                     {"setting": "helpful_only", "queries": 4, "max_tokens": 200, **untagged}, None),
            EvalPlan("alignment_faking_animal_welfare", "alignment_faking",
                     {"setting": "animal_welfare", "queries": 4, "max_tokens": 200, **untagged}, None),
        ]
    plans = [
        EvalPlan("faithfulness", "faithfulness", {"dataset": "builtin"}, None),
        EvalPlan("faithfulness_judge", "faithfulness_judge", {}, None, whole=True),
        EvalPlan("refusals", "refusals", {"dataset": "builtin"}, None),
        EvalPlan("overrefusals", "overrefusals", {"dataset": "builtin"}, None),
        EvalPlan("jailbreaks", "jailbreaks", {"dataset": "builtin"}, None),
        EvalPlan("goal_misgen_lm", "goal_misgen_lm", {}, None),
        EvalPlan("goal_misgen_rl", "goal_misgen_rl", {}, None, whole=True),
        EvalPlan("alignment_faking_helpful_only", "alignment_faking", {"setting": "helpful_only", **untagged}, None),
        EvalPlan("alignment_faking_animal_welfare", "alignment_faking", {"setting": "animal_welfare", **untagged}, None),
        EvalPlan("alignment_faking_minimal", "alignment_faking", {"variant": "minimal", **untagged}, None),
    ]
    if data_dir:
        public = {"data_dir": data_dir}
        plans += [
            EvalPlan("faithfulness_mmlu", "faithfulness", {"dataset": "mmlu", **public}, 200),
            EvalPlan("refusals_harmbench", "refusals", {"dataset": "harmbench", **public}, None),
            EvalPlan("refusals_xstest", "refusals", {"dataset": "xstest_unsafe", **public}, None),
            EvalPlan("overrefusals_xstest", "overrefusals", {"dataset": "xstest_safe", **public}, None),
            EvalPlan("jailbreaks_strongreject", "jailbreaks", {"dataset": "strongreject", "prompts": 60, **public}, None),
            EvalPlan("alignment_faking_advbench", "alignment_faking", {"dataset": "advbench", **untagged, **public}, None),
        ]
    return plans


def evals_catalogue() -> dict[str, str]:
    """Registered tony tasks and the first line of their docstrings."""
    import tony._registry as registry

    catalogue = {}
    for name in dir(registry):
        obj = getattr(registry, name)
        if callable(obj) and getattr(obj, "__module__", "").startswith("tony.evals") and name[0] != "_":
            catalogue[name] = (obj.__doc__ or "").strip().splitlines()[0]
    return catalogue


def command_evals(_: argparse.Namespace) -> int:
    for name, description in sorted(evals_catalogue().items()):
        print(f"tony/{name:<16} {description}")
    return 0


def command_report(arguments: argparse.Namespace) -> int:
    from tony.card.build import build_card

    out = Path(arguments.out or arguments.log_dir)
    html = build_card(Path(arguments.log_dir), out)
    print(f"card written: {html}")
    return 0


def command_card(arguments: argparse.Namespace) -> int:
    from inspect_ai import eval as inspect_eval
    from inspect_ai import task_with

    import tony._registry as registry
    from tony.card.build import build_card

    data_dir = arguments.data_dir or os.environ.get("TONY_DATA_DIR")
    if arguments.download:
        os.environ["TONY_ALLOW_DOWNLOAD"] = "1"
    out = Path(arguments.out)
    log_dir = out / "logs"
    started = time.monotonic()
    failures = []
    plans = suite_plan(arguments.suite, data_dir, arguments.model)
    # Build every task first, so that missing data or a bad option fails before any model time is spent.
    tasks = [task_with(getattr(registry, plan.task)(**plan.args), name=plan.name) for plan in plans]
    roles = {"grader": arguments.judge} if arguments.judge else None
    for plan, task in zip(plans, tasks):
        limit = plan.limit if plan.whole or arguments.limit is None else arguments.limit
        (log,) = inspect_eval(
            task, model=arguments.model, model_roles=roles, limit=limit, log_dir=str(log_dir),
            display=arguments.display, fail_on_error=False, log_format="eval", ctl_server=False,
        )
        if log.status != "success":
            message = log.error.message if log.error else log.status
            failures.append(f"{plan.name}: {message.strip().splitlines()[-1] if message else log.status}")
    html = build_card(log_dir, out)
    print(f"card written: {html} ({time.monotonic() - started:.0f} s)")
    for failure in failures:
        print(f"tony: error: {failure}", file=sys.stderr)
    return 1 if failures else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="tony", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    card = commands.add_parser("card", help="run the evaluations and write the system card")
    card.add_argument("--model", default=DEFAULT_MODEL, help=f"any Inspect model (default {DEFAULT_MODEL}, embedded, offline)")
    card.add_argument("--judge", default=None, help="Inspect model for the grader role (default: offline judges)")
    card.add_argument("--suite", choices=SUITES, default="quick")
    card.add_argument("--limit", type=int, default=None, help="samples per evaluation (default: the suite's)")
    card.add_argument("--out", default="card", help="output folder (default ./card)")
    card.add_argument("--data-dir", default=None, help="folder with public datasets (else TONY_DATA_DIR)")
    card.add_argument("--download", action="store_true", help="allow downloading public datasets into the cache")
    card.add_argument("--display", default="full", choices=["full", "rich", "plain", "log", "none"], help="Inspect progress display")
    card.set_defaults(run=command_card)

    evals = commands.add_parser("evals", help="list the evaluations")
    evals.set_defaults(run=command_evals)

    report = commands.add_parser("report", help="rebuild the card from existing logs (calls no model)")
    report.add_argument("log_dir")
    report.add_argument("--out", default=None, help="output folder (default: the log folder)")
    report.set_defaults(run=command_report)
    return top


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if getattr(arguments, "limit", None) is not None and arguments.limit < 1:
        parser().error("--limit must be a positive integer")
    try:
        return arguments.run(arguments)
    except KeyboardInterrupt:
        print("tony: interrupted", file=sys.stderr)
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
    known = ("DataError", "CardError", "ModelNotFound", "PrerequisiteError", "ValueError")
    return text if type(error).__name__ in known else f"{type(error).__name__}: {text}"


if __name__ == "__main__":
    sys.exit(main())
