"""Command one's path offline: `tony card` on the embedded model opens no network connection."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = Path(__file__).parent / "network_guard"


@pytest.mark.model
def test_default_card_run_opens_no_network_connection(tmp_path):
    network_log = tmp_path / "network.log"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(PYTHONPATH=str(GUARD), TONY_NETWORK_LOG=str(network_log), HOME=str(tmp_path / "home"),
               TONY_DATA_DIR="", INSPECT_LOG_DIR=str(tmp_path / "unused"))
    result = subprocess.run(
        [sys.executable, "-m", "tony.cli", "card", "--limit", "1", "--out", str(tmp_path / "card"), "--display", "plain"],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert not network_log.exists(), network_log.read_text()
    card = json.loads((tmp_path / "card" / "card.json").read_text())
    assert card["header"]["model"] == "tony-gguf/smollm2"
    assert card["sections"][0]["task"] == "faithfulness"
    tasks = {section["task"] for section in card["sections"]}
    assert {"refusals", "jailbreaks", "alignment_faking_helpful_only", "alignment_faking_animal_welfare"} <= tasks
    assert (tmp_path / "card" / "index.html").is_file()
    assert list((tmp_path / "card" / "logs").glob("*.eval"))

    assert card["header"]["failures"] == []

    # The same command again reuses every finished log (Inspect's eval set): no new log, the same card.
    logs = sorted((tmp_path / "card" / "logs").glob("*.eval"))
    again = subprocess.run(
        [sys.executable, "-m", "tony.cli", "card", "--limit", "1", "--out", str(tmp_path / "card"), "--display", "plain"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert sorted((tmp_path / "card" / "logs").glob("*.eval")) == logs
    rebuilt_once = json.loads((tmp_path / "card" / "card.json").read_text())
    counts = [(section["task"], section["samples"], section["errored"]) for section in card["sections"]]
    assert [(section["task"], section["samples"], section["errored"]) for section in rebuilt_once["sections"]] == counts

    # `tony report` rebuilds the same card from the logs alone, with the guard still on.
    rebuilt = subprocess.run(
        [sys.executable, "-m", "tony.cli", "report", str(tmp_path / "card" / "logs"), "--out", str(tmp_path / "rebuilt")],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    again = json.loads((tmp_path / "rebuilt" / "card.json").read_text())
    assert again["sections"] == card["sections"]
    assert not network_log.exists()


def test_guard_itself_refuses_connections(tmp_path):
    network_log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": str(GUARD), "TONY_NETWORK_LOG": str(network_log)}
    code = "import urllib.request; urllib.request.urlopen('http://example.com', timeout=5)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "getaddrinfo" in network_log.read_text() or "connect" in network_log.read_text()
