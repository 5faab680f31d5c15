"""Build the system card (HTML, Markdown, JSON) from Inspect eval logs, without calling any model."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from inspect_ai.log import EvalLog, list_eval_logs, read_eval_log

from tony import __version__
from tony.card.render import render_html, render_markdown, render_transcript
from tony.card.section import Section


class CardError(Exception):
    """The card cannot be built; the message is one line for the user."""


SectionBuilder = Callable[[EvalLog], Section]
SummaryBuilder = Callable[[list[EvalLog]], Section]  # all the latest logs of one family -> one section


@dataclass(frozen=True)
class Family:
    """Registered tasks whose sections are preceded by one summary built across all their logs."""

    tasks: tuple[str, ...]  # in the order their sections follow the summary
    summary: SummaryBuilder


def section_builders() -> dict[str, SectionBuilder]:
    """Task name -> section builder, for every evaluation that has a card section, in the card's order
    (the papers' order in the README)."""
    from tony.evals.alignment_faking.card import alignment_faking_section
    from tony.evals.faithfulness.card import faithfulness_section, judge_validation_section
    from tony.evals.goal_misgen.card import goal_misgen_lm_section, goal_misgen_rl_section
    from tony.evals.refusals.card import refusals_section

    return {
        "faithfulness": faithfulness_section,
        "faithfulness_judge": judge_validation_section,
        "alignment_faking": alignment_faking_section,
        "refusals": refusals_section,
        "overrefusals": refusals_section,
        "jailbreaks": refusals_section,
        "goal_misgen_lm": goal_misgen_lm_section,
        "goal_misgen_rl": goal_misgen_rl_section,
    }


def families() -> list[Family]:
    """Families of evaluations whose logs are also summarised together (e.g. one o1-card table)."""
    from tony.evals.refusals.card import REFUSAL_FAMILY, refusals_summary_section

    return [Family(REFUSAL_FAMILY, refusals_summary_section)]


def card_sections(logs: list[EvalLog]) -> list[Section]:
    """One section per log with a builder, in log order; a family's summary and then its logs' sections
    (in the family's task order) stand where the family's first log would."""
    builders = section_builders()
    order = list(builders)
    logs = sorted(logs, key=lambda log: order.index(registered_task(log)) if registered_task(log) in order else len(order))
    family_of = {task: family for family in families() for task in family.tasks}
    sections: list[Section] = []
    summarised: set[Family] = set()
    for log in logs:
        task = registered_task(log)
        family = family_of.get(task)
        if family in summarised:
            continue
        if family is not None:
            summarised.add(family)
            members = sorted((m for m in logs if registered_task(m) in family.tasks),
                             key=lambda m: family.tasks.index(registered_task(m)))  # stable: log order within a task
            sections.append(family.summary(members))
            sections += [builders[registered_task(m)](m) for m in members]
        elif task in builders:
            sections.append(builders[task](log))
    return sections


@dataclass
class CardHeader:
    model: str
    judges: list[str]
    generated: str
    tony_version: str
    inspect_version: str
    wall_time_s: float
    tokens: dict[str, int]
    provenance: list[dict[str, Any]]
    logs: list[dict[str, str]] = field(default_factory=list)  # file, task, status
    notes: list[str] = field(default_factory=list)


EMBEDDED_MODEL_NOTE = (
    "The model under test is SmolLM2-135M-Instruct (4-bit), tony's embedded offline default. It is a very small "
    "model: it often fails to follow the answer format, tends to copy answers that appear in its prompt, and "
    "rarely refuses harmful requests. Its numbers show what tony measures, not what a capable model does."
)


def task_name(log: EvalLog) -> str:
    """The run's name (e.g. `faithfulness_mmlu`); several runs may share one registered task."""
    return log.eval.task.split("/")[-1]


def registered_task(log: EvalLog) -> str:
    """The registered task that produced a log (e.g. `faithfulness`), which picks its card section."""
    return (log.eval.task_registry_name or log.eval.task).split("/")[-1]


def run_key(log: EvalLog) -> tuple[str, str]:
    """What makes two logs reruns of the same run: the run's name and its task arguments."""
    return task_name(log), json.dumps(log.eval.task_args or {}, sort_keys=True, default=str)


def latest_logs(log_dir: Path) -> list[tuple[Path, EvalLog]]:
    """The newest finished log of each run in a folder (older reruns, and runs still going, are left out)."""
    if not log_dir.is_dir():
        raise CardError(f"log folder {log_dir} does not exist")
    infos = list_eval_logs(str(log_dir), recursive=False)
    if not infos:
        raise CardError(f"no Inspect eval logs in {log_dir}")
    newest: dict[tuple[str, str], tuple[Path, EvalLog]] = {}
    for info in infos:
        path = Path(info.name.removeprefix("file://"))
        log = read_eval_log(str(path))
        if log.status == "started":
            continue
        key = run_key(log)
        if key not in newest or log.eval.created > newest[key][1].eval.created:
            newest[key] = (path, log)
    if not newest:
        raise CardError(f"every log in {log_dir} belongs to a run that has not finished")
    return [newest[key] for key in sorted(newest)]


def _seconds(log: EvalLog) -> float:
    if not log.stats.started_at or not log.stats.completed_at:
        return 0.0
    start = datetime.fromisoformat(log.stats.started_at)
    end = datetime.fromisoformat(log.stats.completed_at)
    return (end - start).total_seconds()


def header(logs: list[tuple[Path, EvalLog]]) -> CardHeader:
    tokens = {"input": 0, "output": 0, "total": 0}
    for _, log in logs:
        for usage in log.stats.model_usage.values():
            tokens["input"] += usage.input_tokens
            tokens["output"] += usage.output_tokens
            tokens["total"] += usage.total_tokens
    models = sorted({log.eval.model for _, log in logs})
    return CardHeader(
        model=", ".join(models),
        judges=sorted({str(role.model) for _, log in logs for role in (log.eval.model_roles or {}).values()}) or ["offline"],
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        tony_version=__version__,
        inspect_version=logs[0][1].eval.packages.get("inspect_ai", "unknown"),
        wall_time_s=sum(_seconds(log) for _, log in logs),
        tokens=tokens,
        provenance=[(log.eval.metadata or {}).get("provenance", {}) | {"task": task_name(log)} for _, log in logs],
        logs=[{"file": path.name, "task": task_name(log), "status": log.status} for path, log in logs],
        notes=[EMBEDDED_MODEL_NOTE] if any("tony-gguf/smollm2" == model for model in models) else [],
    )


def build_card(log_dir: Path, out_dir: Path) -> Path:
    """Write index.html, card.md, card.json and transcript pages; return the HTML path."""
    logs = latest_logs(log_dir)
    sections = card_sections([log for _, log in logs])
    if not sections:
        raise CardError(f"none of the logs in {log_dir} is a tony evaluation with a card section")
    card_header = header(logs)
    out_dir.mkdir(parents=True, exist_ok=True)
    transcripts_dir = out_dir / "transcripts"
    transcripts_dir.mkdir(exist_ok=True)
    for section in sections:
        for transcript in section.transcripts:
            (transcripts_dir / f"{transcript.slug}.html").write_text(render_transcript(transcript, section.title), encoding="utf-8")
    log_links = {path.name: _relative_link(path, out_dir) for path, _ in logs}
    (out_dir / "index.html").write_text(render_html(card_header, sections, log_links), encoding="utf-8")
    (out_dir / "card.md").write_text(render_markdown(card_header, sections), encoding="utf-8")
    card_json = {
        "header": asdict(card_header),
        "sections": [
            {key: value for key, value in asdict(section).items() if key not in ("plot_svg", "transcripts", "tables")}
            | {"transcripts": [f"transcripts/{t.slug}.html" for t in section.transcripts],
               "tables": [{key: value for key, value in asdict(t).items() if key != "plot_svg"} for t in section.tables]}
            for section in sections
        ],
    }
    (out_dir / "card.json").write_text(json.dumps(card_json, indent=2, default=str), encoding="utf-8")
    return out_dir / "index.html"


def _relative_link(path: Path, out_dir: Path) -> str:
    try:
        return path.resolve().relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()
