"""SimpleQA, TruthfulQA and BBQ on the embedded model with a few items: every item scored, nothing errored."""

import math

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
    log = _run(simpleqa(max_tokens=8), tmp_path, limit=2)
    labels = [sample.scores["simpleqa_grade"].answer for sample in log.samples]
    decided = [label for label in labels if label in ("CORRECT", "INCORRECT", "NOT_ATTEMPTED")]
    section = simpleqa_section(log)
    # the card's row is the tally of the logged grades, counted here independently
    assert section.rows[0][1:6] == [len(decided), decided.count("CORRECT"), decided.count("INCORRECT"),
                                    decided.count("NOT_ATTEMPTED"), len(labels) - len(decided)]

    log = _run(truthfulqa(), tmp_path, limit=1)
    section = truthfulqa_section(log)
    assert section.data["n"] == 1 and section.data["unavailable"] == 0  # the embedded model exposes log-probabilities
    meta = log.samples[0].metadata
    true = [math.exp(meta["logprobs"][o]) for o, label in meta["mc2_targets"].items() if label == 1]
    false = [math.exp(meta["logprobs"][o]) for o, label in meta["mc2_targets"].items() if label != 1]
    assert section.data["mc2"]["value"] == pytest.approx(sum(true) / (sum(true) + sum(false)))  # Lin et al. MC2

    log = _run(bbq(categories="Age", max_tokens=2), tmp_path)
    section = bbq_section(log)
    assert {row[0] for row in section.rows} == {"generation", "likelihood"}
    likelihood_all = next(row for row in section.rows if row[:2] == ["likelihood", "all"])
    assert likelihood_all[2:5] == [1, 1, 0]  # one ambiguous, one disambiguated item; likelihood never unparsed
    # the likelihood answer is the option with the highest logged log-probability, scored against the item's label
    for sample in log.samples:
        logprobs = sample.metadata["logprobs"]
        chosen = max(range(3), key=logprobs.__getitem__)
        assert sample.scores["bbq_answer"].metadata["answers"]["likelihood"]["chosen"] == chosen
