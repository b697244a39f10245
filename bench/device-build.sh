#!/usr/bin/env bash
# Builds what bench/device-scaling.sh runs on a machine without Java, into .runa-work/device/
# (git-ignored): a jlink'd runtime, runa.jar with only the linux-x64 natives, and the dev.runa
# classes of a baseline commit (to measure "before" in the same run). Keeps the total under 60 MB
# (the device run carries at most 64 MiB).
# Usage: bench/device-build.sh [BASELINE_COMMIT]   (default: the commit before issue 14's work)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE=${1:-e261cc5}
D=.runa-work/device
rm -rf "$D" && mkdir -p "$D"
# --compress=2 and stripped natives: without them the runtime alone is 75 MB.
jlink --add-modules java.base,java.desktop,java.logging,java.management,java.net.http,java.sql,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --strip-native-debug-symbols=exclude-debuginfo-files --output "$D/jre"
for f in "$D"/jre/lib/*.so "$D"/jre/lib/server/*.so; do strip --strip-unneeded "$f"; done
# Headless benchmarks never load the X11 toolkit, splash screen or sound.
rm -f "$D"/jre/lib/libawt_xawt.so "$D"/jre/lib/libsplashscreen.so "$D"/jre/lib/libjsound.so
mvn -B -q -DskipTests -pl runa-cli -am package -Druna.platform=linux-x64
cp runa-cli/target/runa.jar "$D/runa.jar"
# Charts (jfree) are not used by the benchmarks; jline keeps only its linux-x64 native.
zip -q -d "$D/runa.jar" 'org/jfree/*' 'org/jline/nativ/FreeBSD/*' 'org/jline/nativ/Windows/*' \
  'org/jline/nativ/Mac/*' 'org/jline/nativ/Linux/arm*' 'org/jline/nativ/Linux/ppc64/*' 'org/jline/nativ/Linux/x86/*' || true
# Baseline: the baseline commit's own dev.runa classes, put first on the class path next to
# today's jar (the libraries are the same), so "before" runs on the same machine in the same run.
W=$(mktemp -d)
git worktree add -q "$W/src" "$BASE"
(cd "$W/src" && mvn -B -q -DskipTests -pl runa-cli -am package -Druna.platform=linux-x64)
(mkdir "$W/cls" && cd "$W/cls" && unzip -q "$W/src/runa-cli/target/runa.jar" 'dev/runa/*' && zip -q -r -9 "$ROOT/$D/runa-base-classes.jar" dev)
git worktree remove --force "$W/src"
rm -rf "$W"
cp bench/device-scaling.sh "$D/device-scaling.sh"
SIZE=$(du -sb "$D" | cut -f1)
echo "$D: $SIZE bytes"
if [ "$SIZE" -ge 60000000 ]; then
  echo "too large for the device run (limit 60 MB)" >&2
  exit 1
fi
"$D/jre/bin/java" -Djava.awt.headless=true -jar "$D/runa.jar" --version >/dev/null
