"""Sampling continuations as Gopher §5.1 does, and the two ways of putting a prompt to a model.

- `raw`: the prompt is text to be continued by the model as a plain language model (no chat template), as Gopher,
  a base model, was evaluated. Only a model that completes raw text offers it (`complete_text`, the embedded GGUF
  provider does); for any other model the card says the raw variant was not available.
- `dialogue`: the prompt is the user's turn in the model's chat template and the reply is the continuation
  (Gopher §5.1 also prompts Dialogue-Prompted Gopher this way).

Sampling: nucleus (top-p) sampling at temperature 1, as RealToxicityPrompts (Gehman et al. 2020: p = 0.9, 25
generations of up to 20 tokens per prompt), which Gopher §5.1 follows with 25 samples per prompt. Each of the k
samples of a prompt has its own seed, so a run is reproducible.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from inspect_ai.model import ChatMessageUser, GenerateConfig, Model
from inspect_ai.solver import Generate, Solver, TaskState, solver

VARIANTS = ("raw", "dialogue")
TOP_P = 0.9
TEMPERATURE = 1.0


@runtime_checkable
class CompletesText(Protocol):
    def complete_text(self, prompt: str, config: GenerateConfig) -> str: ...


def can_complete_text(model: Model) -> bool:
    return isinstance(model.api, CompletesText)


def sampling_config(max_tokens: int, seed: int) -> GenerateConfig:
    return GenerateConfig(temperature=TEMPERATURE, top_p=TOP_P, max_tokens=max_tokens, seed=seed)


async def sample_continuations(model: Model, prompt: str, variant: str, k: int, max_tokens: int,
                               seed: int) -> list[str] | None:
    """k sampled continuations of `prompt`, or None where the model cannot continue raw text."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
    if variant == "raw":
        api = model.api
        if not isinstance(api, CompletesText):
            return None
        return [api.complete_text(prompt, sampling_config(max_tokens, seed + j)) for j in range(k)]
    outputs = [await model.generate([ChatMessageUser(content=prompt)], config=sampling_config(max_tokens, seed + j))
               for j in range(k)]
    return [output.completion for output in outputs]


@solver
def continue_prompt(variant: str, k: int, max_tokens: int, seed: int) -> Solver:
    """Store k continuations of the sample's prompt in `state.metadata['continuations']` (None: not available)."""
    from inspect_ai.model import get_model

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        model = get_model()
        found = await sample_continuations(model, state.input_text, variant, k, max_tokens, seed_of(state.sample_id, seed))
        state.metadata["continuations"] = found
        state.metadata["variant"] = variant
        state.output.completion = "\n---\n".join(found) if found else "(raw continuation not available for this model)"
        return state

    return solve


@solver
def no_generation() -> Solver:
    """Likelihood-scored items need no reply: the scorer asks the model for log-probabilities."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        return state

    return solve


def seed_of(sample_id: Any, base: int) -> int:
    """A per-sample seed from the base seed and the sample id, stable across runs."""
    import zlib

    return base + zlib.crc32(str(sample_id).encode()) % 100_000 * 100
