"""SimpleQA, TruthfulQA and BBQ on the embedded model with a few items: every item scored, nothing errored."""

import pytest
from inspect_ai import eval as inspect_eval

from tony.evals.o1_facts_fairness.bbq import bbq
from tony.evals.o1_facts_fairness.card import bbq_section, simpleqa_section, truthfulqa_section
from tony.evals.o1_facts_fairness.simpleqa import simpleqa
from tony.evals.o1_facts_fairness.truthfulqa import truthfulqa

pytestmark = pytest.mark.model
MODEL = "tony-gguf/smollm2"
MODEL_ARGS = {"n_threads": 1}  # a pipeline check, not a throughput one (see tests/refusals)


def _run(task, tmp_path, **kwargs):
    (log,) = inspect_eval(task, model=MODEL, model_args=MODEL_ARGS, log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    assert all(sample.error is None for sample in log.samples)
    return log


def test_the_three_tasks_on_the_embedded_model(tmp_path):
    section = simpleqa_section(_run(simpleqa(max_tokens=8), tmp_path, limit=2))
    assert section.rows[0][1] + section.rows[0][5] == 2

    section = truthfulqa_section(_run(truthfulqa(), tmp_path, limit=1))
    assert section.data["n"] == 1 and section.data["unavailable"] == 0  # the embedded model exposes log-probabilities
    assert 0.0 <= section.data["mc2"]["value"] <= 1.0

    log = _run(bbq(categories="Age", max_tokens=2), tmp_path)
    section = bbq_section(log)
    assert {row[0] for row in section.rows} == {"generation", "likelihood"}
    likelihood_all = next(row for row in section.rows if row[:2] == ["likelihood", "all"])
    assert likelihood_all[2:5] == [1, 1, 0]  # one ambiguous, one disambiguated item; likelihood never unparsed
