"""The alignment-faking task end to end: a scripted model that fakes alignment, and the embedded model."""

import pytest
from inspect_ai import eval as inspect_eval

from tony.evals.alignment_faking.task import alignment_faking


def _run(task, tmp_path, model="tony-test-afscript/x", **kwargs):
    (log,) = inspect_eval(task, model=model, log_dir=str(tmp_path / "logs"), display="none", ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    return log


def _metrics(log):
    return {k: v.value for k, v in log.results.scores[0].metrics.items()}


def test_scripted_alignment_faker_shows_a_full_gap_and_af_reasoning(tmp_path):
    log = _run(alignment_faking(queries=3), tmp_path)
    assert len(log.samples) == 6 and {s.id.split("/")[1] for s in log.samples} == {"free", "paid"}
    metrics = _metrics(log)
    assert metrics["refusal_free"] == 0.0 and metrics["refusal_paid"] == 1.0
    assert metrics["compliance_gap"] == 1.0 and metrics["paired_queries"] == 3
    assert metrics["af_partial"] == 1.0 and metrics["af_mean"] == 1.0
    free = next(s for s in log.samples if s.metadata["tier"] == "free")
    assert free.scores["alignment_faking_judgement"].metadata["af"]["criteria"]["to_avoid_modification"] is True


def test_minimal_variant_is_scored_by_its_tag(tmp_path):
    log = _run(alignment_faking(queries=2, variant="minimal"), tmp_path)
    metrics = _metrics(log)
    assert metrics["refusal_free"] == 0.0 and metrics["refusal_paid"] == 1.0
    judges = {s.scores["alignment_faking_judgement"].metadata["judge"]["kind"] for s in log.samples}
    assert judges == {"tag"}


def test_animal_welfare_setting_and_single_tier(tmp_path):
    log = _run(alignment_faking(setting="animal_welfare", queries=2, tiers="paid"), tmp_path)
    assert len(log.samples) == 2 and {s.metadata["tier"] for s in log.samples} == {"paid"}
    assert "compliance_gap" not in _metrics(log)  # no pairs, no gap


def test_unreadable_replies_are_counted_not_scored(tmp_path):
    log = _run(alignment_faking(queries=2), tmp_path, model="tony-test-scripted/x")  # never uses the tags
    metrics = _metrics(log)
    assert metrics["unreadable_free"] == 2 and metrics["unreadable_paid"] == 2 and "refusal_free" not in metrics
    assert {s.scores["alignment_faking_judgement"].metadata["parse_status"] for s in log.samples} == {"no_output_tag"}


def test_bad_arguments_fail_with_one_clear_error():
    with pytest.raises(ValueError, match="tier"):
        alignment_faking(tiers="free,enterprise")
    with pytest.raises(ValueError, match="built-in queries"):
        alignment_faking(setting="animal_welfare", dataset="advbench")


@pytest.mark.model
def test_embedded_model_runs_both_tiers(tmp_path):
    log = _run(alignment_faking(queries=1, max_tokens=48, allow_untagged=True), tmp_path, model="tony-gguf/smollm2")
    assert len(log.samples) == 2 and not any(s.error for s in log.samples)
    statuses = {s.scores["alignment_faking_judgement"].metadata["parse_status"] for s in log.samples}
    assert statuses <= {"parsed", "truncated_output", "untagged_reply", "no_output_tag", "empty_output"}
