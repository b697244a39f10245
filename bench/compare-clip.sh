#!/usr/bin/env bash
# Runs the runa (ONNX Runtime) and the PyTorch ViT-B/16 image-tower benchmarks back to back in one
# go and prints runa's throughput as a multiple of PyTorch's per batch size. Figures on a shared
# machine drift by 10% or more between runs: only ratios from the same invocation are comparable.
# Usage: bench/compare-clip.sh [--threads 2] [--batch 1,8,32]
# Needs: apt-get install -y python3-torch libopenblas0-pthread (without OpenBLAS, Debian's torch
# falls back to the reference BLAS and runs ~15x slower, which would flatter runa).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=2
batch=1,8,32
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    *) echo "usage: $0 [--threads N] [--batch 1,8,32]" >&2; exit 2 ;;
  esac
done
# OpenBLAS picks its AVX2 kernels on this machine unless told otherwise; the reference baseline
# figures were taken with the AVX-512 (SkylakeX) kernels, the faster of the two.
# Debian's python3-torch lives in the system interpreter, not in a pyenv/venv one.
python="${PYTHON:-/usr/bin/python3}"
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-SKYLAKEX}"
runa_out="$("$here/runa" bench clip --model random:vit-b-16 --batch "$batch" --threads "$threads")"
echo "$runa_out"
torch_out="$(OMP_NUM_THREADS="$threads" "$python" "$here/bench/pytorch_clip_baseline.py" --threads "$threads" --batch "$batch")"
echo "$torch_out"
python3 - "$(tail -n 1 <<<"$runa_out")" "$(tail -n 1 <<<"$torch_out")" <<'PY'
import json, sys
runa = {r["batch"]: r["images_per_s"] for r in json.loads(sys.argv[1])["results"]}
torch = {r["batch"]: r["images_per_s"] for r in json.loads(sys.argv[2])["results"]}
print(f"{'batch':>6} {'runa img/s':>11} {'torch img/s':>12} {'ratio':>7}")
for b in sorted(runa):
    if b in torch:
        print(f"{b:>6} {runa[b]:>11.2f} {torch[b]:>12.2f} {runa[b] / torch[b]:>7.2f}")
PY
