"""Which logs make the card: the newest finished log of each run (name and task arguments)."""

from inspect_ai import eval as inspect_eval

from tony.card.build import latest_logs
from tony.evals.alignment_faking.task import alignment_faking


def _run(tmp_path, **options):
    inspect_eval(alignment_faking(queries=1, **options), model="tony-test-scripted/x", log_dir=str(tmp_path),
                 display="none", ctl_server=False)


def test_runs_with_other_arguments_are_kept_and_reruns_replaced(tmp_path):
    _run(tmp_path, setting="helpful_only")
    _run(tmp_path, setting="animal_welfare")
    _run(tmp_path, setting="animal_welfare")
    logs = latest_logs(tmp_path)
    assert sorted(log.eval.task_args["setting"] for _, log in logs) == ["animal_welfare", "helpful_only"]
    assert len(list(tmp_path.glob("*.eval"))) == 3
