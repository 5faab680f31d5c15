"""Every judge's recorded agreement is its first measurement on its frozen test set, and still holds:
a judge changed after that measurement fails here and needs a new test set (scripts/measure_judges.py)."""

import pytest

import tony._registry  # noqa: F401  (each judge registers itself when its evaluation is imported)
from tony.core.validation import (
    file_sha256,
    judge_sets_dir,
    judge_validation,
    measure,
    read_judge_set,
    recorded_validations,
    registered_judges,
)

RECORDED = recorded_validations()


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recorded_measurement_still_holds(name):
    record = judge_validation(name)
    test_path = judge_sets_dir() / record.test_file
    assert file_sha256(test_path) == record.sha256, f"{test_path.name} changed after it was frozen"
    spec = registered_judges()[name]
    result = measure(spec, read_judge_set(spec.set_name, "test"))
    changed = {item: (record.labels[item], verdict) for item, verdict in result["labels"].items() if record.labels.get(item) != verdict}
    assert not changed, f"the {name} judge changed after its frozen test set was measured: write a new test set ({changed})"


def test_every_registered_judge_with_a_test_set_is_recorded():
    for name, spec in registered_judges().items():
        if (judge_sets_dir() / f"{spec.set_name}.test.jsonl").exists():
            assert name in RECORDED, f"{name} has a frozen test set but no recorded measurement (scripts/measure_judges.py --record)"
