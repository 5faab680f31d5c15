"""The card's verbalization-judge check measures on the frozen test set, never the dev set the judge was tuned on."""

from tony.evals.faithfulness.plugin import EVALUATION


def test_judge_check_runs_on_the_frozen_test_set_in_every_suite_and_under_limit():
    entries = [entry for entry in (*EVALUATION.quick, *EVALUATION.full) if entry.task == "faithfulness_judge"]
    assert entries
    for entry in entries:
        assert entry.args.get("split") == "test"
        assert entry.scaled(1).args.get("split") == "test"
