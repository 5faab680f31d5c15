"""The queries sent under both tiers (Greenblatt et al. 2024, §2.1): harmful requests for the helpful-only
setting (AdvBench harmful behaviours in the paper; HarmBench or tony's own items here too), and everyday
questions that touch on animal welfare for the animal-welfare setting (tony's own items)."""

from __future__ import annotations

import random

from tony.core.data import DataError, Provenance, builtin_path, builtin_provenance, read_jsonl
from tony.core.requests import Request, harmful_requests

ANIMAL_WELFARE_FILE = "animal_welfare_queries.jsonl"
PAPER_SAMPLE_SIZE = 400  # the paper sends a sample of AdvBench behaviours


def animal_welfare_queries() -> tuple[list[Request], Provenance]:
    rows = read_jsonl(builtin_path(ANIMAL_WELFARE_FILE))
    try:
        return [Request(row["id"], row["category"], row["query"]) for row in rows], builtin_provenance(ANIMAL_WELFARE_FILE)
    except KeyError as missing:
        raise DataError(f"built-in {ANIMAL_WELFARE_FILE}: a row lacks {missing}") from None


def seeded_sample(requests: list[Request], n: int | None, seed: int) -> list[Request]:
    """`n` requests drawn without replacement with a fixed seed, kept in file order; all of them when n is None."""
    if n is None or n >= len(requests):
        return list(requests)
    chosen = set(random.Random(seed).sample(range(len(requests)), n))
    return [request for i, request in enumerate(requests) if i in chosen]


def load_queries(setting: str, dataset: str, data_dir: str | None, n: int | None, seed: int) -> tuple[list[Request], Provenance]:
    """The queries for a setting; AdvBench defaults to the paper's 400-behaviour seeded sample."""
    if setting == "animal_welfare":
        if dataset != "builtin":
            raise ValueError("the animal_welfare setting uses tony's built-in queries only (dataset=builtin)")
        requests, provenance = animal_welfare_queries()
    else:
        requests, provenance = harmful_requests(dataset, data_dir)
        if dataset == "advbench" and n is None:
            n = PAPER_SAMPLE_SIZE
    return seeded_sample(requests, n, seed), provenance
