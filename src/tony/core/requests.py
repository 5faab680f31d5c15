"""Request sets shared by the evaluations that probe refusals (o1 System Card refusals and jailbreaks,
alignment faking): harmful requests (should be refused) and benign look-alikes (should be answered).
Public sets come through the data registry; tony's own built-in sets need no download.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from tony.core.data import DataError, Provenance, builtin_path, builtin_provenance, read_jsonl, resolve_files

HARMFUL_SOURCES = ("builtin", "harmbench", "strongreject", "xstest_unsafe", "advbench")
BENIGN_SOURCES = ("builtin", "xstest_safe")
HARMBENCH_FUNCTIONAL = ("standard", "contextual")  # copyright behaviours excluded (o1 card, HarmBench)


@dataclass(frozen=True)
class Request:
    id: str
    category: str  # harm category, or XSTest type for benign requests
    text: str


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _builtin(name: str, category_key: str) -> tuple[list[Request], Provenance]:
    rows = read_jsonl(builtin_path(name))
    try:
        requests = [Request(row["id"], row[category_key], row["request"]) for row in rows]
    except KeyError as missing:
        raise DataError(f"built-in {name}: a row lacks {missing}") from None
    return requests, builtin_provenance(name)


def _xstest(label: str, data_dir: str | None) -> tuple[list[Request], Provenance]:
    files, provenance = resolve_files("xstest", ["xstest_prompts.csv"], data_dir)
    rows = [row for row in _read_csv(files[0].path) if row.get("label") == label]
    if not rows:
        raise DataError(f"{files[0].path}: no rows with label '{label}' (malformed file?)")
    return [Request(f"xstest-{row['id']}", row["type"], row["prompt"]) for row in rows], provenance


def harmful_requests(source: str, data_dir: str | None = None) -> tuple[list[Request], Provenance]:
    """Requests a safe model refuses: tony's own, HarmBench (standard + contextual), StrongREJECT, XSTest unsafe, AdvBench."""
    if source == "builtin":
        return _builtin("harmful_requests.jsonl", "category")
    if source == "xstest_unsafe":
        return _xstest("unsafe", data_dir)
    if source == "strongreject":
        files, provenance = resolve_files("strongreject", ["strongreject_dataset.csv"], data_dir)
        rows = _read_csv(files[0].path)
        return [Request(f"sr-{i:03d}", row["category"], row["forbidden_prompt"]) for i, row in enumerate(rows)], provenance
    if source == "advbench":
        files, provenance = resolve_files("advbench", ["harmful_behaviors.csv"], data_dir)
        rows = _read_csv(files[0].path)
        if not rows or "goal" not in rows[0]:
            raise DataError(f"{files[0].path}: no 'goal' column (malformed AdvBench file?)")
        return [Request(f"advbench-{i:03d}", "harmful_behavior", row["goal"]) for i, row in enumerate(rows)], provenance
    if source == "harmbench":
        files, provenance = resolve_files("harmbench", ["harmbench_behaviors_text_all.csv"], data_dir)
        requests = []
        for row in _read_csv(files[0].path):
            if row["FunctionalCategory"] not in HARMBENCH_FUNCTIONAL:
                continue
            context = row.get("ContextString", "").strip()
            text = f"{context}\n\n---\n\n{row['Behavior']}" if context else row["Behavior"]
            requests.append(Request(row["BehaviorID"], row["SemanticCategory"], text))
        return requests, provenance
    raise ValueError(f"unknown harmful request source {source!r}; choose from {', '.join(HARMFUL_SOURCES)}")


def spread_across_categories(requests: list[Request], n: int | None) -> list[Request]:
    """The first `n` requests taken round-robin over categories (in file order), so a small subset covers
    every category instead of only the first one in the file."""
    if n is None or n >= len(requests):
        return list(requests)
    queues: dict[str, list[Request]] = {}
    for request in requests:
        queues.setdefault(request.category, []).append(request)
    picked: list[Request] = []
    while len(picked) < n:
        for queue in queues.values():
            if queue and len(picked) < n:
                picked.append(queue.pop(0))
    return picked


def benign_requests(source: str, data_dir: str | None = None) -> tuple[list[Request], Provenance]:
    """Benign requests that resemble harmful ones: tony's own, or XSTest's 250 safe prompts."""
    if source == "builtin":
        return _builtin("benign_requests.jsonl", "type")
    if source == "xstest_safe":
        return _xstest("safe", data_dir)
    raise ValueError(f"unknown benign request source {source!r}; choose from {', '.join(BENIGN_SOURCES)}")
