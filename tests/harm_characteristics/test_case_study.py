"""Rauh et al. 2022: the characteristics table and the classifier case study's numbers."""

import pytest
from inspect_ai import eval as inspect_eval

from tony.core.harm import HarmProfile
from tony.core.plugin import evaluations
from tony.evals.harm_characteristics.card import case_study_section, characteristics_table, ran_tasks
from tony.evals.harm_characteristics.case_study import CONTROL, IDENTITY_GROUPS, IDENTITY_TEMPLATES, harm_classifier_case_study, items
from tony.evals.harm_characteristics.metrics import context_shift, definition_agreement, identity_shifts

HARM_TASKS = {"refusals", "overrefusals", "jailbreaks", "alignment_faking", "gopher_toxicity",
              "gopher_occupation_bias", "gopher_winogender", "gopher_sentiment_bias"}


def test_identity_shift_is_the_mean_difference_to_the_control_over_templates():
    scores = {(0, CONTROL): 0.1, (0, "a"): 0.4, (1, CONTROL): 0.2, (1, "a"): 0.3, (0, "b"): 0.1, (1, "b"): 0.2}
    shifts = identity_shifts(scores, CONTROL)
    assert shifts["a"].value == pytest.approx((0.3 + 0.1) / 2)
    assert shifts["b"].value == pytest.approx(0.0)
    assert context_shift(0.6, 0.2) == pytest.approx(-0.4)
    assert definition_agreement([0.7, 0.2, 0.6], [True, True, False]) == pytest.approx(1 / 3)


def test_items_cover_every_group_and_template():
    samples = items()
    identity = [s for s in samples if s.metadata["probe"] == "identity"]
    assert len(identity) == len(IDENTITY_TEMPLATES)
    assert all(s.metadata["groups"] == [CONTROL, *IDENTITY_GROUPS] and "{group}" in s.input for s in identity)
    assert {s.metadata["probe"] for s in samples} == {"context", "identity", "definition"}


def test_harm_evaluations_declare_the_six_characteristics():
    declared = {task: profile for e in evaluations() for task, profile in e.harms.items()}
    assert HARM_TASKS <= set(declared)
    assert all(isinstance(profile, HarmProfile) for profile in declared.values())


def test_the_table_lists_only_the_tasks_that_ran():
    table = characteristics_table({"gopher_toxicity", "refusals", "faithfulness"})
    assert [row[0] for row in table.rows] == ["refusals", "gopher_toxicity"]
    assert len(table.rows[0]) == len(table.columns) == 8
    assert len(characteristics_table(None).rows) >= len(HARM_TASKS)


def test_case_study_section_from_a_run(tmp_path):
    (log,) = inspect_eval(harm_classifier_case_study(), model="tony-test-scripted/model", log_dir=str(tmp_path), display="none",
                          ctl_server=False)
    assert log.status == "success"
    assert ran_tasks(log) == {"harm_classifier_case_study"}
    section = case_study_section(log)
    assert len(section.rows) == len(IDENTITY_GROUPS)
    assert section.tables[0].rows == []  # no harm-related task ran beside it
    assert len(section.tables[1].rows) == 8 and section.plot_svg.startswith("<svg")
    assert any("Definition" in note for note in section.notes)


def _case_study_log(group_scores_per_template):
    from datetime import datetime, timezone

    from inspect_ai.log import EvalConfig, EvalDataset, EvalLog, EvalSample, EvalSpec
    from inspect_ai.scorer import Score

    samples = [EvalSample(id=f"identity-{t}", epoch=1, input="A {group} person.", target="", metadata={},
                          scores={"classifier_scores": Score(value=0.0, metadata={
                              "probe": "identity", "template": t, "group_scores": scores, "score": scores[CONTROL],
                              "scorer": "offline"})})
               for t, scores in enumerate(group_scores_per_template)]
    spec = EvalSpec(created=datetime(2024, 1, 1, tzinfo=timezone.utc).isoformat(), task="harm_classifier_case_study",
                    task_registry_name="tony/harm_classifier_case_study", task_args={}, dataset=EvalDataset(),
                    model="fake/model", config=EvalConfig())
    return EvalLog(eval=spec, samples=samples)


def test_headline_names_the_shift_largest_in_size_with_its_sign_and_its_templates():
    # 12 templates; control 0.2 everywhere; group "up" +0.05 on each, group "down" −0.30 on each (missing on one).
    # The largest in size is "down" at −0.30 (the most positive, "up" at +0.05, was named before), over the 11
    # templates where both it and the control were scored (n was 12 × 3 = 36 group scores before).
    per_template = [{CONTROL: 0.2, "up": 0.25, "down": None if t == 0 else -0.1} for t in range(12)]
    section = case_study_section(_case_study_log(per_template))
    (metric,) = section.headline_metrics
    assert metric.name == "identity-term score shift (down)"
    assert metric.value == pytest.approx(-0.30) and metric.n == 11 and metric.unit == "templates"
    assert "-0.30 [-0.30, -0.30] (down)" in section.headline and "over 11 templates" in section.headline
    assert [row[0] for row in section.rows] == ["down", "up"]  # ordered by size of the shift


def test_identity_templates_are_enough_for_a_bootstrap_interval():
    from tony.core.stats.intervals import MIN_UNITS

    assert len(IDENTITY_TEMPLATES) >= MIN_UNITS
