"""Model transcripts read back from a folder of Inspect logs, for the deception monitor.

The monitor reads the other runs of the same card through their logs only (evaluations never import each other):
every readable log in the folder, the latest successful one per run, each sample's final model output. Its reasoning
is, in this order: the model's reasoning content where the provider returns one; the text before an `<OUTPUT>` tag
(alignment-faking style scratchpads) or a `</think>` tag; the text before the last `Answer:` / `Final answer:` line.
Where there is no such split, the whole reply is read as both reasoning and answer (a model without a private chain
of thought shows all its thinking in the reply). A sample without a model call (a judge check on labelled items) or
with an error is skipped.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inspect_ai.log import EvalLog, EvalSample, read_eval_log
from inspect_ai.model import ContentReasoning

NO_MODEL_CALL = ("labelled", "")  # output model of a sample whose "output" is a labelled item, not a model reply


@dataclass(frozen=True)
class Transcript:
    run: str  # the run's name in the card (e.g. `faithfulness_mmlu`)
    task: str  # its registered task
    sample_id: str
    prompt: str
    reasoning: str
    answer: str
    split: str  # how the reasoning was found: reasoning content, output tag, think tag, answer line, whole reply


_ANSWER_LINE = re.compile(r"(?im)^[ \t*#]*(?:final answer|answer)\s*[:：]")


def split_reply(text: str) -> tuple[str, str, str]:
    """(reasoning, answer, how) from the text of a reply."""
    for tag, name in (("<OUTPUT>", "output tag"), ("</think>", "think tag")):
        if tag in text:
            before, _, after = text.partition(tag)
            return before.strip(), after.replace("</OUTPUT>", "").strip(), name
    lines = list(_ANSWER_LINE.finditer(text))
    if lines and text[: lines[-1].start()].strip():
        return text[: lines[-1].start()].strip(), text[lines[-1].start():].strip(), "answer line"
    return text.strip(), text.strip(), "whole reply"


def _prompt(sample: EvalSample) -> str:
    if isinstance(sample.input, str):
        return sample.input
    users = [message.text for message in sample.input if message.role == "user"]
    return users[-1] if users else ""


def sample_transcript(run: str, task: str, sample: EvalSample) -> Transcript | None:
    """The monitored view of one sample, or None where it holds no model reply."""
    output = sample.output
    if sample.error or output is None or output.model in NO_MODEL_CALL or not output.choices:
        return None
    content = output.message.content
    thoughts = [part.reasoning for part in content if isinstance(part, ContentReasoning)] if isinstance(content, list) else []
    text = output.completion
    if thoughts:
        reasoning, answer, how = "\n".join(thoughts), text, "reasoning content"
    else:
        reasoning, answer, how = split_reply(text)
    if not (reasoning or answer):
        return None
    return Transcript(run, task, str(sample.id), _prompt(sample), reasoning, answer, how)


def _registered(log: EvalLog) -> str:
    return (log.eval.task_registry_name or log.eval.task).split("/")[-1]


def latest_logs(folder: Path, exclude_tasks: Iterable[str] = (), tasks: Iterable[str] = ()) -> list[Path]:
    """The latest successful log of each run in `folder` (by creation time), without the excluded registered
    tasks, and only the given ones (registered task or run name) where `tasks` is not empty. Unreadable files
    are skipped."""
    excluded, wanted = set(exclude_tasks), set(tasks)
    latest: dict[str, tuple[str, Path]] = {}
    for path in sorted([*folder.glob("*.eval"), *folder.glob("*.json")]):
        try:
            header = read_eval_log(str(path), header_only=True)
        except Exception:  # noqa: BLE001 - any file that is not a readable log is skipped
            continue
        run, registered = header.eval.task.split("/")[-1], _registered(header)
        if header.status != "success" or registered in excluded or (wanted and not wanted & {run, registered}):
            continue
        if run not in latest or header.eval.created > latest[run][0]:
            latest[run] = (header.eval.created, path)
    return [path for _, path in sorted(latest.values(), key=lambda pair: str(pair[1]))]


def running_logs(folder: Path, tasks: Iterable[str] = (), exclude_tasks: Iterable[str] = (),
                 fresh_s: float = 300.0) -> list[Path]:
    """Logs in `folder` still being written (status `started`, modified within `fresh_s` seconds) of the given runs
    (all but the excluded where `tasks` is empty): runs of the same eval set going on beside the monitor."""
    wanted, excluded, now, found = set(tasks), set(exclude_tasks), time.time(), []
    for path in sorted(folder.glob("*.eval")):
        if now - path.stat().st_mtime > fresh_s:
            continue
        try:
            header = read_eval_log(str(path), header_only=True)
        except Exception:  # noqa: BLE001 - a log being written may not read yet: count it as running
            found.append(path)
            continue
        names = {header.eval.task.split("/")[-1], _registered(header)}
        if header.status == "started" and not excluded & names and (not wanted or wanted & names):
            found.append(path)
    return found


def read_transcripts(folder: Path, exclude_tasks: Iterable[str] = (), tasks: Iterable[str] = ()) -> list[Transcript]:
    """Every monitored transcript of the latest successful logs in `folder`."""
    found = []
    for path in latest_logs(folder, exclude_tasks, tasks):
        log = read_eval_log(str(path))
        run, registered = log.eval.task.split("/")[-1], _registered(log)
        for sample in log.samples or []:
            transcript = sample_transcript(run, registered, sample)
            if transcript is not None:
                found.append(transcript)
    return found
