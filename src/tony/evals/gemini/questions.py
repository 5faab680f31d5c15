"""Multiple-choice questions for the Gemini MMLU protocols: MMLU's test, dev and validation splits, or tony's own.

MMLU (Hendrycks et al. 2021) comes through the data registry: the test split is asked, the dev split (5 per
subject) gives the few-shot examples, the validation split tunes the routing threshold of uncertainty-routed
CoT@k. The built-in run uses tony's own four-option items (`tony/builtin/mcq.jsonl`, three subjects), split the
same way within each subject by file order: the first 5 are the shots, the next 7 the validation split, the
rest the test split.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from tony.core.data import DataError, Provenance, builtin_path, builtin_provenance, file_names, read_jsonl, resolve_files

LETTERS = ("A", "B", "C", "D")
BUILTIN_FILE = "mcq.jsonl"
BUILTIN_SHOTS, BUILTIN_VAL = 5, 7  # per subject, in file order; the rest is the test split
SPLITS = ("test", "val", "dev")


@dataclass(frozen=True)
class MCQuestion:
    id: str
    subject: str
    split: str  # test, val or dev
    question: str
    choices: tuple[str, ...]
    answer: str  # A-D


def builtin_questions() -> tuple[dict[str, list[MCQuestion]], Provenance]:
    """tony's own items by split."""
    by_subject: dict[str, list[dict]] = {}
    for row in read_jsonl(builtin_path(BUILTIN_FILE)):
        by_subject.setdefault(str(row["domain"]), []).append(row)
    splits: dict[str, list[MCQuestion]] = {split: [] for split in SPLITS}
    for subject, rows in by_subject.items():
        for index, row in enumerate(rows):
            split = "dev" if index < BUILTIN_SHOTS else "val" if index < BUILTIN_SHOTS + BUILTIN_VAL else "test"
            splits[split].append(MCQuestion(f"builtin:{row['id']}", subject, split, str(row["question"]),
                                            tuple(str(c) for c in row["choices"]), str(row["answer"])))
    return splits, builtin_provenance(BUILTIN_FILE)


def mmlu_questions(data_dir: str | None = None, allow_download: bool | None = None) -> tuple[dict[str, list[MCQuestion]], Provenance]:
    """MMLU's test, validation and dev questions, by split."""
    names = [name for split in SPLITS for name in file_names("mmlu", f"{split}/")]
    files, provenance = resolve_files("mmlu", names, data_dir, allow_download)
    splits: dict[str, list[MCQuestion]] = {split: [] for split in SPLITS}
    for file in files:
        split = file.name.split("/")[0]
        subject = Path(file.name).stem.rsplit("_", 1)[0]
        splits[split].extend(_read_csv(file.path, subject, split))
    return splits, provenance


def _read_csv(path: Path, subject: str, split: str) -> list[MCQuestion]:
    questions = []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if len(row) != 6 or row[5].strip() not in LETTERS:
                raise DataError(f"{path}:{number}: expected question, four options and a letter A-D")
            questions.append(MCQuestion(f"mmlu:{subject}:{split}:{number}", subject, split, row[0],
                                        tuple(row[1:5]), row[5].strip()))
    return questions


def stratified_sample(questions: list[MCQuestion], per_subject: int | None, seed: int) -> list[MCQuestion]:
    """`per_subject` questions of each subject (seeded; all where None), interleaved across subjects so that
    any prefix spans the subjects."""
    by_subject: dict[str, list[MCQuestion]] = {}
    for question in questions:
        by_subject.setdefault(question.subject, []).append(question)
    chosen = []
    for subject in sorted(by_subject):
        pool = by_subject[subject]
        if per_subject is not None and per_subject < len(pool):
            pool = random.Random(f"{seed}:{subject}").sample(pool, per_subject)
        chosen.append(pool)
    return [pool[i] for i in range(max((len(p) for p in chosen), default=0)) for pool in chosen if i < len(pool)]


def shots_for(question: MCQuestion, dev: list[MCQuestion], count: int) -> list[MCQuestion]:
    """The first `count` dev questions of the question's subject (MMLU's 5-shot protocol)."""
    pool = [shot for shot in dev if shot.subject == question.subject]
    if len(pool) < count:
        raise DataError(f"only {len(pool)} dev questions for {question.subject}, need {count} shots")
    return pool[:count]
