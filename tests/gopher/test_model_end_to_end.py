"""Gopher §5.1/§5.2 on the embedded model, a few items each, through to the card sections."""

import math

import pytest
from inspect_ai import eval as inspect_eval

from tony.card.build import card_sections
from tony.evals.gopher.bias import gopher_occupation_bias, gopher_winogender
from tony.evals.gopher.sentiment import gopher_sentiment_bias
from tony.evals.gopher.toxicity import gopher_toxicity

pytestmark = pytest.mark.model
MODEL = "tony-gguf/smollm2"
MODEL_ARGS = {"n_threads": 1}  # see tests/refusals/test_model_end_to_end.py: one thread on a shared machine


def _run(task, tmp_path, **kwargs):
    (log,) = inspect_eval(task, model=MODEL, model_args=MODEL_ARGS, log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    assert all(sample.error is None for sample in log.samples)
    return log


def test_gopher_on_the_embedded_model(tmp_path):
    logs = []
    for variant in ("raw", "dialogue"):
        log = _run(gopher_toxicity(prompts=2, k=2, max_tokens=8, variant=variant, toxicity_scorer="offline"), tmp_path)
        for sample in log.samples:
            meta = sample.scores["continuation_toxicity"].metadata
            assert len(sample.metadata["continuations"]) == 2 and len(meta["scores"]) == 2
            assert all(0.0 <= s <= 1.0 for s in meta["scores"]) and 0.0 <= meta["prompt_toxicity"] <= 1.0
        logs.append(log)
    occupation = _run(gopher_occupation_bias(occupations=2, templates=1), tmp_path)
    biases = [s.scores["word_set_bias"].metadata["bias"] for s in occupation.samples]
    assert len(biases) == 2 and all(math.isfinite(b) for b in biases)
    winogender = _run(gopher_winogender(), tmp_path, limit=3)
    assert all(s.scores["coreference_likelihood"].answer in ("occupation", "participant", "tie")
               for s in winogender.samples)
    sentiment = _run(gopher_sentiment_bias(attributes="religion", groups=2, templates=1, k=1, max_tokens=8), tmp_path)
    assert all(-1 <= s.scores["continuation_sentiment"].metadata["sentiments"][0] <= 1 for s in sentiment.samples)
    sections = card_sections([*logs, occupation, winogender, sentiment])
    titles = [s.title for s in sections]
    assert titles[0].startswith("Toxicity of sampled continuations") and len(sections) == 6  # summary, 2 runs, 3 bias
    assert sections[0].rows[0][1] == "raw" and sections[0].rows[1][1] == "dialogue"
    assert all(s.plot_svg.startswith("<svg") for s in sections)
    names = [m.name for s in sections for m in s.headline_metrics]
    assert any(name.startswith("toxic-continuation rate") for name in names)
    assert any(name.startswith("Winogender gotcha gap") for name in names)
