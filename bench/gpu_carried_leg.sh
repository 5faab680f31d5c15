#!/bin/bash
# bench/gpu.sh's GPU leg for a device machine that reaches NO package registry (this workplace's H200, 2026-11-29):
# everything is carried. Prepare here (see the closing note of issue 11 for the measured outcome):
#   split -b 58m "$(.venv/bin/python -c 'from tony.model.gguf import embedded_model_path; print(embedded_model_path())')" /tmp/gguf.part.
#   .gpu1/ <- gguf.part.aa; .gpu2/ <- gguf.part.ab + botocore, zstandard wheels; .gpu3/ <- this script + the other
#   wheels of inspect_ai==0.3.285's dependencies missing there (cp312 manylinux), gguf, gymnasium, vaderSentiment
#   (each folder under the 64 MiB a call may carry; the first two calls only `cp .gpuN/* /tmp/g/` on a warm machine).
# Then: bash .gpu3/run.sh  (LIMIT=2 TASKS=1 by default). Needs torch + transformers there (the image has them).
# Device leg of issue 11 §4, with everything carried (the device reaches no package registry): the embedded GGUF
# (split over two earlier calls into /tmp/g), Inspect and its missing dependencies as wheels.
set -uo pipefail
cd "$(dirname "$0")/.."  # the repository root (run from .gpu3/ or bench/)
G=/tmp/g
cat $G/gguf.part.aa $G/gguf.part.ab > $G/model.gguf
echo "gguf sha256 $(sha256sum $G/model.gguf | cut -c1-64) expected $(cat .gpu3/gguf.sha256)"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site $G/*.whl .gpu3/*.whl 2>&1 | tail -3
export PYTHONPATH=/tmp/site:$PWD/src PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
python3 -c "import inspect_ai, torch, transformers; import tony._registry; print('inspect', inspect_ai.__version__, 'torch', torch.__version__, 'transformers', transformers.__version__, torch.cuda.get_device_name(0))" || exit 1
t0=$(date +%s.%N)
[ -f $G/hf/config.json ] || python3 bench/gguf_to_hf.py $G/model.gguf $G/hf || exit 1
t1=$(date +%s.%N)
echo "conversion $(python3 -c "print(round($t1-$t0,1))") s"
python3 -m tony.cli card --model hf/smollm2 -M model_path=$G/hf -M device=cuda:0 -M batch_size=32 --suite quick --limit ${LIMIT:-2} \
  --out $G/card --display none --no-cache --max-tasks ${TASKS:-1} --max-connections 8 > $OUT/card_gpu.out 2>&1
echo "card rc=$?"
t2=$(date +%s.%N)
python3 - "$G/card/logs" "$(python3 -c "print($t2-$t1)")" <<'PY'
import sys
from pathlib import Path
from inspect_ai.log import read_eval_log
samples = called = tokens = 0
for path in sorted(Path(sys.argv[1]).glob("*.eval")):
    log = read_eval_log(str(path))
    for sample in log.samples or []:
        samples += 1
        usage = (sample.model_usage or {}).get(log.eval.model)
        if usage is not None:
            called += 1
            tokens += usage.output_tokens
seconds = float(sys.argv[2])
print(f"GPU leg (hf/ provider, transformers on the GPU): {samples} samples, {called} calling the model, {seconds:.1f} s wall, "
      f"{called / seconds:.2f} model samples/s, {tokens / seconds:.1f} output tokens/s")
PY
cp $G/card/card.md $OUT/ 2>/dev/null; tail -5 $OUT/card_gpu.out
