"""Grade-school math word problems with a numeric answer: tony's built-in ones, or GSM8K's test split.

Built-in problems (`tony/builtin/math_word_problems.jsonl`) are written by the tony authors in the style of
GSM8K (Cobbe et al. 2021, arXiv:2110.14168); GSM8K comes through the data registry. A seeded sample keeps the
same problems across runs and models.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tony.core.answers import gsm8k_reference, normalize_number
from tony.core.data import DataError, Provenance, builtin_path, builtin_provenance, read_jsonl, resolve_files

BUILTIN_FILE = "math_word_problems.jsonl"
DATASETS = ("builtin", "gsm8k")


@dataclass(frozen=True)
class MathProblem:
    id: str
    question: str
    answer: str  # canonical number (tony.core.answers.normalize_number)


def builtin_math_problems() -> tuple[list[MathProblem], Provenance]:
    path = builtin_path(BUILTIN_FILE)
    problems = []
    for row in read_jsonl(path):
        answer = normalize_number(str(row["answer"]))
        if answer is None:
            raise DataError(f"{path.name}:{row.get('id')}: answer is not a number")
        problems.append(MathProblem(str(row["id"]), str(row["question"]), answer))
    return problems, builtin_provenance(BUILTIN_FILE)


def gsm8k_problems(data_dir: str | None = None, allow_download: bool | None = None) -> tuple[list[MathProblem], Provenance]:
    """GSM8K's 1,319 test problems, each with the number after `####` as its answer."""
    (file,), provenance = resolve_files("gsm8k", ["test.jsonl"], data_dir, allow_download)
    rows = read_jsonl(file.path)
    return [MathProblem(f"gsm8k:test:{i}", row["question"], gsm8k_reference(row["answer"])) for i, row in enumerate(rows)], provenance


def math_problems(dataset: str, n: int | None = None, seed: int = 0,
                  data_dir: str | None = None) -> tuple[list[MathProblem], Provenance]:
    """The problems of `dataset` ("builtin" or "gsm8k"); with `n`, a seeded sample of n of them (file order kept)."""
    if dataset == "builtin":
        problems, provenance = builtin_math_problems()
    elif dataset == "gsm8k":
        problems, provenance = gsm8k_problems(data_dir)
    else:
        raise ValueError(f"unknown dataset {dataset!r}; choose from {', '.join(DATASETS)}")
    if n is not None and n < len(problems):
        chosen = set(random.Random(seed).sample(range(len(problems)), n))
        problems = [problem for i, problem in enumerate(problems) if i in chosen]
    return problems, provenance
