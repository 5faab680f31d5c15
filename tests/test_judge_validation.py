"""Every judge's recorded agreement is its first measurement on each source, and still holds for its current
version: a judge changed after that measurement fails here and needs a new JudgeSpec.version (its old records
become history) and a new blind test set (scripts/measure_judges.py --record)."""

import pytest

import tony._registry  # noqa: F401  (each judge registers itself when its evaluation is imported)
from tony.core.data import DataError, resolve_file
from tony.core.judges.judge_sources import XSTEST_DATASET, read_xstest
from tony.core.judges.validation import (
    file_sha256,
    judge_sets_dir,
    measure,
    read_jsonl,
    registered_judges,
    frozen_test_files,
    validation_records,
)

CURRENT = [r for r in validation_records()
           if r.judge in registered_judges() and r.version == registered_judges()[r.judge].version]


def _items(record):
    if record.test_file.startswith("xstest_"):
        try:
            resolved = resolve_file(XSTEST_DATASET, record.test_file, allow_download=False)
        except DataError as error:
            pytest.skip(f"{record.test_file} not available here: {error}")
        return resolved.sha256, read_xstest(resolved.path)
    path = judge_sets_dir() / record.test_file
    return file_sha256(path), read_jsonl(path)


@pytest.mark.parametrize("record", CURRENT, ids=lambda r: f"{r.judge}-v{r.version}-{r.test_file}")
def test_recorded_measurement_still_holds(record):
    sha256, items = _items(record)
    assert sha256 == record.sha256, f"{record.test_file} changed after it was frozen"
    result = measure(registered_judges()[record.judge], items)
    changed = {item: (record.labels[item], verdict) for item, verdict in result["labels"].items()
               if record.labels.get(item) != verdict}
    assert not changed, (f"the {record.judge} judge (version {record.version}) changed after {record.test_file} was "
                         f"measured: bump its JudgeSpec.version and record a new blind test set ({changed})")


def test_every_test_file_of_every_registered_judge_is_recorded_for_its_current_version():
    recorded = {(r.judge, r.test_file, r.sha256) for r in CURRENT}
    for name, spec in registered_judges().items():
        for path in frozen_test_files(spec.set_name):
            assert (name, path.name, file_sha256(path)) in recorded, (
                f"{name} v{spec.version} has no recorded first measurement on {path.name} "
                "(scripts/measure_judges.py --record)")
