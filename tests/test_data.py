"""The data registry: resolution order, sha256 checks, offline errors, built-in items."""

import hashlib
import os

import pytest

from tony.core import data
from tony.core.data import DataError, resolve_file

from .shared_data import shared_data_dir


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(data.DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(data.ALLOW_DOWNLOAD_ENV, raising=False)


def _fake_entry(monkeypatch, content: bytes) -> None:
    manifest = {"toy": {"licence": "MIT", "files": {"rows.csv": {"sha256": hashlib.sha256(content).hexdigest(), "url": "https://example.invalid/rows.csv"}}}}
    monkeypatch.setattr(data, "manifest", lambda: manifest)


def test_data_dir_file_is_verified_and_used(tmp_path, monkeypatch):
    _fake_entry(monkeypatch, b"a,b\n1,2\n")
    (tmp_path / "d" / "toy").mkdir(parents=True)
    (tmp_path / "d" / "toy" / "rows.csv").write_bytes(b"a,b\n1,2\n")
    resolved = resolve_file("toy", "rows.csv", tmp_path / "d")
    assert resolved.origin == "data-dir"


def test_sha256_mismatch_is_a_clear_error(tmp_path, monkeypatch):
    _fake_entry(monkeypatch, b"a,b\n1,2\n")
    (tmp_path / "d" / "toy").mkdir(parents=True)
    (tmp_path / "d" / "toy" / "rows.csv").write_bytes(b"a,b\n1,3\n")
    with pytest.raises(DataError, match="does not match"):
        resolve_file("toy", "rows.csv", tmp_path / "d")


def test_cache_is_second(tmp_path, monkeypatch):
    _fake_entry(monkeypatch, b"x")
    cached = tmp_path / "cache" / "toy" / "rows.csv"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"x")
    assert resolve_file("toy", "rows.csv", tmp_path / "empty").origin == "cache"


def test_missing_offline_is_a_clear_error(monkeypatch, tmp_path):
    _fake_entry(monkeypatch, b"x")
    with pytest.raises(DataError, match="allow a download"):
        resolve_file("toy", "rows.csv", tmp_path / "nothing")


def test_download_checks_sha256(monkeypatch, tmp_path):
    _fake_entry(monkeypatch, b"expected")

    class FakeResponse:
        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def read(self):
            return b"tampered"

    monkeypatch.setattr(data.urllib.request, "urlopen", lambda url, timeout: FakeResponse())
    with pytest.raises(DataError, match="expected"):
        resolve_file("toy", "rows.csv", allow_download=True)
    assert not (tmp_path / "cache" / "toy" / "rows.csv").exists()


def test_download_success_lands_in_cache(monkeypatch, tmp_path):
    _fake_entry(monkeypatch, b"expected")

    class FakeResponse:
        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def read(self):
            return b"expected"

    monkeypatch.setattr(data.urllib.request, "urlopen", lambda url, timeout: FakeResponse())
    resolved = resolve_file("toy", "rows.csv", allow_download=True)
    assert resolved.origin == "download" and resolved.path.read_bytes() == b"expected"
    assert resolve_file("toy", "rows.csv").origin == "cache"


def test_unknown_dataset_and_file():
    with pytest.raises(DataError, match="unknown dataset"):
        resolve_file("nope", "x")
    with pytest.raises(DataError, match="has no file"):
        resolve_file("mmlu", "test/nope.csv")


def test_registry_knows_the_shared_datasets():
    assert {"mmlu", "xstest", "strongreject", "advbench", "harmbench", "gsm8k", "bbq", "simpleqa",
            "truthfulqa", "realtoxicityprompts", "winogender", "bold", "xstest_completions"} <= set(data.dataset_names())
    assert len(data.file_names("mmlu", "test/")) == 57


def test_malformed_jsonl_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\n{"a": \n')
    with pytest.raises(DataError, match="bad.jsonl:2"):
        data.read_jsonl(path)


def test_builtin_provenance_has_sha256():
    provenance = data.builtin_provenance("mcq.jsonl")
    assert provenance.kind == "builtin" and len(provenance.sha256) == 64


def test_shared_mmlu_matches_registry_hashes():
    dev = data.file_names("mmlu", "dev/")
    files, provenance = data.resolve_files("mmlu", dev, shared_data_dir("mmlu", dev))
    assert len(files) == 57 and provenance.origin == "data-dir"
