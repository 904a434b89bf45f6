#!/usr/bin/env bash
# No patient data in logs: DICOM exams with a known patient name, id and birth date (set with DCMTK's
# dcmodify on phantom files), one of them truncated, go through the CLI (info, worklist indexing, inference
# with the demo model, a failing file) and the GUI (opened, analysed and shown in screenshot mode), with
# settings, caches and data folders of this test alone. Every stderr, every log line and every settings,
# cache and data file written is scanned: none of the three values appears. What the commands print to
# stdout on purpose (info's description, the worklist, the results CSV) is output for the user, not a log,
# and the study store's index is the patient database itself: those are not scanned.
# Exit 0 passed, 1 failed, 77 skipped (dcmodify missing). Needs a display for the GUI part (ctest under
# xvfb-run, as scripts/test runs it).
set -uo pipefail
gui="$1" cli="$2" model="$3" dir="$4"
command -v dcmodify >/dev/null || { echo "SKIP: dcmodify is not installed (apt-get install dcmtk)"; exit 77; }
[[ -n "${DISPLAY:-}" ]] || { echo "FAIL: no DISPLAY: run ctest under xvfb-run (scripts/test)"; exit 1; }
rm -rf "$dir"
mkdir -p "$dir/logs"
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" XDG_CACHE_HOME="$dir/cache"
export XDG_RUNTIME_DIR="$dir/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

NAME='SENTINEL^PHIONA^Q'
ID='PHI-7731-ID'
BIRTH='19410203'
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$cli" synth --exams 2 --out "$dir/exams" --seed 77 --size small --format dicom >/dev/null 2>"$dir/logs/synth.err" ||
  fail "synth"
mapfile -t files < <(find "$dir/exams" -name '*.dcm' | sort)
[[ ${#files[@]} -ge 8 ]] || fail "synth wrote ${#files[@]} DICOM files"
for f in "${files[@]}"; do
  dcmodify -nb -i "(0010,0010)=$NAME" -i "(0010,0020)=$ID" -i "(0010,0030)=$BIRTH" "$f" >/dev/null ||
    fail "dcmodify $f"
done
# The identity is really in the files (else the scan below would prove nothing).
grep -aq "$ID" "${files[0]}" || fail "the patient id is not in ${files[0]}"
# A failing file: the first exam's L-CC cut in half.
bad=$(find "$dir/exams" -name '*.dcm' | sort | head -1)
cp "$bad" "$dir/truncated.dcm"
truncate -s $(($(stat -c %s "$bad") / 2)) "$dir/truncated.dcm"

run() {  # name command...: stdout and stderr into logs/name.out and logs/name.err
  local name=$1
  shift
  "$@" >"$dir/logs/$name.out" 2>"$dir/logs/$name.err"
  echo "$name: exit $?"
}
run info-all "$cli" info "$dir/exams"
run info-bad "$cli" info "$dir/truncated.dcm"
grep -q "truncated.dcm" "$dir/logs/info-bad.err" "$dir/logs/info-bad.out" || fail "the failing file is not named"
run worklist "$cli" worklist --store "$dir/store" --add "$dir/exams"
run infer "$cli" infer --folder "$dir/exams" --model "$model" --out "$dir/results" --epochs 1 --no-augment \
  --heatmaps fast --threads 2
[[ -s $(find "$dir/results" -name '*.csv' | head -1) ]] || fail "infer wrote no results"
run infer-bad "$cli" infer --folder "$dir" --model "$model" --out "$dir/results-bad" --epochs 1
exam=$(dirname "${files[0]}")
run gui "$gui" --screenshot "$dir/shot.png" --model "$model" --wait-analysis --size 800x600 "$exam"
[[ -s "$dir/shot.png" ]] || fail "the GUI wrote no picture"
run gui-bad "$gui" --screenshot "$dir/bad.png" --model "$model" --wait-analysis "$dir/truncated.dcm"

# The scan: every stderr; every file in the settings, cache and data folders but the store's index; the AI
# results cache beside the exams (.mammolens/, written by the GUI's analysis) and the CLI's results folder.
scan=("$dir"/logs/*.err)
while IFS= read -r f; do scan+=("$f"); done < <(find "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME" "$HOME" \
  "$dir/results" -type f ! -name 'index.sqlite*' 2>/dev/null)
while IFS= read -r f; do scan+=("$f"); done < <(find "$dir/exams" -path '*/.mammolens/*' -type f)
find "$dir/exams" -path '*/.mammolens/ai/*' -name '*.json' | grep -q . || fail "the GUI's analysis cached nothing"
echo "scanned ${#scan[@]} files"
for value in "$NAME" "$ID" "$BIRTH" "SENTINEL" "PHIONA"; do
  hits=$(grep -alF -- "$value" "${scan[@]}" 2>/dev/null)
  [[ -z "$hits" ]] || fail "\"$value\" is written to: $hits"
done
# The identity did reach the programs: the worklist lists the patient on stdout (the scan would find it).
grep -qF -- "$ID" "$dir/logs/worklist.out" || fail "the worklist does not list the patient id"
# The store holds the patient by design, in its index only.
[[ -e "$dir/store/index.sqlite" ]] || fail "the worklist wrote no store"
[[ $failures -eq 0 ]] && echo "no patient data in ${#scan[@]} logs, settings and cache files"
exit $((failures > 0))
