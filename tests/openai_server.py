"""A tiny OpenAI-compatible HTTP server on loopback, for tests and for `bench/gpu.sh --dry-run`.

Answers `GET /v1/models` and `POST /v1/chat/completions` (plain JSON, or server-sent events when `stream` is set)
with a fixed refusal, after `delay` seconds; records every request body and the most requests it held at once.

    python tests/openai_server.py [--port 0] [--delay 0]   # prints "listening on http://127.0.0.1:PORT/v1"
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REPLY = "I'm sorry, but I can't help with that request."
MODEL = "tiny"


class FakeOpenAI(ThreadingHTTPServer):
    """The server, with what it saw: request bodies and the peak number of requests in flight."""

    daemon_threads = True

    def __init__(self, port: int = 0, delay: float = 0.0, model: str = MODEL) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.delay, self.model = delay, model
        self.requests: list[dict[str, Any]] = []
        self.in_flight = self.peak = 0
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


class Handler(BaseHTTPRequestHandler):
    server: FakeOpenAI

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.rstrip("/") != "/v1/models":
            return self._send(404, b'{"error": {"message": "not found"}}')
        models = {"object": "list", "data": [{"id": self.server.model, "object": "model", "owned_by": "tony-test",
                                              "max_model_len": 2048}]}
        self._send(200, json.dumps(models).encode())

    def do_POST(self) -> None:
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self._send(404, b'{"error": {"message": "not found"}}')
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        server = self.server
        with server.lock:
            server.requests.append(request)
            server.in_flight += 1
            server.peak = max(server.peak, server.in_flight)
        try:
            time.sleep(server.delay)
            if request.get("stream"):
                self._send(200, _events(request), "text/event-stream")
            else:
                self._send(200, json.dumps(_completion(request)).encode())
        finally:
            with server.lock:
                server.in_flight -= 1


def _usage(request: dict[str, Any]) -> dict[str, int]:
    prompt = sum(len(str(message.get("content", "")).split()) for message in request.get("messages", []))
    return {"prompt_tokens": prompt, "completion_tokens": len(REPLY.split()),
            "total_tokens": prompt + len(REPLY.split())}


def _completion(request: dict[str, Any]) -> dict[str, Any]:
    return {"id": "chatcmpl-tony", "object": "chat.completion", "created": int(time.time()),
            "model": request.get("model", MODEL), "usage": _usage(request),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": REPLY}}]}


def _events(request: dict[str, Any]) -> bytes:
    base = {"id": "chatcmpl-tony", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": request.get("model", MODEL)}
    chunks = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": REPLY}, "finish_reason": None}]},
              {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": _usage(request)}]
    return b"".join(f"data: {json.dumps(chunk)}\n\n".encode() for chunk in chunks) + b"data: [DONE]\n\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--model", default=MODEL)
    arguments = parser.parse_args()
    server = FakeOpenAI(arguments.port, arguments.delay, arguments.model)
    print(f"listening on {server.base_url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
