"""Public datasets for the tests that need them, found through tony's own data-directory setting.

Tests look for public data only where tony itself does: the data directory named by TONY_DATA_DIR
(`make test` exports `../shared/data` when it exists), checked file by file against the registry's sha256.
Outside CI a test whose data is absent is skipped with the reason; in CI (environment variable CI set to
anything but empty, 0, false or no, as CI services and `.ci/run` do) it fails, so the data cannot silently go missing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from tony.core.data import DATA_DIR_ENV, DataError, data_dir, file_names, resolve_file

CI_ENV = "CI"
# The data directory as the test run started: tests that point TONY_DATA_DIR elsewhere for themselves
# (to check the registry's own fallbacks) do not hide the shared data from the tests that need it.
DATA_DIR_AT_START = data_dir()


def in_ci() -> bool:
    return os.environ.get(CI_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _missing(message: str) -> None:
    if in_ci():
        pytest.fail(f"{message} ({CI_ENV} is set, so the shared data must be present)")
    pytest.skip(message)


def shared_data_dir(dataset: str, files: Sequence[str] | None = None) -> Path:
    """The data directory, once every named file of `dataset` (default: all of its registry files) is there
    and matches its sha256; otherwise skips the test, or fails it in CI."""
    directory = DATA_DIR_AT_START
    if directory is None:
        _missing(f"{DATA_DIR_ENV} is not set, so there is no data directory to find {dataset} in")
    assert directory is not None
    for name in files if files is not None else file_names(dataset):
        try:
            resolved = resolve_file(dataset, name, directory, allow_download=False)
        except DataError as error:
            _missing(f"{dataset}/{name} is not usable in {directory}: {error}")
            raise  # unreachable: _missing always raises
        if resolved.origin != "data-dir":
            _missing(f"{dataset}/{name} is not in {directory} (found only in {resolved.path.parent})")
    return directory
