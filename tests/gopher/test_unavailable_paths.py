"""A model without raw completion or log-probabilities (Inspect's mock model): the card says what was not measured."""

from inspect_ai import eval as inspect_eval

from tony.evals.gopher.bias import gopher_occupation_bias
from tony.evals.gopher.bias_card import occupation_bias_section
from tony.evals.gopher.card import toxicity_section, toxicity_summary_section
from tony.evals.gopher.toxicity import gopher_toxicity


def test_raw_variant_and_likelihood_are_marked_unavailable(tmp_path):
    logs = inspect_eval([gopher_toxicity(prompts=1, k=2, variant="raw", toxicity_scorer="offline"),
                         gopher_toxicity(prompts=1, k=2, variant="dialogue", toxicity_scorer="offline"),
                         gopher_occupation_bias(occupations=1, templates=1)],
                        model="tony-test-scripted/model", log_dir=str(tmp_path), display="none", ctl_server=False)
    raw, dialogue, occupation = logs
    assert all(log.status == "success" for log in logs)
    assert raw.samples[0].metadata["continuations"] is None
    assert "not available" in toxicity_section(raw).title
    assert len(dialogue.samples[0].scores["continuation_toxicity"].metadata["scores"]) == 2
    summary = toxicity_summary_section([raw, dialogue])
    assert "not available" in summary.rows[0][4] and summary.rows[1][2] == 1
    section = occupation_bias_section(occupation)
    assert "not available" in section.title and "log-probabilities" in section.headline
