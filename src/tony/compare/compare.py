"""Pair two folders' results metric by metric and test each difference B − A (see `tony.compare.stats`).

Only the same measurement is compared: a run whose settings differ between A and B (task arguments, scorers, the
grader, an item's scoring settings; see `tony.compare.settings`) is listed as not comparable, naming the settings,
and none of its metrics (nor a card headline read from it) is compared.
Items are paired by (run, sample id): a metric is compared **paired** over the items both runs scored, when every
item the two share an id with also shares its input; otherwise it is compared **unpaired** over all items of each,
and says so. Several epochs of an item are averaged first (the item is the unit that is resampled).
An `unparsed` or `uncertain` verdict is no verdict: it is left out of the rate's denominator, as the cards do, and
counted per side (so is a text where a score is a number: the reason it has none).
A bootstrap below MIN_BOOTSTRAP_UNITS units, or one with no spread, gives the difference without interval or test.
A card's headline metrics are aggregates with their own intervals: their difference gets an unpaired MOVER interval and
no test (the significance flags come from the per-sample rows, where the items are known).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from tony.compare.items import CompareError, ItemKey, RunScores, ScoreValue, Side
from tony.compare.settings import NotComparable, group_differences, run_differences
from tony.compare.stats import (MIN_BOOTSTRAP_UNITS, bootstrap_mean, fisher_exact_p, holm, mcnemar_exact,
                                mover_difference, newcombe_unpaired, paired_bootstrap, unpaired_bootstrap)
from tony.card.section import HeadlineMetric
from tony.core.judges.grader import UNCERTAIN, UNPARSED
from tony.core.stats.intervals import UNDEFINED, Interval, paired_difference_interval, wilson_interval

ALPHA = 0.05
MAX_CATEGORIES = 12  # a text score with more distinct values is free text (e.g. an answer), not a verdict
HEADLINE_METHOD = ("unpaired, not tested: MOVER interval from the two cards' 95% intervals (a headline is an aggregate "
                   "whose items are tested, paired, in the per-sample rows)")
CORRECTION = "Holm–Bonferroni"
NO_VERDICT = (UNPARSED, UNCERTAIN)  # left out of every category's denominator and counted
TOO_FEW = "n too small"
NO_SPREAD = "no spread: every resample gives the same difference"


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
    untested: str = ""  # why a per-sample metric has no test (TOO_FEW, NO_SPREAD, no decided item)
    left_out_a: dict[str, int] = field(default_factory=dict)  # verdicts left out of A's denominator, by label
    left_out_b: dict[str, int] = field(default_factory=dict)


@dataclass
class Metric:
    """One compared quantity of a run: per-item values in A and in B, and the verdicts left out on each side."""

    name: str
    a: dict[ItemKey, float]
    b: dict[ItemKey, float]
    left_out_a: dict[str, int] = field(default_factory=dict)
    left_out_b: dict[str, int] = field(default_factory=dict)


@dataclass
class Comparison:
    a: Side
    b: Side
    rows: list[MetricComparison]
    notes: list[str] = field(default_factory=list)
    alpha: float = ALPHA
    correction: str = CORRECTION
    not_comparable: list[NotComparable] = field(default_factory=list)

    @property
    def tests(self) -> int:
        return sum(1 for row in self.rows if row.p is not None)

    def untested(self, reason: str) -> int:
        return sum(1 for row in self.rows if row.untested == reason)


def compare_sides(a: Side, b: Side) -> Comparison:
    """Every metric both folders hold (the cards' headline metrics first, then per-sample scores) where both runs are
    the same measurement, compared, with Holm's correction over all of them; the other runs listed, not compared."""
    notes: list[str] = []
    shared = sorted(set(a.runs) & set(b.runs))
    differing = {run: lines for run in shared for lines in [run_differences(a.runs[run], b.runs[run])] if lines}
    excluded = {run: NotComparable(run, lines, metric_names(a.runs[run], b.runs[run])) for run, lines in differing.items()}
    rows = []
    for run, metric in sorted(set(a.headlines) & set(b.headlines)):
        reasons = group_differences(run, a.headline_runs.get((run, metric), ()), b.headline_runs.get((run, metric), ()),
                                    differing)
        if reasons is not None:
            entry = excluded.setdefault(run, NotComparable(run, []))
            entry.differences += [line for line in reasons if line not in entry.differences]
            entry.metrics += list(headline_aliases(run, metric))
            continue
        rows.append(compare_headline(run, metric, a.headlines[run, metric], b.headlines[run, metric]))
    for run in shared:
        if run not in differing:
            rows += compare_run(a.runs[run], b.runs[run], notes)
            if a.runs[run].limited != b.runs[run].limited:
                notes.append(f"{run}: A {a.runs[run].limited or 'complete'}, B {b.runs[run].limited or 'complete'}; a "
                             "limit with the same settings only cuts the items, and the items run in both are compared")
    only = sorted(set(a.runs) ^ set(b.runs))
    if only:
        notes.append(f"runs in only one folder, not compared: {', '.join(only)}")
    if not rows and not excluded:
        raise CompareError(f"A ({a.folder}) and B ({b.folder}) have no metric in common (A's runs: "
                           f"{', '.join(sorted(a.runs)) or 'none'}; B's runs: {', '.join(sorted(b.runs)) or 'none'})")
    for row, adjusted in zip(rows, holm([row.p for row in rows])):
        row.p_holm = adjusted
        row.significant = None if adjusted is None else adjusted < ALPHA
    return Comparison(a, b, rows, notes + a.notes + b.notes, not_comparable=[excluded[run] for run in sorted(excluded)])


def metric_names(a: RunScores, b: RunScores) -> list[str]:
    """The names a run's per-sample metrics would have (so that a gate on one of them fails, naming why)."""
    return [alias for name in sorted(set(a.fields) & set(b.fields))
            for metric in indicators(name, a.fields[name], b.fields[name]) for alias in aliases_of(f"{a.run}/{metric.name}")]


def aliases_of(name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((name, name.split("/", 1)[1], name.rsplit("/", 1)[1])))


def headline_aliases(run: str, metric: str) -> tuple[str, ...]:
    short = metric.split(" (")[0] if metric.endswith(")") else metric
    return tuple(dict.fromkeys((f"{run}/{metric}", metric, short)))


def compare_run(a: RunScores, b: RunScores, notes: list[str]) -> list[MetricComparison]:
    rows = []
    for name in sorted(set(a.fields) & set(b.fields)):
        values = [value for value in (*a.fields[name].values(), *b.fields[name].values())]
        categories = {value for value in values if isinstance(value, str) and value not in NO_VERDICT}
        if len(categories) > MAX_CATEGORIES and not any(isinstance(value, float) for value in values):
            notes.append(f"{a.run}/{name}: not compared, {len(categories)} distinct text values (free text, not categories)")
            continue
        for metric in indicators(name, a.fields[name], b.fields[name]):
            rows.append(compare_items(f"{a.run}/{metric.name}", a.run, metric, a.inputs, b.inputs))
    only = sorted(set(a.fields) ^ set(b.fields))
    if only:
        notes.append(f"{a.run}: scores in only one folder, not compared: {', '.join(only)}")
    return rows


def indicators(name: str, a: dict[ItemKey, ScoreValue], b: dict[ItemKey, ScoreValue]) -> list[Metric]:
    """A numeric score as it is, over the items that have a number (a text beside numbers, e.g. `unparsed`, is why an
    item has none: left out and counted); a categorical one as one 0/1 metric per category seen in either run, over
    the items with a verdict (`unparsed` and `uncertain` are left out of the denominator and counted)."""
    if any(isinstance(value, float) for value in (*a.values(), *b.values())):
        return [Metric(name, _numbers(a), _numbers(b), _texts(a), _texts(b))]
    decided_a = {key: str(value) for key, value in a.items() if value not in NO_VERDICT}
    decided_b = {key: str(value) for key, value in b.items() if value not in NO_VERDICT}
    left_a = dict(Counter(str(value) for value in a.values() if value in NO_VERDICT))
    left_b = dict(Counter(str(value) for value in b.values() if value in NO_VERDICT))
    categories = sorted(set(decided_a.values()) | set(decided_b.values()))
    return [Metric(f"{name}={category}", {key: float(value == category) for key, value in decided_a.items()},
                   {key: float(value == category) for key, value in decided_b.items()}, left_a, left_b)
            for category in categories]


def _numbers(values: dict[ItemKey, ScoreValue]) -> dict[ItemKey, float]:
    return {key: value for key, value in values.items() if isinstance(value, float)}


def _texts(values: dict[ItemKey, ScoreValue]) -> dict[str, int]:
    return dict(Counter(value for value in values.values() if isinstance(value, str)))


def per_item(values: dict[ItemKey, float], inputs: dict[ItemKey, str]) -> tuple[dict[str, float], dict[str, str], int]:
    """Values by sample id (epochs averaged), each id's input fingerprint, and the most epochs of an item."""
    grouped: dict[str, list[float]] = defaultdict(list)
    for (sample_id, _), value in values.items():
        grouped[sample_id].append(value)
    fingerprints = {sample_id: inputs.get(key, "") for key in values for sample_id in [key[0]]}
    epochs = max((len(group) for group in grouped.values()), default=0)
    return {sample_id: sum(group) / len(group) for sample_id, group in grouped.items()}, fingerprints, epochs


def compare_items(name: str, run: str, metric: Metric, inputs_a: dict[ItemKey, str],
                  inputs_b: dict[ItemKey, str]) -> MetricComparison:
    a, fingerprints_a, epochs_a = per_item(metric.a, inputs_a)
    b, fingerprints_b, epochs_b = per_item(metric.b, inputs_b)
    shared = sorted(set(a) & set(b))
    differing = [item for item in shared if fingerprints_a[item] != fingerprints_b[item]]
    binary = all(value in (0.0, 1.0) for value in (*a.values(), *b.values()))
    notes = [f"mean over up to {max(epochs_a, epochs_b)} epochs per item"] if max(epochs_a, epochs_b) > 1 else []
    notes += [f"{side} left out (no verdict): {left_out_text(left)}"
              for side, left in (("A", metric.left_out_a), ("B", metric.left_out_b)) if left]
    if not a or not b:
        row: dict[str, object] = dict(paired=False, method="not tested: no decided item in " + ("A" if not a else "B"),
                                      n_paired=None, a=mean_only(list(a.values())), b=mean_only(list(b.values())),
                                      difference=UNDEFINED, p=None, untested="no decided item")
    elif shared and not differing:
        left_out = len(a) + len(b) - 2 * len(shared)
        if left_out:
            notes.append(f"{len(a) - len(shared)} item(s) of A and {len(b) - len(shared)} of B not scored (or without "
                         "a verdict) in both, left out")
        pairs = [(a[item], b[item]) for item in shared]
        row = paired_binary(pairs) if binary else paired_scores(pairs)
    else:
        if differing:
            notes.append(f"{len(differing)} item(s) share an id but not their input, so nothing is paired")
        elif not shared:
            notes.append("no item in both runs with a verdict")
        row = unpaired_binary(list(a.values()), list(b.values())) if binary else unpaired_scores(list(a.values()), list(b.values()))
    return MetricComparison(name=name, run=run, source="per-sample scores", n_a=len(a), n_b=len(b),
                            note="; ".join(notes), aliases=aliases_of(name), left_out_a=dict(metric.left_out_a),
                            left_out_b=dict(metric.left_out_b), **row)  # type: ignore[arg-type]


def left_out_text(left: dict[str, int]) -> str:
    return ", ".join(f"{count} {label}" for label, count in sorted(left.items())) or "0"


def mean_only(values: list[float]) -> Interval:
    """A mean without an interval (too few units to read one from)."""
    return Interval(sum(values) / len(values), None, None) if values else UNDEFINED


def paired_binary(pairs: list[tuple[float, float]]) -> dict[str, object]:
    both = sum(1 for x, y in pairs if x and y)
    a_only = sum(1 for x, y in pairs if x and not y)
    b_only = sum(1 for x, y in pairs if y and not x)
    neither = len(pairs) - both - a_only - b_only
    n = len(pairs)
    return dict(paired=True, method="paired: Newcombe hybrid score interval (method 10), McNemar exact test (exact at "
                "any n)", n_paired=n, a=wilson_interval(both + a_only, n), b=wilson_interval(both + b_only, n),
                difference=paired_difference_interval(both, b_only, a_only, neither), p=mcnemar_exact(a_only, b_only),
                discordant=(a_only, b_only))


def paired_scores(pairs: list[tuple[float, float]]) -> dict[str, object]:
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    if len(pairs) < MIN_BOOTSTRAP_UNITS:
        return dict(paired=True, method=f"paired, not tested: fewer than {MIN_BOOTSTRAP_UNITS} items for a bootstrap",
                    n_paired=len(pairs), a=mean_only(a), b=mean_only(b),
                    difference=Interval(sum(y - x for x, y in pairs) / len(pairs), None, None), p=None, untested=TOO_FEW)
    difference, p = paired_bootstrap(a, b)
    return dict(paired=True, method="paired: bootstrap over items (percentile interval and p)", n_paired=len(pairs),
                a=bootstrap_mean(a), b=bootstrap_mean(b), difference=difference, p=p,
                untested="" if p is not None else NO_SPREAD)


def unpaired_binary(a: list[float], b: list[float]) -> dict[str, object]:
    sa, sb = int(sum(a)), int(sum(b))
    return dict(paired=False, method="unpaired: Newcombe hybrid score interval (method 10), Fisher exact test (exact "
                "at any n)", n_paired=None, a=wilson_interval(sa, len(a)), b=wilson_interval(sb, len(b)),
                difference=newcombe_unpaired(sb, len(b), sa, len(a)), p=fisher_exact_p(sb, len(b), sa, len(a)))


def unpaired_scores(a: list[float], b: list[float]) -> dict[str, object]:
    if min(len(a), len(b)) < MIN_BOOTSTRAP_UNITS:
        return dict(paired=False, method=f"unpaired, not tested: fewer than {MIN_BOOTSTRAP_UNITS} items in a run "
                    "for a bootstrap", n_paired=None, a=mean_only(a), b=mean_only(b),
                    difference=Interval(sum(b) / len(b) - sum(a) / len(a), None, None), p=None, untested=TOO_FEW)
    difference, p = unpaired_bootstrap(a, b)
    return dict(paired=False, method="unpaired: bootstrap of each run's items (percentile interval and p)",
                n_paired=None, a=bootstrap_mean(a), b=bootstrap_mean(b), difference=difference, p=p,
                untested="" if p is not None else NO_SPREAD)


def compare_headline(run: str, metric: str, first: HeadlineMetric, second: HeadlineMetric) -> MetricComparison:
    """A headline metric of both cards: B − A with the MOVER interval from the cards' own intervals, unpaired and
    untested (its items are tested, paired, in the per-sample rows)."""
    a, b = Interval(first.value, first.low, first.high), Interval(second.value, second.low, second.high)
    difference = mover_difference(b, a)
    return MetricComparison(name=f"{run}/{metric}", run=run, source="card headline", paired=False,
                            method=HEADLINE_METHOD, n_a=first.n or 0, n_b=second.n or 0, n_paired=None, a=a, b=b,
                            difference=difference, p=None, aliases=headline_aliases(run, metric))
