#!/usr/bin/env bash
# mammolens-bench on the CPU, the code path that GPU machines run (docs/performance.md, "GPU"): a small phantom
# exam through every stage with the parity weights, a JSON report with per-stage times; reduced precisions
# that need CUDA and unknown precisions are refused with a message; --check against a reference fails
# (exit 3) when the results differ from it.
set -euo pipefail
cli="$1" bench="$2" parity="$3" dir="$4"
rm -rf "$dir"
mkdir -p "$dir"
"$cli" synth --exams 1 --seed 11 --out "$dir/exam" --size small --format png --lesion-rate 1 >/dev/null
"$bench" --exam "$dir/exam/exam_list.json" --weights "$parity/weights" --device cpu --precision fp32 \
  --heatmaps both --samples 2 --json "$dir/report.json" | tee "$dir/out.txt"
grep -qE '^fp32  exact 1 ' "$dir/out.txt" || { echo "no exact row"; exit 1; }
grep -qE '^fp32  fast  1 ' "$dir/out.txt" || { echo "no fast row"; exit 1; }
grep -q 'vs the first configuration: heatmap correlation' "$dir/out.txt" || { echo "no fidelity line"; exit 1; }
for key in '"heatmaps": "exact"' '"image_heatmaps"' '"total_s"' '"max_probability_delta"'; do
  grep -q "$key" "$dir/report.json" || { echo "report lacks $key"; exit 1; }
done
expect_failure() {  # status, message, command...
  local want="$1" message="$2"; shift 2
  set +e; "$@" >"$dir/err.txt" 2>&1; local got=$?; set -e
  [[ $got -eq $want ]] || { echo "expected exit $want, got $got: $*"; cat "$dir/err.txt"; exit 1; }
  grep -q "$message" "$dir/err.txt" || { echo "expected '$message' from: $*"; cat "$dir/err.txt"; exit 1; }
}
expect_failure 1 "needs a CUDA device" "$bench" --exam "$dir/exam/exam_list.json" --weights "$parity/weights" \
  --device cpu --precision fp16 --stages heatmaps
expect_failure 1 "Unknown precision 'fp8'" "$bench" --exam "$dir/exam/exam_list.json" --weights "$parity/weights" \
  --precision fp8
expect_failure 64 "give --parity DIR" "$bench" --weights "$parity/weights"
# The phantom exam against the parity exam's reference: --check must notice that they differ.
mkdir -p "$dir/ref/stage4_predictions"
cp "$parity"/stage4_predictions/*_noaug1_full_precision.csv "$dir/ref/stage4_predictions/"
expect_failure 3 "differs from the reference" "$bench" --exam "$dir/exam/exam_list.json" \
  --weights "$parity/weights" --reference "$dir/ref" --device cpu --samples 1 --check 1e-4
echo "bench tool: CPU run, report, refusals and --check all as expected"
