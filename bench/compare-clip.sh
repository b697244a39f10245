#!/usr/bin/env bash
# Runs the runa (ONNX Runtime, fp32 and int8) and the PyTorch ViT-B/16 image-tower benchmarks back to
# back in one go and prints runa's throughput as a multiple of PyTorch's per batch size. Figures on a
# shared machine drift by 10% or more between runs: only ratios from the same invocation are comparable.
# Usage: bench/compare-clip.sh [--threads 2] [--batch 1,8,32] [--precision fp32,int8]
# Needs: apt-get install -y python3-torch libopenblas0-pthread (without OpenBLAS, Debian's torch
# falls back to the reference BLAS and runs ~15x slower, which would flatter runa).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=2
batch=1,8,32
precisions=fp32,int8
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --precision) precisions="$2"; shift 2 ;;
    *) echo "usage: $0 [--threads N] [--batch 1,8,32] [--precision fp32,int8]" >&2; exit 2 ;;
  esac
done
# Debian's python3-torch lives in the system interpreter, not in a pyenv/venv one.
python="${PYTHON:-/usr/bin/python3}"
# The machine-wide OPENBLAS_* settings are dropped for the PyTorch command alone; OpenBLAS is then
# told to use its AVX-512 (SkylakeX) kernels, which ran 2x faster than its auto-detected choice on
# the reference AMD EPYC (so the baseline is the stronger one). The baseline script checks the BLAS
# result against an element-wise computation and refuses to report from a broken library.
torch_coretype="${TORCH_OPENBLAS_CORETYPE:-SKYLAKEX}"
# OMP_WAIT_POLICY=PASSIVE: torch's OpenMP threads otherwise spin between element-wise ops and fight
# OpenBLAS's own threads for the same cores (0.9 -> 1.4 images/s at batch 1 here).
torch_out="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$torch_coretype" OMP_NUM_THREADS="$threads" \
  OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS="$threads" "$python" "$here/bench/pytorch_clip_baseline.py" --threads "$threads" --batch "$batch")"
echo "$torch_out"
declare -A runa_json
for p in ${precisions//,/ }; do
  out="$("$here/runa" bench clip --model random:vit-b-16 --batch "$batch" --threads "$threads" --precision "$p")"
  echo "$out"
  runa_json[$p]="$(tail -n 1 <<<"$out")"
done
for p in ${precisions//,/ }; do
  python3 - "$p" "${runa_json[$p]}" "$(tail -n 1 <<<"$torch_out")" <<'PY'
import json, sys
runa = {r["batch"]: r["images_per_s"] for r in json.loads(sys.argv[2])["results"]}
torch = {r["batch"]: r["images_per_s"] for r in json.loads(sys.argv[3])["results"]}
print(f"runa {sys.argv[1]} vs PyTorch fp32 (same run)")
print(f"{'batch':>6} {'runa img/s':>11} {'torch img/s':>12} {'ratio':>7}")
for b in sorted(runa):
    if b in torch:
        print(f"{b:>6} {runa[b]:>11.2f} {torch[b]:>12.2f} {runa[b] / torch[b]:>7.2f}")
PY
done
