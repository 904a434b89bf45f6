#!/bin/bash
# End to end: phantom masks (mammolens-cli synth) -> DICOM SEG referencing the phantom's DICOM images ->
# NYU PNG masks -> agreement with the originals must be perfect.
set -euo pipefail
cli=$1
dir=$2
rm -rf "$dir"
mkdir -p "$dir"
"$cli" synth --exams 2 --seed 1 --lesion-rate 1 --out "$dir/exams" --format both > /dev/null
"$cli" masks convert "$dir/exams" --to seg --out "$dir/seg" --reference "$dir/exams"
segs=$(ls "$dir/seg" | grep -c '_seg\.dcm$')
[ "$segs" -eq 8 ] || { echo "expected 8 SEG files, got $segs"; exit 1; }
grep -q . <("$cli" masks convert "$dir/seg" --to png --out "$dir/png")
"$cli" masks agree "$dir/exams" "$dir/png" | tee "$dir/agree.txt"
grep -q '^images: 8 compared, 0 only in A, 0 only in B$' "$dir/agree.txt"
# Perfect agreement: Dice and IoU 1, every lesion of A matched, none missed, no extra lesions in B.
for cls in benign malignant; do
  grep -Eq "^$cls +1\.0000 +1\.0000 +([0-9]+) +\1 +0 +\1 +0$" "$dir/agree.txt" || { echo "$cls: not perfect"; exit 1; }
done
# One exam's masks only: the other exam's images are reported as missing from B.
mkdir "$dir/one"
first=$(ls "$dir/png" | head -1 | sed -E 's/_[LR]-(CC|MLO)_.*//')
cp "$dir/png/${first}_"* "$dir/one/"
"$cli" masks agree "$dir/exams" "$dir/one" | grep -q '^images: 4 compared, 4 only in A, 0 only in B$'
# Annotator B left one image's benign finding out (its mask replaced by the same image's empty malignant
# mask, one lesion per breast): benign Dice below 1 with lesions missed, malignant still perfect.
cp -r "$dir/png" "$dir/b"
for f in "$dir/b"/*_benign.png; do
  m="${f%_benign.png}_malignant.png"
  if [ "$(stat -c %s "$f")" -gt "$(stat -c %s "$m")" ]; then cp "$m" "$f"; break; fi
done
"$cli" masks agree "$dir/png" "$dir/b" | tee "$dir/agree-b.txt"
awk '$1 == "benign" && $2 < 1 && $6 >= 1 && $4 == $5 + $6 && $8 == 0 { ok = 1 } END { exit !ok }' "$dir/agree-b.txt" ||
  { echo "benign: the left-out finding is not reported"; exit 1; }
grep -Eq "^malignant +1\.0000 +1\.0000 +([0-9]+) +\1 +0 +\1 +0$" "$dir/agree-b.txt"
# Lesion types: B typed every malignant finding as a mass. Per class the typed masks disagree with the
# plain ones; per pathology ("any-malignant") the agreement is still perfect.
mkdir "$dir/typed"
for f in "$dir/png"/*.png; do
  name=$(basename "$f")
  cp "$f" "$dir/typed/${name/_malignant.png/_malignant-mass.png}"
done
"$cli" masks agree "$dir/png" "$dir/typed" | tee "$dir/agree-typed.txt"
grep -Eq "^malignant-mass +0\.0000 +0\.0000 +0 +0 +0 +[1-9][0-9]* +[1-9]" "$dir/agree-typed.txt" ||
  { echo "malignant-mass: B's typed lesions are not reported as extra"; exit 1; }
grep -Eq "^any-malignant +1\.0000 +1\.0000 +([0-9]+) +\1 +0 +\1 +0$" "$dir/agree-typed.txt" ||
  { echo "any-malignant: not perfect"; exit 1; }
grep -Eq "^benign +1\.0000 +1\.0000 " "$dir/agree-typed.txt"
# Typed masks through DICOM SEG and back keep their class.
"$cli" masks convert "$dir/typed" --to seg --out "$dir/typed-seg" > /dev/null
"$cli" masks convert "$dir/typed-seg" --to png --out "$dir/typed-png" > /dev/null
"$cli" masks agree "$dir/typed" "$dir/typed-png" | grep -Eq "^malignant-mass +1\.0000 +1\.0000 " ||
  { echo "typed masks changed through SEG"; exit 1; }
# The exam list points at an annotator's masks: the typed ones replace the phantom's own.
"$cli" masks attach "$dir/exams/exam_list.json" --masks "$dir/typed" --replace --out "$dir/attached.json" |
  tee "$dir/attach.txt"
grep -q '^attached 16 mask file(s) to 8 image(s)' "$dir/attach.txt"
grep -q '_L-CC_malignant-mass.png"' "$dir/attached.json"
! grep -q 'masks/P[0-9-]*_L-CC_malignant.png"' "$dir/attached.json" || { echo "old masks kept"; exit 1; }
"$cli" info "$dir/attached.json" > /dev/null
# Masks of an exam the list does not have: refused with a non-zero status.
mkdir "$dir/stranger"
cp "$dir/typed/$(ls "$dir/typed" | head -1)" "$dir/stranger/X9_L-CC_benign.png"
! "$cli" masks attach "$dir/exams/exam_list.json" --masks "$dir/stranger" --out "$dir/none.json" 2> "$dir/attach-err.txt"
grep -q "X9 L-CC match no image" "$dir/attach-err.txt"
echo "masks CLI round trip: OK"
