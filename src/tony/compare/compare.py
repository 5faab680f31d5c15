"""Pair two folders' results metric by metric and test each difference B − A (see `tony.compare.stats`).

Items are paired by (run, sample id): a metric is compared **paired** over the items both runs scored, when every
item the two share an id with also shares its input; otherwise it is compared **unpaired** over all items of each,
and says so. Several epochs of an item are averaged first (the item is the unit that is resampled).
A card's headline metrics are aggregates with their own intervals: their difference gets an unpaired MOVER interval and
no test (the significance flags come from the per-sample rows, where the items are known).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tony.compare.items import CompareError, ItemKey, RunScores, ScoreValue, Side
from tony.compare.stats import (bootstrap_mean, fisher_exact_p, holm, mcnemar_exact, mover_difference, newcombe_unpaired,
                                paired_bootstrap, unpaired_bootstrap)
from tony.card.section import HeadlineMetric
from tony.core.stats import Interval, paired_difference_interval, wilson_interval

ALPHA = 0.05
MAX_CATEGORIES = 12  # a text score with more distinct values is free text (e.g. an answer), not a verdict
HEADLINE_METHOD = ("unpaired, not tested: MOVER interval from the two cards' 95% intervals (a headline is an aggregate "
                   "whose items are tested, paired, in the per-sample rows)")
CORRECTION = "Holm–Bonferroni"


@dataclass
class MetricComparison:
    """One compared metric: each run's value with its 95% interval, the difference B − A, its test and verdict."""

    name: str  # "run/scorer", "run/scorer=category" (per-sample scores) or "run/headline name" (a card headline)
    run: str
    source: str  # "per-sample scores" or "card headline"
    paired: bool
    method: str  # the interval and the test, in words
    n_a: int  # items (or the card's n) in A
    n_b: int
    n_paired: int | None  # items compared pairwise (None: unpaired)
    a: Interval
    b: Interval
    difference: Interval  # B − A
    p: float | None  # None: no test possible
    discordant: tuple[int, int] | None = None  # (passed by A only, by B only), paired binary metrics
    note: str = ""
    aliases: tuple[str, ...] = ()  # names a gate may use
    p_holm: float | None = None
    significant: bool | None = None


@dataclass
class Comparison:
    a: Side
    b: Side
    rows: list[MetricComparison]
    notes: list[str] = field(default_factory=list)
    alpha: float = ALPHA
    correction: str = CORRECTION

    @property
    def tests(self) -> int:
        return sum(1 for row in self.rows if row.p is not None)


def compare_sides(a: Side, b: Side) -> Comparison:
    """Every metric both folders hold (the cards' headline metrics first, then per-sample scores), compared, with
    Holm's correction over all of them."""
    notes: list[str] = []
    rows = [compare_headline(run, metric, a.headlines[run, metric], b.headlines[run, metric])
            for run, metric in sorted(set(a.headlines) & set(b.headlines))]
    for run in sorted(set(a.runs) & set(b.runs)):
        rows += compare_run(a.runs[run], b.runs[run], notes)
    only = sorted(set(a.runs) ^ set(b.runs))
    if only:
        notes.append(f"runs in only one folder, not compared: {', '.join(only)}")
    if not rows:
        raise CompareError(f"A ({a.folder}) and B ({b.folder}) have no metric in common (A's runs: "
                           f"{', '.join(sorted(a.runs)) or 'none'}; B's runs: {', '.join(sorted(b.runs)) or 'none'})")
    for row, adjusted in zip(rows, holm([row.p for row in rows])):
        row.p_holm = adjusted
        row.significant = None if adjusted is None else adjusted < ALPHA
    return Comparison(a, b, rows, notes + a.notes + b.notes)


def compare_run(a: RunScores, b: RunScores, notes: list[str]) -> list[MetricComparison]:
    rows = []
    for name in sorted(set(a.fields) & set(b.fields)):
        categories = {value for value in (*a.fields[name].values(), *b.fields[name].values()) if isinstance(value, str)}
        if len(categories) > MAX_CATEGORIES:
            notes.append(f"{a.run}/{name}: not compared, {len(categories)} distinct text values (free text, not categories)")
            continue
        for metric, values_a, values_b in indicators(name, a.fields[name], b.fields[name]):
            rows.append(compare_items(f"{a.run}/{metric}", a.run, values_a, values_b, a.inputs, b.inputs))
    only = sorted(set(a.fields) ^ set(b.fields))
    if only:
        notes.append(f"{a.run}: scores in only one folder, not compared: {', '.join(only)}")
    return rows


def indicators(name: str, a: dict[ItemKey, ScoreValue], b: dict[ItemKey, ScoreValue]
               ) -> list[tuple[str, dict[ItemKey, float], dict[ItemKey, float]]]:
    """A numeric score as it is; a categorical one as one 0/1 metric per category seen in either run."""
    if all(isinstance(value, float) for value in (*a.values(), *b.values())):
        return [(name, dict(a), dict(b))]  # type: ignore[arg-type]
    categories = sorted({str(value) for value in (*a.values(), *b.values())})
    return [(f"{name}={category}", {key: float(str(value) == category) for key, value in a.items()},
             {key: float(str(value) == category) for key, value in b.items()}) for category in categories]


def per_item(values: dict[ItemKey, float], inputs: dict[ItemKey, str]) -> tuple[dict[str, float], dict[str, str], int]:
    """Values by sample id (epochs averaged), each id's input fingerprint, and the most epochs of an item."""
    grouped: dict[str, list[float]] = defaultdict(list)
    for (sample_id, _), value in values.items():
        grouped[sample_id].append(value)
    fingerprints = {sample_id: inputs.get(key, "") for key in values for sample_id in [key[0]]}
    epochs = max((len(group) for group in grouped.values()), default=0)
    return {sample_id: sum(group) / len(group) for sample_id, group in grouped.items()}, fingerprints, epochs


def compare_items(name: str, run: str, values_a: dict[ItemKey, float], values_b: dict[ItemKey, float],
                  inputs_a: dict[ItemKey, str], inputs_b: dict[ItemKey, str]) -> MetricComparison:
    a, fingerprints_a, epochs_a = per_item(values_a, inputs_a)
    b, fingerprints_b, epochs_b = per_item(values_b, inputs_b)
    shared = sorted(set(a) & set(b))
    differing = [item for item in shared if fingerprints_a[item] != fingerprints_b[item]]
    binary = all(value in (0.0, 1.0) for value in (*a.values(), *b.values()))
    notes = [f"mean over up to {max(epochs_a, epochs_b)} epochs per item"] if max(epochs_a, epochs_b) > 1 else []
    aliases = (name, name.split("/", 1)[1], name.rsplit("/", 1)[1])
    if shared and not differing:
        left_out = len(a) + len(b) - 2 * len(shared)
        if left_out:
            notes.append(f"{len(a) - len(shared)} item(s) of A and {len(b) - len(shared)} of B not in both, left out")
        pairs = [(a[item], b[item]) for item in shared]
        row = paired_binary(pairs) if binary else paired_scores(pairs)
    else:
        if differing:
            notes.append(f"{len(differing)} item(s) share an id but not their input, so nothing is paired")
        elif not shared:
            notes.append("no item in both runs")
        row = unpaired_binary(list(a.values()), list(b.values())) if binary else unpaired_scores(list(a.values()), list(b.values()))
    return MetricComparison(name=name, run=run, source="per-sample scores", n_a=len(a), n_b=len(b),
                            note="; ".join(notes), aliases=tuple(dict.fromkeys(aliases)), **row)


def paired_binary(pairs: list[tuple[float, float]]) -> dict[str, object]:
    both = sum(1 for x, y in pairs if x and y)
    a_only = sum(1 for x, y in pairs if x and not y)
    b_only = sum(1 for x, y in pairs if y and not x)
    neither = len(pairs) - both - a_only - b_only
    n = len(pairs)
    return dict(paired=True, method="paired: Newcombe hybrid score interval (method 10), McNemar exact test",
                n_paired=n, a=wilson_interval(both + a_only, n), b=wilson_interval(both + b_only, n),
                difference=paired_difference_interval(both, b_only, a_only, neither), p=mcnemar_exact(a_only, b_only),
                discordant=(a_only, b_only))


def paired_scores(pairs: list[tuple[float, float]]) -> dict[str, object]:
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    difference, p = paired_bootstrap(a, b)
    return dict(paired=True, method="paired: bootstrap over items (percentile interval and p)", n_paired=len(pairs),
                a=bootstrap_mean(a), b=bootstrap_mean(b), difference=difference, p=p)


def unpaired_binary(a: list[float], b: list[float]) -> dict[str, object]:
    sa, sb = int(sum(a)), int(sum(b))
    return dict(paired=False, method="unpaired: Newcombe hybrid score interval (method 10), Fisher exact test",
                n_paired=None, a=wilson_interval(sa, len(a)), b=wilson_interval(sb, len(b)),
                difference=newcombe_unpaired(sb, len(b), sa, len(a)), p=fisher_exact_p(sb, len(b), sa, len(a)))


def unpaired_scores(a: list[float], b: list[float]) -> dict[str, object]:
    difference, p = unpaired_bootstrap(a, b)
    return dict(paired=False, method="unpaired: bootstrap of each run's items (percentile interval and p)",
                n_paired=None, a=bootstrap_mean(a), b=bootstrap_mean(b), difference=difference, p=p)


def compare_headline(run: str, metric: str, first: HeadlineMetric, second: HeadlineMetric) -> MetricComparison:
    """A headline metric of both cards: B − A with the MOVER interval from the cards' own intervals, unpaired and
    untested (its items are tested, paired, in the per-sample rows)."""
    a, b = Interval(first.value, first.low, first.high), Interval(second.value, second.low, second.high)
    difference = mover_difference(b, a)
    short = metric.split(" (")[0] if metric.endswith(")") else metric
    name = f"{run}/{metric}"
    return MetricComparison(name=name, run=run, source="card headline", paired=False,
                            method=HEADLINE_METHOD,
                            n_a=first.n or 0, n_b=second.n or 0, n_paired=None, a=a, b=b, difference=difference, p=None,
                            aliases=tuple(dict.fromkeys((name, metric, short))))
