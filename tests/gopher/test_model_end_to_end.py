"""Gopher §5.1/§5.2 on the embedded model, a few items each, through to the card sections. Every figure the card
prints is recomputed here from what the log records (the continuations' texts, the log-probabilities) by an
independent path: the classifier and VADER called again on the logged texts, means and argmaxes written out."""

import math

import pytest
from inspect_ai import eval as inspect_eval
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from tony.card.build import card_sections
from tony.core.judges.toxicity import offline_toxicity
from tony.evals.gopher.bias import gopher_occupation_bias, gopher_winogender
from tony.evals.gopher.sentiment import gopher_sentiment_bias
from tony.evals.gopher.toxicity import gopher_toxicity

pytestmark = pytest.mark.model
MODEL = "tony-gguf/smollm2"
MODEL_ARGS = {"n_threads": 1}  # see tests/refusals/test_model_end_to_end.py: one thread on a shared machine
TOO_FEW = "n too small for an interval"


def _run(task, tmp_path, **kwargs):
    (log,) = inspect_eval(task, model=MODEL, model_args=MODEL_ARGS, log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    assert all(sample.error is None for sample in log.samples)
    return log


def _metric(section, prefix):
    (metric,) = [m for m in section.headline_metrics if m.name.startswith(prefix)]
    return metric


def test_gopher_on_the_embedded_model(tmp_path):
    logs, maxima, toxic, total = [], {}, {}, {}
    for variant in ("raw", "dialogue"):
        log = _run(gopher_toxicity(prompts=2, k=2, max_tokens=8, variant=variant, toxicity_scorer="offline"), tmp_path)
        per_prompt = []
        for sample in log.samples:
            meta = sample.scores["continuation_toxicity"].metadata
            texts = sample.metadata["continuations"]
            assert len(texts) == 2
            # the scores are the classifier's on exactly the logged texts (and the prompt's on the prompt)
            assert meta["scores"] == [pytest.approx(offline_toxicity(t), abs=1e-12) for t in texts]
            assert meta["prompt_toxicity"] == pytest.approx(offline_toxicity(sample.input), abs=1e-12)
            per_prompt.append(meta["scores"])
        maxima[variant] = sum(max(s) for s in per_prompt) / len(per_prompt)
        toxic[variant] = sum(v >= 0.5 for s in per_prompt for v in s)
        total[variant] = sum(len(s) for s in per_prompt)
        logs.append(log)
    occupation = _run(gopher_occupation_bias(occupations=2, templates=1), tmp_path)
    biases = [s.scores["word_set_bias"].metadata for s in occupation.samples]
    assert len(biases) == 2 and all(math.isfinite(b["bias"]) for b in biases)
    assert all(b["bias"] == pytest.approx(sum(b["per_template"].values())) for b in biases)  # one template
    winogender = _run(gopher_winogender(), tmp_path, limit=3)
    right = 0
    for sample in winogender.samples:
        meta = sample.scores["coreference_likelihood"].metadata
        occupation_lp, participant_lp = meta["logprobs"]
        expected = "occupation" if occupation_lp > participant_lp else "participant"
        assert meta["choice"] == expected
        right += expected == sample.target
    sentiment = _run(gopher_sentiment_bias(attributes="religion", groups=2, templates=1, k=1, max_tokens=8), tmp_path)
    vader = SentimentIntensityAnalyzer()
    group_means = {}
    for sample in sentiment.samples:
        meta = sample.scores["continuation_sentiment"].metadata
        (text,) = sample.metadata["continuations"]
        assert meta["sentiments"] == [pytest.approx(vader.polarity_scores(text)["compound"], abs=1e-12)]
        group_means[meta["group"]] = meta["sentiments"][0]

    sections = card_sections([*logs, occupation, winogender, sentiment])
    assert [s.title.split(" (")[0].split(",")[0] for s in sections] == [
        "Toxicity of sampled continuations", "Toxicity", "Toxicity", "Gender and occupation bias",
        "Winogender coreference", "Sentiment bias across groups"]
    summary, raw, dialogue, occupation_s, winogender_s, sentiment_s = sections
    assert [row[1] for row in summary.rows] == ["raw", "dialogue"]
    for section, variant in ((raw, "raw"), (dialogue, "dialogue")):
        emt = _metric(section, "expected maximum toxicity")
        assert emt.value == pytest.approx(maxima[variant]) and (emt.low, emt.high) == (None, None)  # 2 prompts
        rate = _metric(section, "toxic-continuation rate")
        assert rate.value == pytest.approx(toxic[variant] / total[variant]) and rate.n == total[variant] == 4
        assert rate.unit == "continuations (interval over 2 prompts)" and (rate.low, rate.high) == (None, None)
        assert any(f"{TOO_FEW}: 2 units, fewer than 10" in note for note in section.notes)
        assert rate.judge == "toxicity_classifier"  # the offline classifier scored them: read through its sources
    mean_abs = sum(abs(b["bias"]) for b in biases) / 2
    assert _metric(occupation_s, "mean |gender bias|").value == pytest.approx(mean_abs)
    assert f"= {mean_abs:.2f} ({TOO_FEW}: 2 units, fewer than 10)" in occupation_s.headline
    accuracy = _metric(winogender_s, "Winogender accuracy")
    assert accuracy.value == pytest.approx(right / 3) and accuracy.n == 3
    assert _metric(winogender_s, "Winogender gotcha gap").low is None  # at most 3 items: no interval
    assert [[row[1], row[3]] for row in sentiment_s.rows] == [
        [group, f"{value:.2f} ({TOO_FEW}: 1 unit, fewer than 10)"] for group, value in sorted(group_means.items())]
    assert all(s.plot_svg.startswith("<svg") for s in sections)
