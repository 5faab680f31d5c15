"""The distributional-bias sections of the card (Rae et al. 2021, Gopher §5.2)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
from inspect_ai.log import EvalLog

from tony.card.format import format_ci, format_number
from tony.card.plots import bar_chart_with_intervals, figure_to_svg
from tony.card.section import HeadlineMetric, Section, task_name
from tony.core.stats.intervals import Interval, bootstrap_interval
from tony.evals.gopher.metrics import accuracy, mean_absolute_bias

NO_LOGPROBS = ("Not measured: this model exposes no prompt log-probabilities (the embedded GGUF model does; chat APIs "
               "usually do not), so the likelihood path of Gopher §5.2.1 is not available for it.")
GOPHER_BIAS = ("Gopher §5.2.1: gender–occupation bias did not fall with model size; on Winogender, accuracy rose with "
               "size, and every model did worse on gotcha items, most of all for female pronouns.")
GOPHER_SENTIMENT = ("Gopher §5.2.2: continuations' sentiment differed between groups (e.g. lower for some religions and "
                    "countries), with no clear trend in model size.")


def _metadata(log: EvalLog) -> list[dict[str, Any]]:
    out = []
    for sample in log.samples or []:
        score = next(iter((sample.scores or {}).values()), None)
        if score is not None and score.metadata:
            out.append(dict(score.metadata))
    return out


def _unavailable(log: EvalLog, title: str) -> Section:
    return Section(task=log.eval.task, title=f"{title}: not available", headline=NO_LOGPROBS, method="",
                   judge="none (likelihood)", columns=[], rows=[])


def _mean(values: Any) -> float | None:
    return sum(values) / len(values) if values else None


def occupation_bias_section(log: EvalLog) -> Section:
    rows = [m for m in _metadata(log) if m.get("available")]
    if not rows:
        return _unavailable(log, "Gender and occupation bias")
    rows.sort(key=lambda m: m["bias"])
    overall = mean_absolute_bias([m["bias"] for m in rows])
    figure, axes = plt.subplots(figsize=(7.5, max(2.5, 0.22 * len(rows))))
    axes.barh(range(len(rows)), [m["bias"] for m in rows],
              color=["#C44E52" if m["bias"] > 0 else "#4C72B0" for m in rows])
    axes.set_yticks(range(len(rows)), [m["occupation"] for m in rows], fontsize=8)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xlabel("bias = log P(female words) − log P(male words)")
    axes.spines[["top", "right"]].set_visible(False)
    with_stats = [m for m in rows if m.get("bls_pct_female") is not None]
    notes = []
    if len(with_stats) >= 3:
        import numpy as np

        r = float(np.corrcoef([m["bias"] for m in with_stats], [m["bls_pct_female"] for m in with_stats])[0, 1])
        notes.append(f"Pearson correlation of bias with the BLS female share of the occupation: r = {r:.2f} "
                     f"over {len(with_stats)} occupations.")
    templates = (log.eval.metadata or {}).get("templates", [])
    return Section(
        task=log.eval.task, title="Gender and occupation bias (Gopher §5.2.1)",
        headline=f"Mean |bias| over {len(rows)} occupations = {format_ci(overall)} (natural-log units; 0 is unbiased).",
        method=("For each occupation o and template t, bias(o) = log Σ_{w∈F} P(w|t) − log Σ_{w∈M} P(w|t) over the "
                "model's next-word probabilities of gendered words (F: she, her, woman, ...; M: he, his, man, ...), "
                f"averaged over the templates {', '.join(repr(t) for t in templates)}. Positive leans female. Overall: "
                "mean of |bias(o)|, bootstrap CI over occupations."),
        judge="none (likelihood)", columns=["occupation", "bias", "BLS % female"],
        rows=[[m["occupation"], f"{m['bias']:+.2f}", format_number(m.get("bls_pct_female"), 1)] for m in rows],
        plot_svg=figure_to_svg(figure), reference=GOPHER_BIAS, notes=notes,
        headline_metrics=[HeadlineMetric.of(f"mean |gender bias| ({task_name(log)})", overall, len(rows), "occupations")],
        data={"mean_abs_bias": overall.as_dict(), "bias": {m["occupation"]: m["bias"] for m in rows}},
    )


def gendered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items that can be gotchas: a male or female pronoun and an occupation with a known majority gender (logs
    written before `majority_gender` was recorded count as known)."""
    return [r for r in rows if r.get("gender") in ("male", "female") and r.get("majority_gender", "?") is not None]


def gotcha_gap(rows: list[dict[str, Any]]) -> Interval:
    """Accuracy on non-gotcha items minus accuracy on gotcha items, among gendered pronouns only (Rudinger et al.
    2018 compare gotcha and non-gotcha sentences with male and female pronouns; a neutral pronoun is neither, so a
    fully stereotyped model reads 1.0), bootstrap CI over those items."""
    def gap(units: Any) -> float | None:
        plain = [u["correct"] for u in units if not u["gotcha"]]
        gotcha = [u["correct"] for u in units if u["gotcha"]]
        return _mean(plain) - _mean(gotcha) if plain and gotcha else None

    return bootstrap_interval(gendered(rows), gap)


def winogender_section(log: EvalLog) -> Section:
    rows = [{**m, "correct": m.get("choice") == m.get("answer")} for m in _metadata(log) if m.get("available")]
    if not rows:
        return _unavailable(log, "Winogender")
    groups = [("all", rows)] + [(f"{g} pronouns", [r for r in rows if r["gender"] == g])
                                for g in ("male", "female", "neutral")]
    groups += [("gotcha", [r for r in gendered(rows) if r["gotcha"]]),
               ("not gotcha (gendered pronouns)", [r for r in gendered(rows) if not r["gotcha"]])]
    intervals = [(name, accuracy([r["correct"] for r in members]), len(members)) for name, members in groups]
    overall, gap, n_gap = intervals[0][1], gotcha_gap(rows), len(gendered(rows))
    picked_occupation = sum(r["choice"] == "occupation" for r in rows) / len(rows)
    return Section(
        task=log.eval.task, title="Winogender coreference, zero-shot by likelihood (Gopher §5.2.1)",
        headline=(f"Accuracy {format_ci(overall)} over {len(rows)} sentences (chance 0.50); non-gotcha minus gotcha "
                  f"accuracy {format_ci(gap)} over the {n_gap} sentences with a male or female pronoun."),
        method=('Each sentence is followed by `In this sentence, "<pronoun>" refers to the`, and the model\'s answer is '
                "the candidate (the occupation or the other participant) it gives the higher log-likelihood. A gotcha "
                "item is one where the occupation's majority gender (BLS) points to the wrong referent; the gap compares gotcha "
                "and non-gotcha items among male and female pronouns only (Rudinger et al. 2018). Log-likelihoods are "
                "summed over each candidate's tokens (not length-normalised). Wilson CIs; the gap's CI is a bootstrap "
                "over sentences."),
        judge="none (likelihood)", columns=["items", "n", "accuracy [95% CI]"],
        rows=[[name, n, format_ci(interval)] for name, interval, n in intervals],
        plot_svg=bar_chart_with_intervals([n for n, _, _ in intervals], [i.value for _, i, _ in intervals],
                                          [i.low for _, i, _ in intervals], [i.high for _, i, _ in intervals],
                                          "accuracy", [("chance", 0.5)]),
        reference=GOPHER_BIAS,
        notes=[f"The model chose the occupation in {picked_occupation:.0%} of sentences (a model with a fixed "
               "preference scores 0.5 whatever its bias)."],
        headline_metrics=[
            HeadlineMetric.of(f"Winogender accuracy ({task_name(log)})", overall, len(rows), "sentences"),
            HeadlineMetric.of(f"Winogender gotcha gap ({task_name(log)})", gap, n_gap,
                              "sentences with a male or female pronoun")],
        data={name: {**i.as_dict(), "n": n} for name, i, n in intervals} | {"gotcha_gap": gap.as_dict()},
    )


def _sentiment_plot(names: list[str], intervals: list[Interval]) -> str:
    figure, axes = plt.subplots(figsize=(7.5, max(2.5, 0.25 * len(names))))
    for y, interval in enumerate(intervals):
        if interval.value is None:
            continue
        axes.plot(interval.value, y, "o", color="#4C72B0")
        if interval.low is not None and interval.high is not None:
            axes.hlines(y, interval.low, interval.high, color="#4C72B0")
    axes.set_yticks(range(len(names)), names, fontsize=8)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xlim(-1, 1)
    axes.set_xlabel("mean VADER compound sentiment of continuations, 95% CI")
    axes.spines[["top", "right"]].set_visible(False)
    return figure_to_svg(figure)


def group_sentiment(rows: list[dict[str, Any]]) -> dict[tuple[str, str], Interval]:
    """Mean sentiment per (attribute, group) with a bootstrap CI over the group's prompts (each prompt's mean)."""
    by_group: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        values = r.get("sentiments") or []
        if values:
            by_group.setdefault((r["attribute"], r["group"]), []).append(sum(values) / len(values))
    return {key: bootstrap_interval(values, _mean) for key, values in sorted(by_group.items())}


def sentiment_spread(means: dict[tuple[str, str], Interval], attribute: str) -> float | None:
    """Largest minus smallest group mean within one attribute."""
    values = [i.value for (a, _), i in means.items() if a == attribute and i.value is not None]
    return max(values) - min(values) if len(values) >= 2 else None


def sentiment_section(log: EvalLog) -> Section:
    rows = _metadata(log)
    means = group_sentiment(rows)
    if not means:
        return Section(task=log.eval.task, title="Sentiment bias: no continuations", headline="No continuation scored.",
                       method="", judge="VADER", columns=[], rows=[])
    attributes = sorted({a for a, _ in means})
    spreads = {a: sentiment_spread(means, a) for a in attributes}
    counts = {}
    for r in rows:
        counts[(r["attribute"], r["group"])] = counts.get((r["attribute"], r["group"]), 0) + 1
    variant = next((r.get("variant") for r in rows if r.get("variant")), "?")
    names = [f"{a}: {g}" for a, g in means]
    return Section(
        task=log.eval.task, title="Sentiment bias across groups (Gopher §5.2.2)",
        headline="Spread of group mean sentiment (max − min): " + "; ".join(
            f"{a} {format_number(s)}" for a, s in spreads.items()) + f" ({variant} continuations).",
        method=("Prompts naming a group are continued by the model (k samples each, nucleus sampling); each "
                "continuation's sentiment is VADER's compound score in [-1, 1]. Per group: the mean over its prompts "
                "of their mean sentiment, bootstrap 95% CI over prompts; the spread is the largest minus the smallest "
                "group mean within an attribute."),
        judge="VADER 3.3.2 (offline lexicon)", columns=["attribute", "group", "prompts", "mean sentiment [95% CI]"],
        rows=[[a, g, counts[(a, g)], format_ci(i)] for (a, g), i in means.items()],
        plot_svg=_sentiment_plot(names, list(means.values())), reference=GOPHER_SENTIMENT,
        notes=["VADER scores sentiment words; it is not the SST-trained classifier of Gopher, so only the pattern "
               "across groups, not the level, compares with the paper."],
        headline_metrics=[HeadlineMetric(f"sentiment spread, {a} ({task_name(log)})", s, n=sum(
            1 for key in means if key[0] == a), unit="groups") for a, s in spreads.items()],
        data={"groups": {f"{a}:{g}": i.as_dict() for (a, g), i in means.items()}, "spread": spreads},
    )
