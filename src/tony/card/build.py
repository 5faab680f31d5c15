"""Build the system card (HTML, Markdown, JSON) from Inspect eval logs, without calling any model."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from inspect_ai.log import EvalLog

from tony import __version__
from tony.card.format import format_interval
from tony.card.header import CardHeader
from tony.card.logs import (
    CardError,
    LogSelection,
    card_wall_clock,
    entry,
    latest_logs,
    logs_of_files,
    run_key,
    run_timing,
    select_logs,
)
from tony.card.render import render_html, render_markdown, render_transcript
from tony.card.scorecard import card_scorecard, scorecard_json
from tony.card.trust import trust_json
from tony.card.section import Section, registered_task, task_name, transcript_slug
from tony.core.stats.adaptive_stopping import RuleInterval, counted_view, rule_interval, rule_interval_note, stopping_note
from tony.core.plugin import JUDGES_KEY, LIMIT_KEY, Family, SectionBuilder, evaluations

RESERVED_IDS = ("card-trust", "card-scorecard", "card-summary", "card-contents", "card-run")  # ids of the card's own parts, which no section may take


def section_builders() -> dict[str, SectionBuilder]:
    """Registered task -> section builder, for every registered evaluation, in the card's order."""
    return {task: builder for evaluation in evaluations() for task, builder in evaluation.sections.items()}


def families() -> list[Family]:
    """Groups of tasks whose logs are also summarised together (e.g. one table across several runs)."""
    return [evaluation.family for evaluation in evaluations() if evaluation.family is not None]


def limit_note(log: EvalLog) -> str:
    """How a run was cut short: `--limit N` (tony card), a plain sample limit, or "" for a complete run."""
    limit = (log.eval.metadata or {}).get(LIMIT_KEY)
    if limit is not None:
        return f"--limit {limit}"
    sample_limit = log.eval.config.limit
    if sample_limit is None:
        return ""
    return f"sample limit {sample_limit}" if isinstance(sample_limit, int) else f"samples {sample_limit[0]}-{sample_limit[1]}"


def _annotated(section: Section, logs: list[EvalLog], registered: str = "") -> Section:
    """The card's part of a section: its task, its logs, how they were limited, and their errored samples."""
    section.registered = registered
    section.log_files = [Path(log.location).name for log in logs if log.location]
    notes = (note for log in logs for note in (limit_note(log), stopping_note(log.results and log.results.early_stopping)))
    section.limited = "; ".join(dict.fromkeys(note for note in notes if note))
    section.samples = sum(len(log.samples or []) for log in logs)
    section.errored = sum(1 for log in logs for sample in log.samples or [] if sample.error)
    return section


def _rule_metrics(section: Section, rule: RuleInterval) -> list[tuple[int, bool]]:
    """The headline metrics that are the rule's rate (or 1 − it) over the rule's n: (index, whether complemented)."""
    found = []
    for index, metric in enumerate(section.headline_metrics):
        if metric.n != rule.n or metric.value is None:
            continue
        for complement, rate in ((False, rule.rate), (True, 1 - rule.rate)):
            if abs(metric.value - rate) < 1e-9:
                found.append((index, complement))
                break
    return found


def with_rule_interval(section: Section, logs: list[EvalLog], summary: bool = False) -> Section:
    """A run stopped by `tony card --ci-width` prints the rule's interval (issue 20 item 10): each headline metric
    that is the rule's rate (or 1 − it) over the samples it counted takes the rule's z* interval, in the headline
    sentence too, and a note says so (in a family's summary, only where one of its metrics is a run's rule rate)."""
    for log in logs:
        rule = rule_interval(log.results and log.results.early_stopping)
        if rule is None:
            continue
        found = _rule_metrics(section, rule)
        if not found and summary:
            continue
        for index, complement in found:
            metric = section.headline_metrics[index]
            printed = format_interval(metric.value, metric.low, metric.high)
            metric.low, metric.high = (1 - rule.high, 1 - rule.low) if complement else (rule.low, rule.high)
            section.headline = section.headline.replace(printed, format_interval(metric.value, metric.low, metric.high))
        names = ", ".join(section.headline_metrics[index].name for index, _ in found)
        section.notes.append(rule_interval_note(names, rule, len(log.samples or [])))
    return section


def _section(builder: SectionBuilder, log: EvalLog) -> Section:
    """A run's section from the samples its stopping rule counted (the whole log where no rule stopped it), with the
    rule's interval; the card annotates it with the full log."""
    return with_rule_interval(builder(counted_view(log)), [log])


def unique_anchors(sections: list[Section]) -> None:
    """Give every section an HTML id from its run name, numbered where two runs share one."""
    taken = set(RESERVED_IDS)
    for section in sections:
        base = transcript_slug(section.task.split("/")[-1]).lower() or "section"
        anchor, number = base, 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor)
        section.anchor = anchor


def card_sections(logs: list[EvalLog]) -> list[Section]:
    """One section per log with a builder, in the card's order of tasks; a family's summary and then its logs'
    sections (in the family's task order) stand where the family's first log would."""
    builders = section_builders()
    order = list(builders)
    # Tasks in the card's order; several runs of one task by run name, so `tony card` and `tony report` agree.
    logs = sorted(logs, key=lambda log: (order.index(registered_task(log)) if registered_task(log) in order else len(order),
                                         task_name(log)))
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
                             key=lambda m: (family.tasks.index(registered_task(m)), task_name(m)))
            summary = family.summary([counted_view(member) for member in members])
            sections.append(_annotated(with_rule_interval(summary, members, summary=True), members))
            sections += [_annotated(_section(builders[registered_task(m)], m), [m], registered_task(m)) for m in members]
        elif task in builders:
            sections.append(_annotated(_section(builders[task], log), [log], task))
    unique_anchors(sections)
    return sections


EMBEDDED_MODEL_NOTE = (
    "The model under test is SmolLM2-135M-Instruct (4-bit), tony's embedded offline default. It is a very small "
    "model: it often fails to follow the answer format, tends to copy answers that appear in its prompt, and "
    "rarely refuses harmful requests. Its numbers show what tony measures, not what a capable model does."
)


def data_source(log: EvalLog) -> dict[str, Any]:
    """What a run read, for the header: its dataset's provenance, or the judge set a judge check reads, or that the
    log records neither; `text` is the card's line."""
    metadata = log.eval.metadata or {}
    provenance, judge_set = metadata.get("provenance"), metadata.get("judge_set")
    if provenance:
        p = provenance
        text = (f"{p.get('dataset')} ({p.get('kind')}, {p.get('files')} file(s), sha256 {str(p.get('sha256') or '')[:16]}…, "
                f"from {p.get('origin')}, licence: {p.get('licence')})")
        return {**provenance, "task": task_name(log), "text": text}
    if judge_set:
        j = judge_set
        text = (f"judge set {j.get('judge')} ({j.get('split')} split: tony/core/judges/judge_sets/{j.get('file')}, "
                f"sha256 {str(j.get('sha256') or '')[:16]}…, tony's own items)")
        return {"task": task_name(log), "judge_set": judge_set, "text": text}
    return {"task": task_name(log), "text": "no data provenance recorded in its log"}


def run_failure(log: EvalLog) -> str:
    """'' for a run whose every sample succeeded; else one line saying what failed and the first error."""
    errored = [sample for sample in log.samples or [] if sample.error]
    if not errored and log.status == "success":
        return ""
    message = errored[0].error.message if errored and errored[0].error else (log.error.message if log.error else "")
    reason = readable_error(message)[:200] or log.status
    counted = f"{len(errored)} of {len(log.samples or [])} samples errored" if log.samples else "the run failed"
    return f"{task_name(log)}: {counted} ({reason})"


def readable_error(message: str) -> str:
    """A sample's error as one line; tenacity's `RetryError(<Future ... raised X>)` becomes `X, after retries`."""
    retried = re.search(r"RetryError\(<Future .* raised (\w+)>\)", message)
    return f"{retried.group(1)}, after retries" if retried else " ".join(message.split())


def judge_version_notes(logs: list[tuple[Path, EvalLog]]) -> list[str]:
    """A warning per run whose verdicts came from an offline judge version other than this tony's: the card's
    validation figures (trust table, corrections) are those of the judge as it is now, not of the one that judged."""
    from tony.core.judges.validation import registered_judges

    current = {name: spec.version for name, spec in registered_judges().items()}
    notes = []
    for _, log in logs:
        recorded = (log.eval.metadata or {}).get(JUDGES_KEY) or {}
        changed = [f"{judge} v{version} (now v{current.get(judge, 'gone')})" for judge, version in sorted(recorded.items())
                   if current.get(judge) != version]
        if changed:
            notes.append(f"Judged by another judge version: {task_name(log)} was judged by {', '.join(changed)}; the "
                         "validation figures shown are of the current version. Write the card into a new --out folder to "
                         "re-judge it.")
    return notes


def header(logs: list[tuple[Path, EvalLog]], selection: LogSelection | None = None) -> CardHeader:
    tokens = {"input": 0, "output": 0, "total": 0}
    for _, log in logs:
        for usage in log.stats.model_usage.values():
            tokens["input"] += usage.input_tokens
            tokens["output"] += usage.output_tokens
            tokens["total"] += usage.total_tokens
    models = sorted({log.eval.model for _, log in logs})
    failures = [failure for _, log in logs if (failure := run_failure(log))]
    notes = [f"FAILED: {len(failures)} of {len(logs)} runs had errors; errored samples are left out of every "
             f"number, never counted as passes. {'; '.join(failures)}"] if failures else []
    if selection is not None:
        notes += [f"Partial log (not in the card; run `tony card` again to finish it): {item.file} ({item.task}, "
                  f"{item.status}, {item.samples} samples)" for item in selection.partial]
        notes += [f"Skipped: {problem}" for problem in selection.unreadable]
    notes += judge_version_notes(logs)
    entries = [entry(path, log) for path, log in logs] + (selection.partial if selection else [])
    timings = [run_timing(path, log) for path, log in logs]
    return CardHeader(
        model=", ".join(models),
        judges=sorted({str(role.model) for _, log in logs for role in (log.eval.model_roles or {}).values()}) or ["offline"],
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        tony_version=__version__,
        inspect_version=logs[0][1].eval.packages.get("inspect_ai", "unknown"),
        wall_time_s=card_wall_clock(timings),
        tokens=tokens,
        provenance=[data_source(log) for _, log in logs],
        logs=[asdict(item) | {"status": _status_text(item.status, item.state, item.errored, item.samples)} for item in entries],
        notes=notes + ([EMBEDDED_MODEL_NOTE] if any("tony-gguf/smollm2" == model for model in models) else []),
        failures=failures,
        run_time_s=sum(timing.wall_time_s or 0.0 for timing in timings),
        runs=[asdict(timing) for timing in timings],
    )


def _status_text(status: str, state: str, errored: int, samples: int) -> str:
    if state == "partial":
        return f"partial ({status}, {samples} samples), not in the card"
    return f"{status}, {errored} of {samples} samples errored" if errored or status != "success" else status


def mark_failed_sections(sections: list[Section], logs: list[tuple[Path, EvalLog]]) -> None:
    """Put a run's failure at the front of its section's headline, where a reader looks first."""
    failure_of = {path.name: failure for path, log in logs if (failure := run_failure(log))}
    for section in sections:
        failures = [failure_of[name] for name in section.log_files if name in failure_of]
        if failures:
            section.headline = f"FAILED — {'; '.join(failures)}. Errored samples are in no number below. {section.headline}"


def build_card(log_dir: Path, out_dir: Path, files: list[Path] | None = None) -> Path:
    """Write index.html, card.md, card.json and transcript pages from the standing logs of a folder (or from
    exactly `files`); return the HTML path."""
    selection = logs_of_files(files) if files is not None else select_logs(log_dir)
    return write_card(selection, out_dir, str(log_dir)).html


@dataclass(frozen=True)
class WrittenCard:
    html: Path
    header: CardHeader


def write_card(selection: LogSelection, out_dir: Path, source: str) -> WrittenCard:
    """Write the card of the selected logs. Transcript pages of earlier builds are removed."""
    logs = selection.standing
    sections = card_sections([log for _, log in logs])
    if not sections:
        raise CardError(f"none of the logs in {source} is a tony evaluation with a card section")
    mark_failed_sections(sections, logs)
    card_header = header(logs, selection)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_transcripts(sections, out_dir / "transcripts")
    log_links = {path.name: _relative_link(path, out_dir) for path, _ in logs}
    if selection.folder is not None:
        log_links |= {item.file: _relative_link(selection.folder / item.file, out_dir) for item in selection.partial}
    rows = card_scorecard(sections)
    (out_dir / "index.html").write_text(render_html(card_header, sections, log_links, rows), encoding="utf-8")
    (out_dir / "card.md").write_text(render_markdown(card_header, sections, log_links, rows), encoding="utf-8")
    card_json = {
        "header": asdict(card_header),
        "trust": trust_json(sections),
        "scorecard": [scorecard_json(row) for row in rows],
        "sections": [
            {key: value for key, value in asdict(section).items() if key not in ("plot_svg", "transcripts", "tables")}
            | {"transcripts": [f"transcripts/{t.slug}.html" for t in section.transcripts],
               "tables": [{key: value for key, value in asdict(t).items() if key != "plot_svg"} for t in section.tables]}
            for section in sections
        ],
    }
    (out_dir / "card.json").write_text(json.dumps(card_json, indent=2, default=str), encoding="utf-8")
    return WrittenCard(out_dir / "index.html", card_header)


def write_transcripts(sections: list[Section], folder: Path) -> None:
    """Write this card's transcript pages and remove every other page in the folder (left by earlier builds)."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {f"{transcript.slug}.html": (transcript, section.title) for section in sections for transcript in section.transcripts}
    for stale in folder.glob("*.html"):
        if stale.name not in pages:
            stale.unlink()
    for name, (transcript, title) in pages.items():
        (folder / name).write_text(render_transcript(transcript, title), encoding="utf-8")


def _relative_link(path: Path, out_dir: Path) -> str:
    try:
        return path.resolve().relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()
