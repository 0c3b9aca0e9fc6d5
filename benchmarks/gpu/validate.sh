#!/usr/bin/env bash
# GPU validation of the real backend (issue 11 §5), one prepared script, at most ~10 minutes:
#   1. lists the GPUs (nvidia-smi -L) and samples nvidia-smi every 500 ms during the runs;
#   2. the PyTorch example trainable with gpu: 1 and with gpu: 0.5 per trial (and gpu: 0, the CPU
#      reference), when torch.cuda.is_available();
#   3. the tfjs Fashion-MNIST trainable on the best backend that loads (tfjs-node-gpu, then webgpu
#      through the `webgpu` npm package, installed here at run time if absent and possible, then
#      tfjs-node, wasm, cpu), with gpu: 1 and gpu: 0;
#   4. prints the per-trial table and exits non-zero if a trial ran on a GPU it was not given, or if
#      GPUs were available and no trial used one.
# Without nvidia-smi it runs the CPU-only path (tfjs with gpu: 0, PyTorch on CPU when torch is present).
#   bash benchmarks/gpu/validate.sh [OUT_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-${OUT:-/tmp}/tunelab-gpu-validate}"
rm -rf "$OUT" && mkdir -p "$OUT"
PY="${PYTHON:-python3}"
TSX="npx --no-install tsx"
deadline=$(( $(date +%s) + ${VALIDATE_SECONDS:-540} ))
left() { echo $(( deadline - $(date +%s) )); }

echo "== GPUs"
GPUS=0
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >"$OUT/gpus.txt" 2>&1; then
  cat "$OUT/gpus.txt"
  GPUS=$(grep -c '^GPU ' "$OUT/gpus.txt")
  nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv
  nvidia-smi --query-gpu=index,pci.bus_id,memory.used,utilization.gpu --format=csv,noheader,nounits -lms 500 >"$OUT/gpus.csv" 2>/dev/null &
  SMI_GPUS=$!
  nvidia-smi --query-compute-apps=pid,gpu_bus_id,used_memory --format=csv,noheader,nounits -lms 500 >"$OUT/apps.csv" 2>/dev/null &
  SMI_APPS=$!
  trap 'kill $SMI_GPUS $SMI_APPS 2>/dev/null' EXIT
else
  echo "no nvidia-smi or no NVIDIA GPU here: CPU-only path"
fi
echo "gpus=$GPUS"

run() { # kind gpu trials iterations [env...]
  local kind=$1 gpu=$2 trials=$3 iters=$4; shift 4
  local budget; budget=$(left)
  if (( budget < 30 )); then echo "skip $kind gpu=$gpu: out of time"; return; fi
  echo "== $kind gpu=$gpu ($trials trials x $iters steps; ${budget}s left)"
  env "$@" timeout "$budget" $TSX benchmarks/gpu/run-trials.ts --kind "$kind" --gpu "$gpu" --trials "$trials" --iterations "$iters" --python "$PY" --out "$OUT/$kind-gpu$gpu" 2>&1 | grep -v '^npm warn' | tail -3
}

echo "== PyTorch"
if "$PY" -c 'import torch' 2>/dev/null; then
  CUDA=$("$PY" -c 'import torch; print(int(torch.cuda.is_available()))')
  echo "torch $("$PY" -c 'import torch; print(torch.__version__)') cuda_available=$CUDA"
  run pytorch 0 1 3
  if [[ "$CUDA" == 1 && "$GPUS" -gt 0 ]]; then
    run pytorch 1 2 3
    run pytorch 0.5 2 3
  fi
else
  echo "torch is not installed for $PY: PyTorch runs skipped"
fi

echo "== tfjs"
ORDER="wasm,cpu"
if (( GPUS > 0 )); then
  ORDER="node-gpu,webgpu,node,wasm,cpu"
  # webgpu is never a dependency: install it (and the tfjs backend) into node_modules only for this run, if it can be reached.
  if [[ ! -d node_modules/webgpu || ! -d node_modules/@tensorflow/tfjs-backend-webgpu ]]; then
    timeout 120 npm install --no-save --no-audit --no-fund webgpu@0.6 @tensorflow/tfjs-backend-webgpu@4.22.0 >"$OUT/webgpu-install.log" 2>&1 \
      && echo "installed webgpu for this run" || echo "webgpu could not be installed (see $OUT/webgpu-install.log): tried without it"
  fi
  run tfjs 1 2 4 TUNELAB_TFJS_BACKENDS="$ORDER"
fi
run tfjs 0 1 4 TUNELAB_TFJS_BACKENDS="wasm,cpu"

[[ -n "${SMI_GPUS:-}" ]] && kill "$SMI_GPUS" "$SMI_APPS" 2>/dev/null
echo "== per-trial table ($OUT)"
$TSX benchmarks/gpu/report.ts --dir "$OUT" --gpus "$GPUS" 2>&1 | grep -v '^npm warn'
exit "${PIPESTATUS[0]}"
