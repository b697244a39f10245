#!/usr/bin/env bash
# Encoder scaling across cores and end-to-end throughput (issue 14) on a many-core machine without
# Java, in one short run. Needs .runa-work/device/ from bench/device-build.sh (jlink'd runtime,
# runa.jar with linux-x64 natives, the baseline's dev.runa classes, and a copy of this script, so
# that carrying that one folder is enough: bash .runa-work/device/device-scaling.sh from any
# directory above it runs it). Everything goes under $OUT/:
# one file per step (its full output), summary.tsv (each step's last-line JSON), env.txt.
#
# Steps run in priority order and each is skipped once BUDGET_S seconds have passed, so the run
# ends in time whatever the machine's speed. Fewer cores are emulated with taskset (same machine,
# same memory), so 2-core and 16-core figures compare like for like.
#
# Usage: OUT=dir bench/device-scaling.sh   (or .runa-work/device/device-scaling.sh)
# Env:   MODEL (random:vit-b-16), BUDGET_S (330), MIN_S (2, timed seconds per encoder figure),
#        BOXES_SCALE (1.0, multiplies the boxes per end-to-end run), MAX_CORES (nproc),
#        PLAN (all | targets: only issue 14's target figures with today's defaults first, then a few variants)
set -uo pipefail
: "${OUT:?set OUT to the output directory}"
mkdir -p "$OUT"
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -x "$HERE/jre/bin/java" ]; then
  D=$HERE
else
  D=$HERE/../.runa-work/device
fi
MODEL=${MODEL:-random:vit-b-16}
BUDGET_S=${BUDGET_S:-330}
MIN_S=${MIN_S:-2}
BOXES_SCALE=${BOXES_SCALE:-1.0}
NCPU=$(nproc)
MAX_CORES=${MAX_CORES:-$NCPU}
PLAN=${PLAN:-all}
START=$(date +%s)
JAVA=("$D/jre/bin/java" -Djava.awt.headless=true -XX:+UseParallelGC)
NEW=("${JAVA[@]}" -jar "$D/runa.jar")
# The baseline's classes first on the class path: dev.runa resolves to the baseline, libraries to the jar.
OLD=("${JAVA[@]}" -cp "$D/runa-base-classes.jar:$D/runa.jar" dev.runa.cli.RunaCli)
HAVE_TASKSET=0
command -v taskset >/dev/null && HAVE_TASKSET=1

# The CPUs this process may use (a container's cpuset need not start at 0), first threads of
# each physical core first, so that pinning to the first K takes K distinct cores where it can.
expand() { # "0-3,8,10-11" -> one CPU per line
  tr ',' '\n' <<<"$1" | while IFS=- read -r a b; do [ -n "$a" ] && seq "$a" "${b:-$a}"; done
}
ALLOWED=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
[ -z "$ALLOWED" ] && ALLOWED="0-$((NCPU - 1))"
CPU_ORDER=()
for rank in 0 1 2 3; do
  for c in $(expand "$ALLOWED"); do
    sib=$(cat "/sys/devices/system/cpu/cpu$c/topology/thread_siblings_list" 2>/dev/null || echo "$c")
    i=0
    for x in $(expand "$sib"); do
      [ "$x" = "$c" ] && break
      i=$((i + 1))
    done
    ((i == rank)) && CPU_ORDER+=("$c")
  done
done
# pin_list K: the first K CPUs of CPU_ORDER, comma-separated.
((HAVE_TASKSET == 1 && ${#CPU_ORDER[@]} > 0 && MAX_CORES > ${#CPU_ORDER[@]})) && MAX_CORES=${#CPU_ORDER[@]}
pin_list() { local IFS=,; echo "${CPU_ORDER[*]:0:$1}"; }

{
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $NCPU (using up to $MAX_CORES), taskset: $HAVE_TASKSET"
  grep -m1 'model name' /proc/cpuinfo
  echo "flags: $(grep -o 'avx512[a-z_]*\|avx2\|avx_vnni\|amx[a-z_]*' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  grep -E 'MemTotal|MemAvailable' /proc/meminfo
  command -v lscpu >/dev/null && lscpu | grep -E 'Thread|Core|Socket|NUMA|L2|L3'
  # Whether CPUs 0..N-1 (what taskset pins) are distinct cores or SMT siblings.
  echo "cpu0 siblings: $(cat /sys/devices/system/cpu/cpu0/topology/thread_siblings_list 2>/dev/null)"
  echo "cpu1 siblings: $(cat /sys/devices/system/cpu/cpu1/topology/thread_siblings_list 2>/dev/null)"
  echo "allowed CPUs: $ALLOWED; pinning order: ${CPU_ORDER[*]}"
  echo "tools: $(for t in taskset timeout awk lscpu; do command -v $t >/dev/null && printf '%s ' $t; done)"
  uptime
  "${JAVA[@]}" -version 2>&1
} >"$OUT/env.txt" 2>&1

printf 'step\tcores\tseconds\tlast_line\n' >"$OUT/summary.tsv"

# step NAME CORES CMD...: runs CMD pinned to cores 0..CORES-1 unless the budget is spent.
step() {
  local name=$1 cores=$2
  shift 2
  local now=$(($(date +%s) - START))
  if ((now >= BUDGET_S)); then
    echo "$name: skipped at ${now}s (budget ${BUDGET_S}s)" >>"$OUT/skipped.txt"
    return 1
  fi
  if ((cores > MAX_CORES)); then
    return 1
  fi
  local pin=()
  if ((HAVE_TASKSET == 1)); then
    pin=(taskset -c "$(pin_list "$cores")")
  else
    # No taskset: at least make the JVM (view workers, GC) see CORES processors.
    pin=(env "JDK_JAVA_OPTIONS=-XX:ActiveProcessorCount=$cores")
  fi
  local t0=$(date +%s)
  # No step may eat the rest of the budget by itself.
  local left=$((BUDGET_S + 45 - now))
  local limit=()
  command -v timeout >/dev/null && limit=(timeout "$left")
  "${limit[@]}" "${pin[@]}" "$@" >"$OUT/$name.txt" 2>&1
  local rc=$?
  local secs=$(($(date +%s) - t0))
  ((rc != 0)) && echo "$name: exit $rc after ${secs}s" >>"$OUT/failed.txt"
  printf '%s\t%s\t%s\t%s\n' "$name" "$cores" "$secs" "$(tail -n 1 "$OUT/$name.txt")" >>"$OUT/summary.tsv"
  return 0
}

boxes() { awk -v b="$1" -v s="$BOXES_SCALE" 'BEGIN { n = int(b * s); if (n < 4) n = 4; print n }'; }

# images_per_s from a bench clip output's last line.
ips() { sed -n 's/.*"images_per_s": \([0-9.]*\).*/\1/p' "$OUT/$1.txt" 2>/dev/null | tail -n 1; }

clip() { # PRECISION CORES SESSIONS
  local p=$1 c=$2 s=$3
  step "clip-$p-c$c-s$s" "$c" "${NEW[@]}" bench clip --model "$MODEL" --precision "$p" --batch 8 \
    --threads "$c" --sessions "$s" --min-seconds "$MIN_S"
}

runa() { # NAME CORES PRECISION BOXES [options...]
  local name=$1 c=$2 p=$3 n=$4
  shift 4
  step "$name" "$c" "${NEW[@]}" bench runa --model "$MODEL" --precision "$p" --threads "$c" \
    --boxes "$(boxes "$n")" --min-seconds "$MIN_S" "$@"
}

old_runa() { # NAME CORES PRECISION BOXES
  step "$1" "$2" "${OLD[@]}" bench runa --model "$MODEL" --precision "$3" --threads "$2" \
    --boxes "$(boxes "$4")" --min-seconds "$MIN_S"
}

BIG=$MAX_CORES
((BIG > 16)) && BIG=16

# PLAN=targets: issue 14's targets with the defaults (sessions, view workers) and nothing else:
# the int8 encoder at 2 and BIG cores, then end to end at both, then the view-worker split.
if [ "$PLAN" = targets ]; then
  clip int8 2 1
  clip int8 "$BIG" "$((BIG / 4 > 0 ? BIG / 4 : 1))"
  runa runa-int8-c2 2 int8 48
  runa runa-fp32-c2 2 fp32 16
  runa "runa-int8-c$BIG" "$BIG" int8 256
  runa "runa-fp32-c$BIG" "$BIG" fp32 64
  runa "runa-int8-c$BIG-w1" "$BIG" int8 256 --view-workers 1
  runa "runa-int8-c$BIG-w4" "$BIG" int8 256 --view-workers 4
  runa "runa-int8-c$BIG-nospin" "$BIG" int8 256 --no-spinning
  # One- and two-thread sessions: on 2 cores, 2 sessions of 1 thread lost less to the views
  # running beside them than 1 session of 2 (docs/performance.md, "Steady state on 2 cores").
  runa "runa-int8-c2-s2" 2 int8 48 --sessions 2
  runa "runa-int8-c$BIG-s$((BIG / 2))" "$BIG" int8 256 --sessions "$((BIG / 2))"
  runa "runa-int8-c$BIG-s$BIG" "$BIG" int8 256 --sessions "$BIG"
  runa "runa-fp32-c$BIG-s$((BIG / 2))" "$BIG" fp32 64 --sessions "$((BIG / 2))"
  echo "total: $(($(date +%s) - START))s" >>"$OUT/env.txt"
  exit 0
fi

# 1. int8 encoder scaling at batch 8 (the issue's 6x target), then sessions at the largest core count.
for c in 2 4 8 16; do clip int8 "$c" 1; done
# Sessions never outnumber the cores (each needs at least one thread).
for s in 2 4 8; do ((s <= BIG)) && clip int8 "$BIG" "$s"; done
# The session count that measured best for int8 at BIG cores drives the end-to-end runs.
BEST=1
BEST_IPS=$(ips "clip-int8-c$BIG-s1")
for s in 2 4 8; do
  v=$(ips "clip-int8-c$BIG-s$s")
  if [ -n "$v" ] && [ -n "$BEST_IPS" ] && awk -v a="$v" -v b="$BEST_IPS" 'BEGIN { exit !(a > b * 1.03) }'; then
    BEST=$s
    BEST_IPS=$v
  fi
done
echo "best int8 sessions at $BIG cores: $BEST" >>"$OUT/env.txt"

# 2. End to end at 2 cores and at BIG cores, today's code.
runa runa-int8-c2 2 int8 48
runa runa-fp32-c2 2 fp32 16
runa "runa-int8-c$BIG-s$BEST" "$BIG" int8 256 --sessions "$BEST"
runa "runa-fp32-c$BIG-s$BEST" "$BIG" fp32 64 --sessions "$BEST"

# 3. The same with the baseline's code (before issue 14).
old_runa old-runa-int8-c2 2 int8 48
old_runa old-runa-fp32-c2 2 fp32 16
old_runa "old-runa-int8-c$BIG" "$BIG" int8 256
old_runa "old-runa-fp32-c$BIG" "$BIG" fp32 64

# 4. fp32 encoder scaling.
for c in 2 4 8 16; do clip fp32 "$c" 1; done
for s in 2 4 8; do ((s <= BIG)) && clip fp32 "$BIG" "$s"; done

# 5. The split between ORT threads and view workers, and one session against BEST at BIG cores.
runa runa-int8-c2-w1 2 int8 48 --view-workers 1
runa "runa-int8-c$BIG-s1" "$BIG" int8 256 --sessions 1
runa "runa-int8-c$BIG-s$BEST-w2" "$BIG" int8 256 --sessions "$BEST" --view-workers 2
runa "runa-int8-c$BIG-s$BEST-nospin" "$BIG" int8 256 --sessions "$BEST" --no-spinning
# Cores split instead of shared: 3/4 of them for ORT, 1/4 for the views.
T=$((BIG * 3 / 4))
step "runa-int8-c$BIG-t$T-w$((BIG - T))" "$BIG" "${NEW[@]}" bench runa --model "$MODEL" --precision int8 \
  --threads "$T" --sessions "$BEST" --view-workers "$((BIG - T))" --boxes "$(boxes 256)" --min-seconds "$MIN_S"

echo "total: $(($(date +%s) - START))s" >>"$OUT/env.txt"
