"""Maintainer tool: rebuild src/tony/core/datasets.json from a data directory.

Reads each dataset folder's SOURCE.md (origin `repo@commit:path` per file) and hashes
every file, so that the registry can verify a user's copy or a download. Only hashes
and addresses are written; no data is copied.

    python scripts/build_data_manifest.py ../shared/data
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[1] / "src" / "tony" / "core" / "datasets.json"
ORIGIN = re.compile(r"([\w.-]+/[\w.-]+)@([0-9a-f]{7,40}):(\S+)")
LICENCE = re.compile(r"\*\*Licen[cs]e:\*\*\s*([^\n]+)")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def origins(source_md: str) -> dict[str, str]:
    """Map a file pattern (first table column) to a raw download address."""
    found: dict[str, str] = {}
    for line in source_md.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2:
            continue
        match = ORIGIN.search(cells[-1])
        if match:
            repo, commit, path = match.groups()
            found[cells[0]] = raw_url(repo, commit, path)
    return found


def raw_url(repo: str, commit: str, path: str) -> str:
    return f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"


def url_for(relative: str, table: dict[str, str], source_md: str) -> str | None:
    """The file's own table row; else a glob row; else any `repo@commit:path` in the text naming
    the file (e.g. a cross-checked copy) or its folder (a dataset-level upstream)."""
    if relative in table:
        return table[relative]
    folder, _, name = relative.rpartition("/")
    pattern = f"{folder}/*.csv" if folder else ""
    for key, url in table.items():
        if key.startswith(pattern) and pattern:
            return url.replace("*.csv", name)
    mentions = ORIGIN.findall(source_md)
    for repo, commit, path in mentions:
        if path.rstrip(".,;)`").endswith("/" + name):
            return raw_url(repo, commit, path.rstrip(".,;)`"))
    for repo, commit, path in mentions:
        if path.endswith("/") and not name.startswith("LICENSE"):  # licences sit at the repository root
            return raw_url(repo, commit, path + relative)
    return None


def main(data_dir: Path) -> None:
    manifest: dict[str, dict] = {}
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        source_md = (folder / "SOURCE.md").read_text()
        table = origins(source_md)
        licence = LICENCE.search(source_md)
        files = {}
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and relative != "SOURCE.md":
                files[relative] = {"sha256": sha256_of(path), "url": url_for(relative, table, source_md)}
        manifest[folder.name] = {"licence": licence.group(1).strip() if licence else "see SOURCE.md", "files": files}
    MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"wrote {MANIFEST} ({sum(len(d['files']) for d in manifest.values())} files)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
