#!/usr/bin/env bash
# mammolens --screenshot on the demo exam (made as scripts/demo makes it) with the demo model:
#   --wait-analysis: exit 0, one "analysis:" line of four probabilities in [0,1], a PNG with the heatmaps;
#   --no-analysis: a PNG and no "analysis:" line, and the two pictures differ (the overlay is drawn);
#   --wait-analysis refuses: no model (exit 2), an unreadable file (exit 2, named), a missing bundle (exit 4,
#   nothing written).
# Needs a display (ctest under xvfb-run, as scripts/test runs it).
set -euo pipefail
gui="$1" cli="$2" model="$3" dir="$4"
[[ -n "${DISPLAY:-}" ]] || { echo "no DISPLAY: run ctest under xvfb-run (scripts/test)"; exit 1; }
rm -rf "$dir"
mkdir -p "$dir"
# Settings, study store and caches of this test alone: the reader's remembered model and store are not
# touched, and no cached result of an earlier run is shown.
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" XDG_CACHE_HOME="$dir/cache"
export XDG_RUNTIME_DIR="$dir/runtime"
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
"$cli" synth --exams 1 --out "$dir/exam" --seed 2026 --size small --format both --lesion-rate 1 >/dev/null
exam="$dir/exam/exam_list.json"

fail() { echo "FAIL: $*"; exit 1; }
# Runs the GUI; its exit status in $rc, stdout in $dir/out.txt, stderr in $dir/err.txt (also echoed).
run() {
  set +e
  "$gui" "$@" >"$dir/out.txt" 2>"$dir/err.txt"
  rc=$?
  set -e
  cat "$dir/out.txt" "$dir/err.txt"
}

# No model given and none remembered (before any --model below remembers one).
run --screenshot "$dir/none.png" --wait-analysis "$exam"
[[ $rc -eq 2 ]] || fail "no model: exit $rc, expected 2"
grep -q -- "--wait-analysis needs an AI model" "$dir/err.txt" || fail "no model: no error message"
[[ ! -e "$dir/none.png" ]] || fail "no model: a picture was written"

# Without the analysis first: no AI result exists yet, so none can be shown from the cache either.
run --screenshot "$dir/b.png" --model "$model" --no-analysis --size 800x600 "$exam"
[[ $rc -eq 0 ]] || fail "--no-analysis: exit $rc"
[[ -s "$dir/b.png" ]] || fail "--no-analysis: no picture"
! grep -q '^analysis:' "$dir/out.txt" || fail "--no-analysis printed an analysis line"

start=$SECONDS
run --screenshot "$dir/a.png" --model "$model" --wait-analysis --size 800x600 "$exam"
echo "wait-analysis screenshot: $((SECONDS - start)) s"
[[ $rc -eq 0 ]] || fail "--wait-analysis: exit $rc"
[[ -s "$dir/a.png" ]] || fail "--wait-analysis: no picture"
[[ "$(head -c 8 "$dir/a.png" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]] || fail "a.png is not a PNG"
[[ $(grep -c '^analysis:' "$dir/out.txt") -eq 1 ]] || fail "--wait-analysis: expected one analysis line"
line=$(grep '^analysis:' "$dir/out.txt")
p='(0\.[0-9]{3}|1\.000)'
[[ "$line" =~ ^analysis:\ L-malignant\ $p\ R-malignant\ $p\ L-benign\ $p\ R-benign\ $p$ ]] ||
  fail "bad analysis line: $line"

! cmp -s "$dir/a.png" "$dir/b.png" || fail "the pictures with and without the analysis are the same"

head -c 4096 /dev/urandom >"$dir/x.dcm"
run --screenshot "$dir/x.png" --model "$model" --wait-analysis "$dir/x.dcm"
[[ $rc -eq 2 ]] || fail "corrupt file: exit $rc, expected 2"
grep -q "x.dcm" "$dir/err.txt" || fail "corrupt file: not named on stderr"
[[ ! -e "$dir/x.png" ]] || fail "corrupt file: a picture was written"

run --screenshot "$dir/m.png" --model "$dir/no-such-bundle" --wait-analysis "$exam"
[[ $rc -eq 4 ]] || fail "missing bundle: exit $rc, expected 4"
grep -q "error: analysis failed: .*no-such-bundle" "$dir/err.txt" || fail "missing bundle: no error naming it"
[[ ! -e "$dir/m.png" ]] || fail "missing bundle: a picture was written"
echo "screenshot --wait-analysis: all checks passed ($line)"
