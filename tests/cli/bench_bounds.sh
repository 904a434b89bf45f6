#!/usr/bin/env bash
# mammolens-bench --bounds on the parity exam (one deterministic sample, no bfloat16 row): the exact row is the
# base (change 0), the table has every variant, sparse selections classify fewer patches than exact, the
# refined selection more than its lattice, a uniform heatmap shift moves the probabilities. Then a small
# phantom exam without reference (exact mode computes the base), and --bounds with --stages heatmaps refused.
# Last, --exact-ablation on a few patches: every variant listed, each exact one within the parity tolerance
# of the shipped settings, and the bfloat16 row different from them.
set -euo pipefail
bench="$1" parity="$2" dir="$3" cli="$4"
rm -rf "$dir"
mkdir -p "$dir"
"$bench" --parity "$parity" --device cpu --samples 1 --bounds quick | tee "$dir/out.txt"
field() {  # row prefix, field number counted from the end (1 = max change), or "class" for the patch count
  local line
  line=$(grep -F "$1" "$dir/out.txt" | head -1)
  [[ -n "$line" ]] || { echo "no row '$1'"; exit 1; }
  if [[ "$2" == class ]]; then
    # The name is left-aligned in 58 columns; the patch count follows.
    echo "${line:58}" | awk '{print $1}'
  else
    echo "$line" | awk -v n="$2" '{print $(NF - n + 1)}'
  fi
}
[[ "$(field 'exact (the base' 1)" == 0.0000 ]] || { echo "the exact row changes the probabilities"; exit 1; }
all=$(field 'exact (the base' class)
every2=$(field 'exact every 2nd row' class)
every4=$(field 'exact every 4th row' class)
refined=$(field 'cells spanning > 0.10' class)
(( every2 < all && every4 < every2 )) || { echo "sparse rows classify $every2 / $every4 of $all"; exit 1; }
(( refined > every4 )) || { echo "refinement classified $refined, the lattice $every4"; exit 1; }
awk -v d="$(field 'exact +0.005' 1)" 'BEGIN { exit !(d > 0.0005) }' || { echo "a uniform shift changed nothing"; exit 1; }
grep -qF 'fully convolutional + exact corrections every 3rd' "$dir/out.txt" || { echo "no fully convolutional row"; exit 1; }
"$cli" synth --exams 1 --seed 7 --out "$dir/phantom" --size small --format png --lesion-rate 1 >/dev/null
"$bench" --exam "$dir/phantom/exam_list.json" --weights "$parity/weights" --device cpu --samples 1 --bounds quick \
  | tee "$dir/phantom.txt"
[[ $(grep -c 'exact patch probabilities computed here' "$dir/phantom.txt") -eq 4 ]] || { echo "exact mode did not run per view"; exit 1; }
grep -F 'exact (the base' "$dir/phantom.txt" | awk '{ exit !($NF == "0.0000") }' || { echo "phantom base row changes"; exit 1; }
set +e
"$bench" --parity "$parity" --stages heatmaps --bounds quick >"$dir/err.txt" 2>&1
status=$?
set -e
[[ $status -eq 64 ]] && grep -q "needs --stages all" "$dir/err.txt" || { echo "--bounds with --stages heatmaps: exit $status"; cat "$dir/err.txt"; exit 1; }
set +e
"$bench" --parity "$parity" --bounds quick --exact-ablation 4 >"$dir/err.txt" 2>&1
status=$?
set -e
[[ $status -eq 64 ]] && grep -q "separate runs" "$dir/err.txt" || { echo "--bounds with --exact-ablation: exit $status"; cat "$dir/err.txt"; exit 1; }
"$bench" --parity "$parity" --device cpu --exact-ablation 12 | tee "$dir/ablation.txt"
[[ $(grep -cE '^(shipped|batch 100|batch 1 |NCHW|glibc)' "$dir/ablation.txt") -eq 5 ]] || { echo "ablation rows missing"; exit 1; }
awk '/^(shipped|batch|NCHW|glibc)/ { if ($NF + 0 > 9e-6) bad = 1 } END { exit bad }' "$dir/ablation.txt" \
  || { echo "an exact-mode variant changed the numbers"; exit 1; }
grep -q '^shared background patch: 125 of the exam' "$dir/ablation.txt" || { echo "background count"; exit 1; }
awk '/^bfloat16 copy/ { found = 1; if ($NF + 0 <= 0) bad = 1 } END { exit bad || !found }' "$dir/ablation.txt" \
  || { echo "no bfloat16 row, or one identical to exact mode"; exit 1; }
grep -q '^(the fully convolutional pass over the four crops took' "$dir/out.txt" || { echo "no pass time"; exit 1; }
echo "bench bounds: base rows exact (reference and computed), counts ordered, shift measured, refusal as expected"
