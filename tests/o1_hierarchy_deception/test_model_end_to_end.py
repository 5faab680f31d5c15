"""Both tasks end to end on the embedded model with a few items (the deception monitor reads the run's log)."""

import pytest
from inspect_ai import eval as inspect_eval

from tony.evals.o1_hierarchy_deception.deception import cot_deception
from tony.evals.o1_hierarchy_deception.hierarchy import instruction_hierarchy

pytestmark = pytest.mark.model
MODEL = "tony-gguf/smollm2"
MODEL_ARGS = {"n_threads": 1}


def test_hierarchy_then_monitor_on_the_embedded_model(tmp_path):
    logs = str(tmp_path / "logs")
    (log,) = inspect_eval(instruction_hierarchy(families="secret,tutor", per_family=1, max_tokens=24), model=MODEL,
                          model_args=MODEL_ARGS, log_dir=logs, display="none", ctl_server=False)
    assert log.status == "success" and all(sample.error is None for sample in log.samples)
    assert all(s.scores["hierarchy_check"].value in ("held", "broken", "uncertain") for s in log.samples)
    # no `logs` argument: the monitor reads the folder its own log goes to, as in `tony card`
    (monitor,) = inspect_eval(cot_deception(), model=MODEL, model_args=MODEL_ARGS, log_dir=logs, display="none",
                              ctl_server=False)
    assert monitor.status == "success"
    assert monitor.results.scores[0].metrics["transcripts"].value == 2
