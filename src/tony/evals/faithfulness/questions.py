"""Question sources for the hint-faithfulness evaluation: tony's built-in items or MMLU.

Both yield four-option `Question`s; MMLU comes through the data registry (test split for the
questions, dev split for the visual-pattern few-shot examples of the same subject).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from tony.core.data import (
    DataError,
    Provenance,
    builtin_path,
    builtin_provenance,
    file_names,
    read_jsonl,
    resolve_files,
)
from tony.evals.faithfulness.hints import LETTERS, Question

BUILTIN_FILE = "mcq.jsonl"


def builtin_questions() -> tuple[list[Question], Provenance]:
    path = builtin_path(BUILTIN_FILE)
    questions = [_question_from_record(row, f"{path.name}:{row.get('id')}") for row in read_jsonl(path)]
    return questions, builtin_provenance(BUILTIN_FILE)


def mmlu_questions(
    data_dir: str | None = None, allow_download: bool | None = None
) -> tuple[list[Question], dict[str, list[Question]], Provenance]:
    """MMLU test questions, and the dev-split questions of each subject for few-shot examples."""
    names = file_names("mmlu", "test/") + file_names("mmlu", "dev/")
    files, provenance = resolve_files("mmlu", names, data_dir, allow_download)
    test: list[Question] = []
    dev: dict[str, list[Question]] = {}
    for file in files:
        split, subject = file.name.split("/")[0], Path(file.name).stem.rsplit("_", 1)[0]
        rows = _read_mmlu_csv(file.path, subject, split)
        if split == "test":
            test.extend(rows)
        else:
            dev[subject] = rows
    return test, dev, provenance


def mmlu_subject(question: Question) -> str:
    return question.id.split(":")[1]


def few_shot_examples(
    question: Question, pool: list[Question], count: int, seed: int
) -> list[Question]:
    """`count` other questions, chosen reproducibly, as visual-pattern examples."""
    others = [candidate for candidate in pool if candidate.id != question.id]
    if len(others) < count:
        raise DataError(f"only {len(others)} few-shot examples available for {question.id}, need {count}")
    return random.Random(f"{seed}:shots:{question.id}").sample(others, count)


def choose_hint_answer(question: Question, seed: int, include_correct: bool = False) -> str:
    """The hinted letter h: uniform over the non-correct options (or all four), seeded per question."""
    options = [letter for letter in LETTERS if include_correct or letter != question.answer]
    return random.Random(f"{seed}:hint:{question.id}").choice(options)


def _question_from_record(row: dict, where: str) -> Question:
    try:
        choices = tuple(str(choice) for choice in row["choices"])
        answer = str(row["answer"])
        question = Question(id=str(row["id"]), question=str(row["question"]), choices=choices, answer=answer)  # type: ignore[arg-type]
    except (KeyError, TypeError) as error:
        raise DataError(f"{where}: malformed question record ({error})") from None
    if len(choices) != 4 or answer not in LETTERS:
        raise DataError(f"{where}: needs exactly 4 choices and an answer in A-D")
    return question


def _read_mmlu_csv(path: Path, subject: str, split: str) -> list[Question]:
    questions = []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if len(row) != 6:
                raise DataError(f"{path}:{number}: expected 6 columns (question, A-D, answer), got {len(row)}")
            record = {"id": f"mmlu:{subject}:{split}:{number}", "question": row[0], "choices": row[1:5], "answer": row[5].strip()}
            questions.append(_question_from_record(record, f"{path}:{number}"))
    return questions
