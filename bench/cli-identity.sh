#!/usr/bin/env bash
# Before/after proof that the command line's outputs did not change (issue 10: "every CLI contract
# and output is byte-identical to before"): builds a baseline commit's runa.jar in a temporary
# worktree and today's, runs `score` (one image and batch, JSON Lines and CSV), `calibrate`, `embed`
# and `eval` with both on the same small data and random:tiny weights, and compares every output
# file byte for byte. Fields a later issue added on purpose are listed below and removed from both
# sides before the JSON comparison (and named in the output), never silently.
#
# Usage: bench/cli-identity.sh [BASELINE_COMMIT]   (default d5c009d, the commit before the module split)
# Needs: Java 17, Maven, jq, and the five reference images of ../shared/reference/images.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE=${1:-d5c009d}
IMAGES=${IMAGES:-$ROOT/../shared/reference/images}
[ -d "$IMAGES" ] || { echo "no reference images at $IMAGES (set IMAGES=DIR)" >&2; exit 2; }
W=$(mktemp -d)
trap 'git worktree remove --force "$W/base" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT

echo "building today's runa.jar and $BASE's..." >&2
mvn -B -q -DskipTests -pl runa-cli -am package
NEW=$ROOT/runa-cli/target/runa.jar
git worktree add -q "$W/base" "$BASE"
(cd "$W/base" && mvn -B -q -DskipTests package)
OLD=$W/base/runa-cli/target/runa.jar
[ -f "$OLD" ] || OLD=$W/base/target/runa.jar # before the module split

# Data: ID images a, b, c; OOD images d, e; detections with a few boxes each.
D=$W/data
mkdir -p "$D/id" "$D/ood"
cp "$IMAGES/a_gradient_640x480.png" "$D/id/a.png"
cp "$IMAGES/b_noise_300x500.jpg" "$D/id/b.jpg"
cp "$IMAGES/c_scene_1280x720.png" "$D/id/c.png"
cp "$IMAGES/d_gray_257x199.png" "$D/ood/d.png"
cp "$IMAGES/e_rgba_333x222.png" "$D/ood/e.png"
cat >"$D/id.json" <<'EOF'
{"images": [{"id": 1, "file_name": "a.png", "width": 640, "height": 480},
            {"id": 2, "file_name": "b.jpg", "width": 300, "height": 500},
            {"id": 3, "file_name": "c.png", "width": 1280, "height": 720}],
 "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "car"}, {"id": 3, "name": "dog"}],
 "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 20, 200, 300], "area": 60000, "iscrowd": 0},
                 {"id": 2, "image_id": 2, "category_id": 2, "bbox": [5, 5, 100, 120], "area": 12000, "iscrowd": 0},
                 {"id": 3, "image_id": 3, "category_id": 3, "bbox": [300, 100, 400, 300], "area": 120000, "iscrowd": 0}]}
EOF
cat >"$D/id-det.json" <<'EOF'
[{"image_id": 1, "category_id": 1, "bbox": [12, 18, 198, 305], "score": 0.91},
 {"image_id": 1, "category_id": 2, "bbox": [400, 50, 100, 80], "score": 0.42},
 {"image_id": 2, "category_id": 2, "bbox": [4, 6, 101, 118], "score": 0.88},
 {"image_id": 2, "category_id": 3, "bbox": [150, 300, 0, 40], "score": 0.77},
 {"image_id": 3, "category_id": 3, "bbox": [305, 98, 395, 310], "score": 0.95},
 {"image_id": 3, "category_id": 1, "bbox": [900.5, 400.25, 200, 250], "score": 0.35}]
EOF
cat >"$D/ood.json" <<'EOF'
{"images": [{"id": 10, "file_name": "d.png", "width": 257, "height": 199},
            {"id": 11, "file_name": "e.png", "width": 333, "height": 222}],
 "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "car"}, {"id": 3, "name": "dog"}],
 "annotations": []}
EOF
cat >"$D/ood-det.json" <<'EOF'
[{"image_id": 10, "category_id": 1, "bbox": [20, 20, 100, 100], "score": 0.81},
 {"image_id": 10, "category_id": 3, "bbox": [120, 60, 90, 120], "score": 0.55},
 {"image_id": 11, "category_id": 2, "bbox": [0, 0, 333, 222], "score": 0.66}]
EOF
CLASSES="person,car,dog"

# run NAME JAR OUTDIR: every command, its stdout to OUTDIR/NAME.*, files it writes under OUTDIR.
run() {
  local jar=$1 o=$2
  mkdir -p "$o"
  local J=(java -jar "$jar")
  "${J[@]}" score --model random:tiny --classes "$CLASSES" --image "$D/id/a.png" --box 10,20,210,320 \
    --box 400,50,500,130 >"$o/score-one.jsonl"
  "${J[@]}" score --model random:tiny --classes "$CLASSES" --image "$D/id/c.png" --box 305,98,700,408 \
    --format csv >"$o/score-one.csv"
  "${J[@]}" score --model random:tiny --classes "$CLASSES" --images "$D/id" --detections "$D/id-det.json" \
    --image-list "$D/id.json" --out "$o/score-batch.jsonl" --no-progress 2>/dev/null \
    || "${J[@]}" score --model random:tiny --classes "$CLASSES" --images "$D/id" --detections "$D/id-det.json" \
      --image-list "$D/id.json" --out "$o/score-batch.jsonl"
  "${J[@]}" calibrate --model random:tiny --classes "$CLASSES" --images "$D/id" --detections "$D/id-det.json" \
    --image-list "$D/id.json" --out "$o/cal.json" >/dev/null 2>&1
  "${J[@]}" score --model random:tiny --classes "$CLASSES" --images "$D/ood" --detections "$D/ood-det.json" \
    --image-list "$D/ood.json" --calibration "$o/cal.json" --format csv >"$o/score-ood.csv" 2>/dev/null
  "${J[@]}" embed --model random:tiny --text "a photo of a dog" --text "a photo of a car" >"$o/embed-text.json"
  "${J[@]}" embed --model random:tiny --image "$D/id/b.jpg" >"$o/embed-image.json"
  "${J[@]}" eval --model random:tiny --classes "$CLASSES" --cache "$o/cache" \
    --id "id:gt=$D/id.json,images=$D/id,detections=$D/id-det.json" \
    --ood "ood:gt=$D/ood.json,images=$D/ood,detections=$D/ood-det.json" \
    --min-confidence 0.3 --out "$o/eval" >"$o/eval.txt" 2>/dev/null
  rm -rf "$o/cache" "$o/eval"/*.png
}

echo "running $BASE..." >&2
run "$OLD" "$W/old"
echo "running today's..." >&2
run "$NEW" "$W/new"

# Fields added on purpose since the baseline (each by an issue), dropped from both sides.
ADDED_REPORT_FIELDS='del(.settings.skips_by_reason)'
same=0
differ=0
for f in $(cd "$W/old" && find . -type f | sort); do
  a=$W/old/$f
  b=$W/new/$f
  if [ ! -f "$b" ]; then
    echo "MISSING today: $f"
    differ=$((differ + 1))
    continue
  fi
  if cmp -s "$a" "$b"; then
    same=$((same + 1))
    continue
  fi
  if [[ $f == *report.json ]] && cmp -s <(jq -S "$ADDED_REPORT_FIELDS" "$a") <(jq -S "$ADDED_REPORT_FIELDS" "$b"); then
    echo "same but for fields added on purpose ($ADDED_REPORT_FIELDS): $f"
    same=$((same + 1))
    continue
  fi
  if [[ $f == *report.md ]] && cmp -s "$a" <(grep -v '^| skips_by_reason |' "$b"); then
    echo "same but for the row added on purpose (skips_by_reason): $f"
    same=$((same + 1))
    continue
  fi
  echo "DIFFERS: $f"
  diff <(head -c 2000 "$a") <(head -c 2000 "$b") | head -20 || true
  differ=$((differ + 1))
done
echo "identical: $same, different: $differ (baseline $BASE, today $(git rev-parse --short HEAD))"
[ "$differ" -eq 0 ]
