"""The embedded GGUF provider: determinism, limits, usage, logprobs, token counting. Never the model's correctness."""

import asyncio

import pytest
from inspect_ai.model import ChatMessageSystem, ChatMessageUser, GenerateConfig, get_model

from tony.model.gguf import EMBEDDED_FILE, ModelNotFound, embedded_model_path, resolve_model_path

pytestmark = pytest.mark.model
PROMPT = "Name three colours of the rainbow."


@pytest.fixture(scope="module")
def model():
    return get_model("tony-gguf/smollm2")


def generate(model, prompt=PROMPT, **config):
    return asyncio.run(model.generate(prompt, config=GenerateConfig(**config)))


def test_embedded_model_is_located_in_the_installed_package():
    path = embedded_model_path()
    assert path.name == EMBEDDED_FILE and path.stat().st_size > 50_000_000


def test_unknown_gguf_path_is_a_clear_error(tmp_path):
    with pytest.raises(ModelNotFound, match="no GGUF file"):
        resolve_model_path(str(tmp_path / "missing.gguf"))
    with pytest.raises(ModelNotFound):
        get_model("tony-gguf/nothing-here", memoize=False)


def test_greedy_is_deterministic_even_after_other_prompts(model):
    first = generate(model, temperature=0, max_tokens=40).completion
    generate(model, prompt="Something else entirely, please.", temperature=0, max_tokens=20)
    second = generate(model, temperature=0, max_tokens=40).completion
    assert first == second and first.strip()


def test_max_tokens_and_usage(model):
    output = generate(model, temperature=0, max_tokens=8)
    assert output.usage.output_tokens <= 8
    assert output.stop_reason in ("max_tokens", "stop")
    assert output.usage.input_tokens > 5
    assert output.usage.total_tokens == output.usage.input_tokens + output.usage.output_tokens


def test_stop_sequence_is_honoured(model):
    full = generate(model, temperature=0, max_tokens=40).completion
    words = full.split()
    assert len(words) > 3
    stop_word = words[2]
    cut = generate(model, temperature=0, max_tokens=40, stop_seqs=[stop_word]).completion
    assert stop_word not in cut and full.startswith(cut.rstrip())


def test_seeded_sampling_repeats(model):
    one = generate(model, temperature=1.0, seed=11, max_tokens=24).completion
    two = generate(model, temperature=1.0, seed=11, max_tokens=24).completion
    assert one == two


def test_logprobs_when_asked(model):
    output = generate(model, temperature=0, max_tokens=5, logprobs=True, top_logprobs=3)
    logprobs = output.choices[0].logprobs
    assert logprobs is not None and 1 <= len(logprobs.content) <= 5
    assert all(item.logprob <= 0 and len(item.top_logprobs) == 3 for item in logprobs.content)
    assert generate(model, temperature=0, max_tokens=5).choices[0].logprobs is None


def test_chat_roles_pass_through_the_template(model):
    messages = [ChatMessageSystem(content="Reply in French."), ChatMessageUser(content="Say hello.")]
    output = asyncio.run(model.generate(messages, config=GenerateConfig(temperature=0, max_tokens=10)))
    assert output.completion.strip()


def test_token_counting_uses_the_model_tokenizer(model):
    count = asyncio.run(model.api.count_text_tokens("hello world, this is a test"))
    assert count == len(asyncio.run(model.api.tokenize("hello world, this is a test"))) and 4 <= count <= 12


def test_tools_are_refused(model):
    from inspect_ai.tool import ToolInfo, ToolParams

    tool = ToolInfo(name="f", description="d", parameters=ToolParams())
    with pytest.raises(ValueError, match="tool calling"):
        asyncio.run(model.api.generate([ChatMessageUser(content="x")], [tool], "auto", GenerateConfig()))


def test_any_gguf_path_works_and_models_load_once(tmp_path, model):
    from tony.model.gguf import load_model

    other = tmp_path / "copy-of-smollm2.gguf"
    other.symlink_to(embedded_model_path())
    assert resolve_model_path(str(other)) == other
    by_path = get_model(f"tony-gguf/{other}")
    output = asyncio.run(by_path.generate(PROMPT, config=GenerateConfig(temperature=0, max_tokens=12)))
    assert output.completion == generate(model, temperature=0, max_tokens=12).completion
    assert load_model(embedded_model_path(), 4096) is load_model(embedded_model_path(), 4096)
