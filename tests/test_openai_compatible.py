"""tony tasks against an OpenAI-compatible server (what vLLM, SGLang, llama.cpp's server and hosted APIs expose),
through Inspect's `openai-api/<service>/<model>` and `vllm/<model>` providers, on a server started on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from inspect_ai import eval

from tests.openai_server import REPLY, FakeOpenAI
from tony.core.judges.refusal_features import FULL_REFUSAL

pytest.importorskip("openai")  # Inspect's OpenAI-compatible providers need the openai client (a tony dependency)


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(delay=0.2).start()  # long enough for two requests to overlap
    yield fake
    fake.shutdown()
    fake.server_close()


def _check(log, server: FakeOpenAI, model: str, samples: int) -> None:
    assert log.status == "success", log.error
    assert len(log.samples) == samples and len(server.requests) == samples
    assert {request["model"] for request in server.requests} == {model}
    for sample in log.samples:
        assert sample.output.completion == REPLY
        assert sample.scores["refusal_verdict"].value == FULL_REFUSAL  # the offline judge read the server's reply


def test_openai_api_provider_runs_a_tony_task(server: FakeOpenAI, monkeypatch, tmp_path) -> None:
    # openai-api/<service>/<model> reads <SERVICE>_BASE_URL and <SERVICE>_API_KEY
    monkeypatch.setenv("LOOPBACK_BASE_URL", server.base_url)
    monkeypatch.setenv("LOOPBACK_API_KEY", "not-a-secret")
    log = eval("tony/refusals", model="openai-api/loopback/tiny", limit=4, max_connections=2, display="none",
               log_dir=str(tmp_path))[0]
    _check(log, server, "tiny", 4)
    assert 1 < server.peak <= 2  # --max-connections bounds the requests the server holds at once
    assert all(request.get("max_tokens") or request.get("max_completion_tokens") for request in server.requests)


def test_vllm_provider_uses_a_running_server_without_starting_one(server: FakeOpenAI, monkeypatch, tmp_path) -> None:
    # with VLLM_BASE_URL set, Inspect's vllm provider connects to it and never imports or starts vLLM
    monkeypatch.setenv("VLLM_BASE_URL", server.base_url)
    monkeypatch.setenv("VLLM_API_KEY", "not-a-secret")
    log = eval("tony/refusals", model="vllm/tiny", limit=3, display="none", log_dir=str(tmp_path))[0]
    _check(log, server, "tiny", 3)
