"""Which logs make the card: the newest finished log of each run (name and task arguments)."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from inspect_ai import Task, task, task_with
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog
from inspect_ai.scorer import match

from tests.scripted_model import RateModel  # registers tony-test-rate
from tony.card.build import card_sections, header, latest_logs
from tony.card.format import format_ci
from tony.card.logs import run_timing
from tony.card.render import render_html, render_markdown, summary_rows
from tony.card.scorecard import measured_metrics
from tony.card.section import HeadlineMetric, Section, task_name
from tony.core.stats.adaptive import SequentialRule
from tony.core.stats.adaptive_stopping import HeadlineStopper
from tony.core.plugin import Evaluation, Paper, evaluations, register, unregister
from tony.core.stats.intervals import Interval, wilson_interval
from tony.evals.alignment_faking.task import alignment_faking


def _run(tmp_path, **options):
    inspect_eval(alignment_faking(queries=1, **options), model="tony-test-scripted/x", log_dir=str(tmp_path),
                 display="none", ctl_server=False)


def test_runs_with_other_arguments_are_kept_and_reruns_replaced(tmp_path):
    _run(tmp_path, setting="helpful_only")
    _run(tmp_path, setting="animal_welfare")
    _run(tmp_path, setting="animal_welfare")
    logs = latest_logs(tmp_path)
    assert sorted(log.eval.task_args["setting"] for _, log in logs) == ["animal_welfare", "helpful_only"]
    assert len(list(tmp_path.glob("*.eval"))) == 3


@task
def rate_probe(n: int = 120) -> Task:
    """Yes/no questions; the section reports the share of "yes" with its Wilson 95% interval."""
    return Task(dataset=MemoryDataset([Sample(input=f"Q{i}: yes or no?", target="yes", id=i) for i in range(n)]),
                scorer=match())


def rate_section(log: EvalLog) -> Section:
    values = [sample.scores["match"].value for sample in log.samples or [] if sample.scores]
    interval = wilson_interval(sum(value == "C" for value in values), len(values))
    return Section(task=task_name(log), title="Rate probe", headline=f"yes rate {format_ci(interval)}", method="m",
                   judge="none", columns=["n"], rows=[[len(values)]],
                   headline_metrics=[HeadlineMetric.of("yes rate", interval, len(values), "questions"),
                                     HeadlineMetric.of("no rate", Interval(1 - interval.value, 1 - interval.high,
                                                                           1 - interval.low), len(values), "questions")])


@pytest.fixture
def rate_probe_plugin() -> Iterator[Evaluation]:
    evaluations()
    evaluation = register(Evaluation(name="rate_probe", paper=Paper("tony tests", "rate probe"), position=998,
                                     tasks={"rate_probe": rate_probe}, sections={"rate_probe": rate_section}))
    yield evaluation
    unregister(evaluation.name)


def test_a_stopped_run_prints_the_rules_interval_over_the_samples_it_counted(tmp_path, rate_probe_plugin) -> None:
    """Issue 20 item 10, a replayed stop: the rule stops on its z* interval over the samples it counted; samples
    still running then are logged but in no number; headline, summary, scorecard and compare read the rule's
    interval, not a 1.96 Wilson interval over every logged sample."""
    width, min_n = 0.3, 10
    task = task_with(rate_probe(), early_stopping=HeadlineStopper(width, min_n=min_n))
    RateModel.calls = 0  # the model counts its calls on this attribute
    log = inspect_eval(task, model="tony-test-rate/0.1", display="none", log_dir=str(tmp_path), max_connections=4)[0]
    metadata = log.results.early_stopping.metadata
    n, successes = metadata["n"], metadata["successes"]
    assert metadata["stopped"] and len(log.samples) > n  # samples in flight at the stop were logged
    # Replay the stop from the logged scores, in the order the rule counted them.
    value_of = {(str(s.id), s.epoch): s.scores["match"].value == "C" for s in log.samples}
    outcomes = [value_of[(str(i), e)] for i, e in metadata["counted"]]
    rule = SequentialRule(width, min_n, 120)
    stops = [m for m in range(min_n, len(outcomes) + 1) if rule.decide(sum(outcomes[:m]), m).stop]
    assert len(outcomes) == n and stops == [n] and sum(outcomes) == successes
    replayed = rule.decide(int(successes), n)
    assert (replayed.low, replayed.high) == (metadata["low"], metadata["high"])

    [section] = card_sections([log])
    yes, no = section.headline_metrics
    assert (yes.value, yes.low, yes.high, yes.n) == (successes / n, replayed.low, replayed.high, n)
    assert (no.low, no.high) == pytest.approx((1 - replayed.high, 1 - replayed.low), abs=1e-12)
    assert section.headline == f"yes rate {successes / n:.2f} [{replayed.low:.2f}, {replayed.high:.2f}]"
    assert section.samples == len(log.samples)  # the card still counts what the log holds
    assert f"over the {n} samples the stopping rule counted ({len(log.samples) - n} that were" in section.notes[-1]
    [measured, _] = measured_metrics(section_list := [section])
    assert (measured.low, measured.high) == (replayed.low, replayed.high)  # the scorecard's and compare's reading
    rows = summary_rows(section_list)
    assert rows[0].ci == f"[{replayed.low:.2f}, {replayed.high:.2f}]"


def test_a_run_without_ci_width_keeps_its_own_interval(tmp_path, rate_probe_plugin) -> None:
    RateModel.calls = 0
    log = inspect_eval(rate_probe(n=12), model="tony-test-rate/0.5", display="none", log_dir=str(tmp_path))[0]
    [section] = card_sections([log])
    k = sum(sample.scores["match"].value == "C" for sample in log.samples)
    expected = wilson_interval(k, 12)
    assert (section.headline_metrics[0].low, section.headline_metrics[0].high) == (expected.low, expected.high)
    assert not section.notes


def _timed(log: EvalLog, start: str, end: str, scoring_s: float) -> EvalLog:
    """The log with its run's start and end set, and every sample's scorers span set to `scoring_s` seconds."""
    log.stats.started_at, log.stats.completed_at = start, end
    for sample in log.samples:
        begin = next(e for e in sample.events if e.event == "span_begin" and e.type == "scorers")
        end_event = next(e for e in sample.events if e.event == "span_end" and e.id == begin.id)
        end_event.timestamp = begin.timestamp + timedelta(seconds=scoring_s)
    return log


def test_header_prints_the_real_wall_clock_a_per_run_table_and_the_judge_set_read(tmp_path, rate_probe_plugin) -> None:
    """Issue 20 item 20 / issue 22 item 3: two runs that overlapped (10:00:00–10:05:00 and 10:01:00–10:04:00) took
    300 s of wall clock, not 300 + 180 = 480 s; a run that reads a judge set names it."""
    RateModel.calls = 0
    first = inspect_eval(rate_probe(n=3), model="tony-test-rate/0.5", display="none", log_dir=str(tmp_path))[0]
    second = inspect_eval(rate_probe(n=2), model="tony-test-rate/0.5", display="none", log_dir=str(tmp_path))[0]
    first = _timed(first, "2026-01-01T10:00:00+00:00", "2026-01-01T10:05:00+00:00", 0.5)
    second = _timed(second, "2026-01-01T10:01:00+00:00", "2026-01-01T10:04:00+00:00", 0.25)
    second.eval.metadata = {"judge_set": {"judge": "step_judge", "split": "test", "file": "step_judge.test.jsonl",
                                          "sha256": "ab" * 32}}
    card = header([(Path("a.eval"), first), (Path("b.eval"), second)])
    assert (card.wall_time_s, card.run_time_s) == (300.0, 480.0)
    assert [(run["wall_time_s"], run["model_calls"], run["judge_time_s"]) for run in card.runs] == [
        (300.0, 3, 1.5), (180.0, 2, 0.5)]
    assert card.provenance[1]["text"] == ("judge set step_judge (test split: tony/core/judges/judge_sets/step_judge.test.jsonl, "
                                          "sha256 abababababababab…, tony's own items)")
    assert card.provenance[0]["text"] == "no data provenance recorded in its log"
    sections = card_sections([first, second])
    html, markdown = render_html(card, sections, {}), render_markdown(card, sections)
    line = "300 s from the first run's start to the last run's end; the runs' own wall times add up to 480 s"
    assert line.replace("'", "&#39;") in html and line in markdown and "None" not in markdown.split("## Scorecard")[0]
    assert "<td>rate_probe</td><td>300.0 s</td><td>3 (0 cached)</td><td>0</td><td>1.5 s</td>" in html
    assert "| rate_probe | 180.0 s | 2 (0 cached) | 0 | 0.5 s |" in markdown


def test_a_run_whose_log_has_no_scorer_spans_says_judge_time_n_a(tmp_path, rate_probe_plugin) -> None:
    RateModel.calls = 0
    log = inspect_eval(rate_probe(n=2), model="tony-test-rate/0.5", display="none", log_dir=str(tmp_path))[0]
    for sample in log.samples:
        sample.events = [event for event in sample.events if getattr(event, "type", None) != "scorers"]
    assert run_timing(Path("x.eval"), log).cells()[-1] == "n/a"


def test_header_warns_when_a_run_was_judged_by_another_judge_version(tmp_path, rate_probe_plugin) -> None:
    """The card's validation figures are of the judges as they are now: a run judged by another version says so."""
    from tony.core.judges.validation import registered_judges
    from tony.core.plugin import JUDGES_KEY

    RateModel.calls = 0
    current, stale = (inspect_eval(rate_probe(n=2), model="tony-test-rate/0.5", display="none", log_dir=str(tmp_path))[0]
                      for _ in range(2))
    now = registered_judges()["caveats"].version
    current.eval.metadata = {JUDGES_KEY: {"caveats": now}}
    stale.eval.metadata = {JUDGES_KEY: {"caveats": now + "-old", "refusal": registered_judges()["refusal"].version}}
    notes = header([(Path("a.eval"), current), (Path("b.eval"), stale)]).notes
    assert [note for note in notes if note.startswith("Judged by another judge version")] == [
        f"Judged by another judge version: {task_name(stale)} was judged by caveats v{now}-old (now v{now}); the "
        "validation figures shown are of the current version. Write the card into a new --out folder to re-judge it."]
