"""The data registry: every public dataset tony uses, where it comes from, and how to load it.

A dataset is resolved file by file, in this order:
  1. the user's data directory (`--data-dir` or `TONY_DATA_DIR`), laid out as `<dataset>/<file>`;
  2. the local cache (`TONY_CACHE_DIR`, default `~/.cache/tony/data`);
  3. its canonical public source, only when downloads are allowed (`--download` or
     `TONY_ALLOW_DOWNLOAD=1`); the download lands in the cache.
Every file is checked against the sha256 in `datasets.json` before use. Built-in item
sets written by the tony authors ship in `tony/builtin` and need no download.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

DATA_DIR_ENV = "TONY_DATA_DIR"
CACHE_DIR_ENV = "TONY_CACHE_DIR"
ALLOW_DOWNLOAD_ENV = "TONY_ALLOW_DOWNLOAD"
DOWNLOAD_TIMEOUT_S = 60


class DataError(Exception):
    """A dataset could not be resolved or read; the message is one line for the user."""


@dataclass(frozen=True)
class ResolvedFile:
    dataset: str
    name: str
    path: Path
    sha256: str
    origin: str  # "data-dir", "cache" or "download"


@dataclass(frozen=True)
class Provenance:
    """What a result was computed from; stored in every log and shown in the card."""

    dataset: str
    kind: str  # "builtin" or "public"
    files: int
    sha256: str  # of the single file, or of the sorted per-file hashes
    origin: str
    licence: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@cache
def manifest() -> dict[str, dict[str, Any]]:
    return json.loads(resources.files("tony.core").joinpath("datasets.json").read_text())


def dataset_names() -> list[str]:
    return sorted(manifest())


def file_names(dataset: str, prefix: str = "") -> list[str]:
    return sorted(name for name in _spec(dataset)["files"] if name.startswith(prefix))


def data_dir(explicit: str | Path | None = None) -> Path | None:
    chosen = explicit or os.environ.get(DATA_DIR_ENV)
    return Path(chosen).expanduser() if chosen else None


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV) or Path.home() / ".cache" / "tony" / "data").expanduser()


def downloads_allowed(explicit: bool | None = None) -> bool:
    if explicit is not None:
        return explicit
    return os.environ.get(ALLOW_DOWNLOAD_ENV, "").lower() in {"1", "true", "yes"}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_file(
    dataset: str,
    name: str,
    data_directory: str | Path | None = None,
    allow_download: bool | None = None,
) -> ResolvedFile:
    """Find one file of a dataset, verify its sha256, and say where it came from."""
    entry = _spec(dataset)["files"].get(name)
    if entry is None:
        raise DataError(f"dataset '{dataset}' has no file '{name}'")
    expected = entry["sha256"]
    user_dir = data_dir(data_directory)
    candidates = [("data-dir", user_dir / dataset / name)] if user_dir else []
    candidates.append(("cache", cache_dir() / dataset / name))
    for origin, path in candidates:
        if path.is_file():
            actual = sha256_file(path)
            if actual != expected:
                raise DataError(
                    f"{path}: sha256 {actual[:12]}… does not match the registry's {expected[:12]}… "
                    f"for {dataset}/{name}; the file is corrupt or a different version"
                )
            return ResolvedFile(dataset, name, path, expected, origin)
    if not downloads_allowed(allow_download):
        where = f"{user_dir} or " if user_dir else ""
        raise DataError(
            f"{dataset}/{name} is not in {where}{cache_dir()}; set --data-dir/{DATA_DIR_ENV} to a "
            f"folder holding it, or allow a download with --download/{ALLOW_DOWNLOAD_ENV}=1"
        )
    return _download(dataset, name, entry)


def resolve_files(
    dataset: str,
    names: list[str],
    data_directory: str | Path | None = None,
    allow_download: bool | None = None,
) -> tuple[list[ResolvedFile], Provenance]:
    files = [resolve_file(dataset, name, data_directory, allow_download) for name in names]
    return files, provenance(dataset, files)


def provenance(dataset: str, files: list[ResolvedFile]) -> Provenance:
    if len(files) == 1:
        digest = files[0].sha256
    else:
        digest = hashlib.sha256("".join(sorted(f.sha256 for f in files)).encode()).hexdigest()
    origins = sorted({f.origin for f in files})
    return Provenance(dataset, "public", len(files), digest, "+".join(origins), _spec(dataset)["licence"])


def builtin_path(name: str) -> Path:
    """A built-in item set written by the tony authors (shipped in the package)."""
    path = Path(str(resources.files("tony.builtin").joinpath(name)))
    if not path.is_file():
        raise DataError(f"built-in item set '{name}' is missing from the installed package")
    return path


def builtin_provenance(name: str) -> Provenance:
    path = builtin_path(name)
    return Provenance(f"builtin/{name}", "builtin", 1, sha256_file(path), "package", "Apache-2.0 (tony)")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise DataError(f"{path}:{number}: not valid JSON ({error.msg})") from None
    return rows


def _spec(dataset: str) -> dict[str, Any]:
    spec = manifest().get(dataset)
    if spec is None:
        raise DataError(f"unknown dataset '{dataset}'; known: {', '.join(dataset_names())}")
    return spec


def _download(dataset: str, name: str, entry: dict[str, Any]) -> ResolvedFile:
    url = entry.get("url")
    if not url:
        raise DataError(f"{dataset}/{name} has no public download address; place it in the data directory")
    target = cache_dir() / dataset / name
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            payload = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DataError(f"could not download {dataset}/{name} from {url}: {error}") from None
    actual = hashlib.sha256(payload).hexdigest()
    if actual != entry["sha256"]:
        raise DataError(f"download of {dataset}/{name} has sha256 {actual[:12]}…, expected {entry['sha256'][:12]}…")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(payload)
    partial.replace(target)
    return ResolvedFile(dataset, name, target, actual, "download")
