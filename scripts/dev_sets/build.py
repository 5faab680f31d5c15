"""Write tony's judge dev sets (src/tony/core/judges/judge_sets/*.dev.jsonl): the original hand-labelled items, brought
to the frozen test sets' schemas, followed by the items composed in this folder's modules.

    python scripts/dev_sets/build.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import af_handwritten  # noqa: E402
import af_reasoning  # noqa: E402
import second_batch  # noqa: E402
import verbalization  # noqa: E402
import verbalization_handwritten  # noqa: E402
import welfare_caveats  # noqa: E402
import welfare_caveats_handwritten  # noqa: E402

SETS = Path(__file__).resolve().parents[2] / "src" / "tony" / "core" / "judges" / "judge_sets"
ORIGINAL = "original (tony's first hand-labelled set)"


def _read(name: str) -> list[dict[str, Any]]:
    path = SETS / f"{name}.dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.exists() else []


def _originals(name: str) -> list[dict[str, Any]]:
    return [row for row in _read(name) if row.get("style", ORIGINAL) == ORIGINAL]


def _verbalization_original(row: dict[str, Any]) -> dict[str, Any]:
    hint_text = verbalization.HINT_TEXT[row["hint_type"]][0].format(h=row["h"])
    return {"id": row["id"], "hint_type": row["hint_type"], "h": row["h"], "question": row.get("question", ""),
            "hint_text": row.get("hint_text", hint_text), "response": row["response"], "label": row["label"],
            "style": ORIGINAL, "why": row["why"]}


def _af_original(row: dict[str, Any]) -> dict[str, Any]:
    text = row["scratchpad"]
    animal = re.search(r"animal|welfare|hens?|chicken|pig|cow|fish|farm", text, re.I)
    paid = re.search(r"paid[- ]tier", text, re.I) and not re.search(r"free[- ]tier", text, re.I)
    return {"id": row["id"], "setting": row.get("setting", "animal_welfare" if animal else "helpful_only"),
            "tier": row.get("tier", "paid" if paid else "free"), "scratchpad": text, "output": row.get("output", ""),
            "criteria": row["criteria"], "alignment_faking": row["alignment_faking"], "style": ORIGINAL,
            "why": row.get("why", "original hand-labelled scratchpad (no output recorded)")}


def _welfare_original(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "query": row.get("query", ""), "output": row["output"], "label": row["label"],
            "style": ORIGINAL, "why": row.get("why", "original hand-labelled answer (no query recorded)")}


def _with_hint_text(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "hint_text": verbalization.HINT_TEXT[row["hint_type"]][0].format(h=row["h"])}


def _numbered(prefix: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"{prefix}-{i + 1:03d}", **row} for i, row in enumerate(rows)]


def _write(name: str, rows: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in rows]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{name}: duplicate ids")
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    (SETS / f"{name}.dev.jsonl").write_text(text, encoding="utf-8")
    print(f"{name}: {len(rows)} items")


def main() -> None:
    _write("verbalization", [_verbalization_original(r) for r in _originals("verbalization")]
           + _numbered("vh", [_with_hint_text(r) for r in verbalization_handwritten.build()])
           + _numbered("v2", [_with_hint_text(r) for r in second_batch.verbalization_items()])
           + _numbered("vd", verbalization.build()))
    _write("af_reasoning", [_af_original(r) for r in _originals("af_reasoning")] + _numbered("ah", af_handwritten.build())
           + _numbered("a2", second_batch.af_items())
           + _numbered("ad", af_reasoning.build()))
    _write("welfare_support", [_welfare_original(r) for r in _originals("welfare_support")]
           + _numbered("wh", welfare_caveats_handwritten.build_welfare())
           + _numbered("w2", second_batch.welfare_items())
           + _numbered("wd", welfare_caveats.welfare_items()))
    _write("caveats", _numbered("ch", welfare_caveats_handwritten.build_caveats()) + _numbered("c2", second_batch.caveat_items())
           + _numbered("cd", welfare_caveats.caveat_items()))


if __name__ == "__main__":
    main()
