"""The Gemini capability sections of the system card (MMLU protocols, GSM8K maj1@k), from the eval logs alone."""

from __future__ import annotations

from typing import Any

from inspect_ai.log import EvalLog

from tony.card.format import format_ci
from tony.card.plots import bar_chart_with_intervals
from tony.card.section import HeadlineMetric, Section, Table
from tony.core.stats.intervals import UNDEFINED, Interval, wilson_interval
from tony.evals.gemini.routing import NEVER, RoutingItem, routed_accuracy, routed_answer, tune_threshold

# Gemini Team 2023, Table 2 (and §5.1.1): Gemini Ultra; GPT-4 as the report gives it.
PAPER_MMLU = {
    "greedy": "Gemini Ultra 83.7% (5-shot); GPT-4 86.4% (5-shot, reported)",
    "likelihood": "— (the report scores MMLU by generated answers)",
    "cot_at_k": "—",
    "routed": "Gemini Ultra 90.04% (CoT@32, uncertainty-routed); GPT-4 87.29% (CoT@32, via API)",
}
PAPER_GSM8K = {"greedy": "—", "maj1_at_k": "Gemini Ultra 94.4% (Maj1@32); GPT-4 92.0% (SFT & 5-shot CoT)"}
MMLU_METHOD = (
    "Gemini Team 2023 (§5.1.1, Appendix 9.1): each question is answered after {shots} solved questions of its subject "
    "(greedy letter, and the letter with the highest log-probability), and by k = {k} sampled chains of thought: "
    "CoT@k takes their majority answer; uncertainty-routed CoT@k takes it only when its share of the k samples "
    "reaches a threshold τ and otherwise falls back to the greedy answer. τ is tuned on the validation split and "
    "applied unchanged to the test split. tony's chain-of-thought prompt is zero-shot, in its own words; the report's "
    "prompts are not reproduced."
)
GSM8K_METHOD = (
    "Gemini Team 2023 (Table 2): each problem is solved greedily, and k = {k} times by sampling (temperature "
    "{temperature}); maj1@k is the majority final answer of the k samples (ties to the answer sampled first). "
    "Final answers are read after 'The answer is', else as the last number (tony.core.answers). tony's prompt is "
    "zero-shot, in its own words; the report's prompts are not reproduced."
)


def _score_rows(log: EvalLog, scorer_name: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rows = []
    for sample in log.samples or []:
        score = (sample.scores or {}).get(scorer_name)
        if score is not None and isinstance(score.value, dict):
            rows.append((score.value, score.metadata or {}))
    return rows


def _accuracy(rows: list[tuple[dict[str, Any], dict[str, Any]]], key: str) -> tuple[Interval, int]:
    values = [value[key] for value, _ in rows if key in value]
    return (wilson_interval(int(sum(values)), len(values)) if values else UNDEFINED), len(values)


def _percent(interval: Interval) -> str:
    return "not run" if interval.value is None else format_ci(interval)


def mmlu_section(log: EvalLog) -> Section:
    meta = log.eval.metadata or {}
    k, shots = int(meta.get("k", 0)), int(meta.get("shots", 0))
    rows = _score_rows(log, "mmlu_scores")
    test = [row for row in rows if row[1].get("split") == "test"]
    val_items = [RoutingItem(m["target"], m["fallback"], m["cot_majority"], m["cot_share"]) for _, m in rows
                 if m.get("split") == "val" and m.get("k")]
    test_items = [RoutingItem(m["target"], m["fallback"], m["cot_majority"], m["cot_share"]) for _, m in test if m.get("k")]
    threshold, sweep = tune_threshold(val_items, k) if val_items and test_items else (None, [])
    results: dict[str, tuple[Interval, int]] = {key: _accuracy(test, key) for key in ("greedy", "likelihood", "cot_at_k")}
    if threshold is not None:
        correct = sum(routed_answer(item, threshold) == item.correct for item in test_items)
        results["routed"] = (wilson_interval(correct, len(test_items)), len(test_items))
    else:
        results["routed"] = (UNDEFINED, 0)
    names = {"greedy": f"{shots}-shot, greedy letter", "likelihood": f"{shots}-shot, letter by log-probability",
             "cot_at_k": f"CoT@{k} (majority of {k} chains)", "routed": f"uncertainty-routed CoT@{k} (τ from validation)"}
    table = [[names[key], _percent(interval), n, k if key in ("cot_at_k", "routed") else "—", PAPER_MMLU[key]]
             for key, (interval, n) in results.items()]
    unparsed = sum(1 for value, m in test if "greedy" in value and m.get("greedy") is None)
    no_likelihood = bool(test) and all(m.get("probabilities") is None for _, m in test) and any("likelihood" not in v for v, _ in test)
    notes = [f"Test split: {len(test)} questions; validation split: {len(val_items)} questions (tune τ only); "
             f"dataset {meta.get('dataset', '?')}, sampling temperature {meta.get('temperature')}.",
             f"Greedy replies with no letter: {unparsed} (counted wrong).",
             f"Questions asked with fewer than {shots} shots (long prompts cut to fit the context): "
             f"{sum(1 for _, m in rows if m.get('shots', shots) < shots)}."]
    if no_likelihood:
        notes.append("This model exposes no prompt log-probabilities: the likelihood protocol was not run.")
    if threshold is not None:
        ties = sum(1 for _, m in test if m.get("cot_tied"))
        shown = "never (greedy only)" if threshold >= NEVER else f"{threshold:.3f}"
        notes.append(f"Tuned routing threshold τ = {shown} (best validation accuracy, lowest τ on a tie); "
                     f"{ties} test questions had a tied majority (first-sampled answer taken).")
    tables = []
    if sweep:
        tables.append(Table("Routing threshold sweep (τ: validation accuracy, and what it would give on test)",
                            ["τ", "validation accuracy", "test accuracy"],
                            [["never" if t >= NEVER else f"{t:.3f}", f"{acc:.3f}", f"{routed_accuracy(test_items, t) or 0:.3f}"]
                             for t, acc in sweep]))
    headline_metrics = [HeadlineMetric.of(f"MMLU {names[key]}", interval, n, "questions",
                                          reference=PAPER_MMLU[key] if PAPER_MMLU[key] != "—" else "")
                        for key, (interval, n) in results.items() if interval.value is not None]
    plot = bar_chart_with_intervals([names[key] for key in results], [i.value for i, _ in results.values()],
                                    [i.low for i, _ in results.values()], [i.high for i, _ in results.values()],
                                    "accuracy (test split)", references=[("Gemini Ultra, routed CoT@32", 0.9004),
                                                                         ("Gemini Ultra, 5-shot", 0.837)])
    headline = "; ".join(f"{names[key]} {_percent(interval)} (n = {n})" for key, (interval, n) in results.items()
                         if interval.value is not None) or "no scored questions"
    return Section(
        task=log.eval.task, title="Gemini Team 2023: MMLU protocols (k-shot, log-probability, CoT@k, uncertainty-routed CoT@k)",
        headline=headline, method=MMLU_METHOD.format(shots=shots, k=k),
        judge="none: exact match of the option letter", columns=["protocol", "accuracy [95% CI]", "n", "k", "paper"],
        rows=table, plot_svg=plot, reference="Gemini Team 2023, arXiv:2312.11805, Table 2 and §5.1.1",
        notes=notes, tables=tables, headline_metrics=headline_metrics,
        data={"threshold": threshold, "sweep": sweep, "k": k, "shots": shots,
              "accuracy": {key: {**interval.as_dict(), "n": n} for key, (interval, n) in results.items()}},
    )


def gsm8k_section(log: EvalLog) -> Section:
    meta = log.eval.metadata or {}
    k = int(meta.get("k", 0))
    rows = _score_rows(log, "gsm8k_scores")
    results = {key: _accuracy(rows, key) for key in ("greedy", "maj1_at_k")}
    names = {"greedy": "greedy", "maj1_at_k": f"maj1@{k}"}
    unparsed = sum(1 for _, m in rows if m.get("greedy") is None)
    ties = sum(1 for _, m in rows if m.get("tied"))
    return Section(
        task=log.eval.task, title="Gemini Team 2023: GSM8K greedy and maj1@k",
        headline="; ".join(f"{names[key]} {_percent(interval)} (n = {n})" for key, (interval, n) in results.items()
                           if interval.value is not None) or "no scored problems",
        method=GSM8K_METHOD.format(k=k, temperature=meta.get("temperature")),
        judge="none: exact match of the final number", columns=["protocol", "accuracy [95% CI]", "n", "k", "paper"],
        rows=[[names[key], _percent(interval), n, k if key != "greedy" else 1, PAPER_GSM8K[key]]
              for key, (interval, n) in results.items()],
        reference="Gemini Team 2023, arXiv:2312.11805, Table 2",
        notes=[f"Dataset {meta.get('dataset', '?')}; greedy solutions with no number: {unparsed} (counted wrong); "
               f"tied majorities: {ties} (first-sampled answer taken)."],
        headline_metrics=[HeadlineMetric.of(f"GSM8K {names[key]}", interval, n, "problems",
                                            reference=PAPER_GSM8K[key] if PAPER_GSM8K[key] != "—" else "")
                          for key, (interval, n) in results.items() if interval.value is not None],
        data={"k": k, "accuracy": {key: {**interval.as_dict(), "n": n} for key, (interval, n) in results.items()}},
    )
