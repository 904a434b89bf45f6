#!/usr/bin/env bash
# mammolens-cli infer on two phantom exams, the second with a deleted image: exit status 2, the good exam's
# predictions in both CSVs (NYU columns), the failure named in results.json.
set -euo pipefail
cli="$1" weights="$2" dir="$3"
rm -rf "$dir"
mkdir -p "$dir"
"$cli" import-weights "$weights" --out "$dir/bundle" >/dev/null
"$cli" synth --exams 2 --seed 5 --out "$dir/exams" --format png --lesion-rate 1 >/dev/null
broken=$(ls "$dir"/exams/*/ -d | sort | tail -1)
rm "$broken"/*_R_MLO.png
set +e
"$cli" infer --exams "$dir/exams/exam_list.json" --model "$dir/bundle" --out "$dir/out" --no-augment --epochs 1
status=$?
set -e
[[ $status -eq 2 ]] || { echo "expected exit status 2, got $status"; exit 1; }
for csv in predictions_image.csv predictions_imageheatmaps.csv; do
  [[ "$(head -1 "$dir/out/$csv")" == "left_benign,right_benign,left_malignant,right_malignant" ]] || { echo "bad header in $csv"; exit 1; }
  [[ $(wc -l < "$dir/out/$csv") -eq 2 ]] || { echo "$csv should hold exactly the good exam"; exit 1; }
done
grep -q '"ok": false' "$dir/out/results.json" || { echo "failure not recorded"; exit 1; }
grep -q 'R_MLO' "$dir/out/results.json" || { echo "failure does not name the missing file"; exit 1; }
ls "$dir"/out/*/result.json >/dev/null
echo "infer: 1 exam analysed, 1 broken exam reported"
