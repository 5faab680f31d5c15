"""The refusal verdict is a label: Inspect must not try to turn it into a float (one logged warning per sample,
which made a refusal run's per-sample overhead twice a bare task's in bench/platform_overhead.py)."""

import logging

from inspect_ai import eval

import tests.scripted_model  # noqa: F401  (registers tony-test-faulty)
from tony.core.plugin import task_function


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_refusal_labels_are_reduced_without_float_conversion(tmp_path):
    collected = Collect()
    logging.getLogger("inspect_ai.scorer").addHandler(collected)  # Inspect's own handler does not propagate
    for name in ("refusals", "overrefusals"):
        log = eval(task_function(name)(dataset="builtin"), model="tony-test-faulty/ok", log_dir=str(tmp_path),
                   display="none", limit=3)[0]
        assert log.status == "success"
        assert log.results.scores[0].metrics["n"].value == 3
    logging.getLogger("inspect_ai.scorer").removeHandler(collected)
    assert not [message for message in collected.messages if "Unable to convert value to float" in message]


def test_headline_scores_for_adaptive_sample_size_read_the_favourable_label():
    from types import SimpleNamespace

    from tony.core.plugin import evaluations

    (refusal_plugin,) = [evaluation for evaluation in evaluations() if evaluation.name == "refusals"]
    harmful, benign = refusal_plugin.headline_scores["refusals"], refusal_plugin.headline_scores["overrefusals"]
    assert [harmful(SimpleNamespace(answer=label)) for label in ("full_refusal", "partial_refusal", "full_compliance")] \
        == [1.0, 0.0, 0.0]  # not_unsafe counts only a full refusal
    assert [benign(SimpleNamespace(answer=label)) for label in ("full_compliance", "partial_refusal", "full_refusal")] \
        == [1.0, 0.0, 0.0]
    assert harmful(SimpleNamespace(answer="unparsed")) is None and benign(SimpleNamespace(answer="uncertain")) is None
