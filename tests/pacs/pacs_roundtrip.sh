#!/usr/bin/env bash
# The workstation against a real PACS: Debian's Orthanc, started here on free loopback ports with a temporary
# configuration and storage folder, and DCMTK's own tools (storescu, findscu, echoscu, dcmdump, dcmodify) on
# the other side of mammolens-cli.
#
#   1. phantom DICOMs (three transfer syntaxes) and ../shared/data/real/dicom go into Orthanc with storescu;
#   2. mammolens-cli pacs query finds them (all, by patient, by date range), as findscu does;
#   3. mammolens-cli pacs retrieve brings every study into a study store, by C-MOVE and by C-GET;
#   4. every file comes back with its Pixel Data byte-identical (SHA-256 of each value or fragment) and its
#      tags unchanged (dcmdump of the data set, the file meta group aside);
#   5. mammolens-cli pacs listen receives from storescu; an unknown caller is refused, a path-traversal UID
#      stays inside the store, an image without its announced pixels is refused with the reason, the
#      receiver keeps running, nothing half-written is indexed; SIGTERM stops it.
#
# Usage: pacs_roundtrip.sh MAMMOLENS_CLI WORK_DIR REAL_DICOM_DIR
# Exit 0 passed, 1 failed, 77 skipped (a package is missing: the message names it). Stops by itself: every
# client call has a timeout, and Orthanc and the listener are killed on exit.
set -uo pipefail

CLI=$1
WORK=$2
REAL=$3
ORTHANC_BIN=${ORTHANC_BIN:-/usr/sbin/Orthanc}

skip() { echo "SKIP: $1"; exit 77; }
[ -x "$ORTHANC_BIN" ] || skip "Orthanc is not installed (apt-get install orthanc; scripts/packages.txt lists it)"
for tool in storescu findscu echoscu dcmdump dcmodify; do
  command -v $tool >/dev/null || skip "$tool is not installed (apt-get install dcmtk)"
done

FAILURES=0
fail() { echo "FAIL: $*"; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }
T="timeout 120"

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK" || exit 1

ORTHANC_PID=
LISTEN_PID=
cleanup() {
  for pid in $LISTEN_PID $ORTHANC_PID; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in $LISTEN_PID $ORTHANC_PID; do
    for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
}
trap cleanup EXIT

# A loopback port nobody answers on (a connection to it is refused).
free_port() {
  local port
  while :; do
    port=$(shuf -i 20000-60999 -n 1)
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
PACS_PORT=$(free_port)
MOVE_PORT=$(free_port)
LISTEN_PORT=$(free_port)

# --- Orthanc --------------------------------------------------------------------------------------------------
mkdir -p orthanc
cat >orthanc/orthanc.json <<JSON
{
  "Name" : "MammolensTestPacs",
  "StorageDirectory" : "$WORK/orthanc/db",
  "IndexDirectory" : "$WORK/orthanc/db",
  "Plugins" : [], "LuaScripts" : [],
  "HttpServerEnabled" : false,
  "RemoteAccessAllowed" : false,
  "DicomServerEnabled" : true,
  "DicomAet" : "TESTPACS",
  "DicomPort" : $PACS_PORT,
  "DicomCheckCalledAet" : true,
  "DicomAlwaysAllowEcho" : true,
  "DicomAlwaysAllowStore" : true,
  "DicomAlwaysAllowFind" : true,
  "DicomCheckModalityHost" : false,
  "DicomModalities" : { "mammolens" : { "AET" : "MAMMOLENS", "Host" : "127.0.0.1", "Port" : $MOVE_PORT } },
  "DicomScpTimeout" : 30,
  "DicomScuTimeout" : 10,
  "SynchronousCMove" : true,
  "ConcurrentJobs" : 1,
  "SaveJobs" : false,
  "StableAge" : 1,
  "OverwriteInstances" : true
}
JSON
"$ORTHANC_BIN" orthanc/orthanc.json >orthanc/orthanc.log 2>&1 &
ORTHANC_PID=$!
for _ in $(seq 300); do
  grep -q "Orthanc has started" orthanc/orthanc.log 2>/dev/null && break
  kill -0 $ORTHANC_PID 2>/dev/null || { cat orthanc/orthanc.log; echo "FAIL: Orthanc did not start"; exit 1; }
  sleep 0.1
done
$T echoscu -to 10 -aet MAMMOLENS -aec TESTPACS 127.0.0.1 "$PACS_PORT" || { echo "FAIL: Orthanc does not answer C-ECHO"; exit 1; }
pass "Orthanc $(dpkg-query -W -f='${Version}' orthanc 2>/dev/null) on port $PACS_PORT"

PACS=(--port "$PACS_PORT" --called-aet TESTPACS --aet MAMMOLENS --timeout 20)
$T "$CLI" pacs echo "${PACS[@]}" >/dev/null && pass "mammolens-cli pacs echo" || fail "mammolens-cli pacs echo"

# --- 1. into the PACS -----------------------------------------------------------------------------------------
mkdir -p sent
$T "$CLI" synth --exams 1 --seed 11 --size small --format dicom --transfer-syntax jpeg-ls-lossless --out sent/jls >/dev/null
$T "$CLI" synth --exams 1 --seed 12 --size small --format dicom --transfer-syntax jpeg2000-lossless --out sent/j2k >/dev/null
$T "$CLI" synth --exams 1 --seed 13 --size small --format dicom --transfer-syntax explicit-le --intent processing \
  --out sent/native >/dev/null
cp "$REAL"/*.dcm sent/
mapfile -t SENT < <(find sent -name '*.dcm' | sort)
echo "sending ${#SENT[@]} files"
# storescu proposes uncompressed syntaxes and, asked, one compressed family: the option for the file's own
# transfer syntax (so that each file goes as it is, never converted), one association per file.
propose() {
  case $(dcmdump -q +P TransferSyntaxUID "$1" | head -1) in
    *=JPEGLSLossless*) echo -xt ;;
    *=JPEGLSLossy*) echo -xu ;;
    *=JPEG2000LosslessOnly*) echo -xv ;;
    *=JPEG2000*) echo -xw ;;
    *=JPEGBaseline*) echo -xy ;;
    *=JPEGExtended*) echo -xx ;;
    *=JPEGLossless*) echo -xs ;;
    *=RLELossless*) echo -xr ;;
    *=DeflatedLittleEndianExplicit*) echo -xd ;;
    *) echo -xe ;;
  esac
}
# send SCP_AE CALLING_AE PORT FILE...: storescu, each file in its own transfer syntax.
send() {
  local called=$1 calling=$2 port=$3 f
  shift 3
  for f in "$@"; do
    $T storescu -v -R $(propose "$f") -to 20 -ta 20 -td 20 -aet "$calling" -aec "$called" 127.0.0.1 "$port" "$f" ||
      return 1
  done
}
# A tag's value at the data set's top level (dcmdump lists the top level first).
tag() { dcmdump -q +P "$1" "$2" | head -1 | sed 's/.*\[\(.*\)\].*/\1/'; }
if send TESTPACS MODALITY "$PACS_PORT" "${SENT[@]}" >storescu.log 2>&1; then
  pass "storescu sent ${#SENT[@]} files to Orthanc"
else
  cat storescu.log; fail "storescu into Orthanc"
fi
# The studies sent, by Study Instance UID.
declare -A STUDIES
for f in "${SENT[@]}"; do
  uid=$(tag StudyInstanceUID "$f")
  STUDIES[$uid]=1
done
echo "${#STUDIES[@]} studies sent"

# --- 2. query -------------------------------------------------------------------------------------------------
if $T "$CLI" pacs query "${PACS[@]}" --json >query.json 2>query.err; then
  found=$(grep -c '"study_uid"' query.json)
  [ "$found" = "${#STUDIES[@]}" ] && pass "query: $found studies" || fail "query found $found studies, ${#STUDIES[@]} sent"
  for uid in "${!STUDIES[@]}"; do grep -q "\"$uid\"" query.json || fail "query misses study $uid"; done
else
  cat query.err; fail "mammolens-cli pacs query"
fi
# findscu agrees on the number of studies.
mkdir -p findscu
(cd findscu && $T findscu -aet MAMMOLENS -aec TESTPACS -S -X -k QueryRetrieveLevel=STUDY -k StudyInstanceUID \
  127.0.0.1 "$PACS_PORT" >/dev/null 2>&1)
n=$(find findscu -name 'rsp*.dcm' | wc -l)
[ "$n" = "${#STUDIES[@]}" ] && pass "findscu: $n studies" || fail "findscu found $n studies, ${#STUDIES[@]} sent"
# Narrowed by patient and by date range.
pid=$(tag PatientID sent/jls/*/*L_CC.dcm)
n=$($T "$CLI" pacs query "${PACS[@]}" --patient-id "$pid" --json | grep -c '"study_uid"')
[ "$n" = 1 ] && pass "query by patient id" || fail "query by patient id $pid: $n studies"
date=$(tag StudyDate sent/jls/*/*L_CC.dcm)
n_in=$($T "$CLI" pacs query "${PACS[@]}" --study-date "$date-$date" --json | grep -c '"study_uid"')
n_out=$($T "$CLI" pacs query "${PACS[@]}" --study-date "19000101-19000102" --json | grep -c '"study_uid"')
[ "$n_in" -ge 3 ] && [ "$n_out" = 0 ] && pass "query by date range ($n_in on $date, $n_out in 1900)" ||
  fail "query by date range: $n_in on $date, $n_out in 1900"

# --- 3. retrieve ----------------------------------------------------------------------------------------------
i=0
for uid in $(printf '%s\n' "${!STUDIES[@]}" | sort); do
  if [ $((i % 2)) = 0 ]; then method=(--method move --listen-port "$MOVE_PORT"); else method=(--method get); fi
  if $T "$CLI" pacs retrieve "${PACS[@]}" --study-uid "$uid" --store store "${method[@]}" >retrieve.log 2>&1; then
    pass "retrieve ${method[1]} $uid: $(tail -1 retrieve.log)"
  else
    cat retrieve.log; fail "retrieve ${method[1]} $uid"
  fi
  i=$((i + 1))
done
$T "$CLI" worklist --store store --json >worklist.json
n=$(grep -c '"key"' worklist.json)
[ "$n" = "${#STUDIES[@]}" ] && pass "the store lists $n studies" || fail "the store lists $n studies, ${#STUDIES[@]} sent"
grep -q '"source": *"retrieved"' worklist.json || fail "retrieved studies are not marked retrieved"

# --- 4. identical pixels and tags -----------------------------------------------------------------------------
safe() { printf '%s' "$1" | sed 's/[^A-Za-z0-9.-]/_/g'; }
# The data set as dcmdump prints it in full (+L), the file meta group aside, each Pixel Data value or fragment
# replaced by its SHA-256. How a sequence's length is encoded (explicit or undefined: a PACS may re-encode
# either way, the content is the same) is left out.
dataset() {
  local raw
  raw=$(mktemp -d)
  dcmdump -q +L +W "$raw" "$1" | grep -v '^(0002' | grep -v 'DelimitationItem' |
    sed -e 's@(\(Sequence\|Item\) with [a-z]* length @(\1 @' -e 's@#[^#]*$@@' -e 's@ =[^ ]*\.\([0-9]*\)\.raw@ =fragment\1@' \
      -e 's/ *$//'
  ls "$raw" | awk -F. '{print $(NF-1), $0}' | sort -n | while read -r _ r; do sha256sum <"$raw/$r" | cut -c1-64; done
  rm -rf "$raw"
}
same=0
for f in "${SENT[@]}"; do
  study=$(tag StudyInstanceUID "$f")
  sop=$(tag SOPInstanceUID "$f")
  back="store/studies/$(safe "$study")/$(safe "$sop").dcm"
  if [ ! -f "$back" ]; then fail "$f did not come back ($back)"; continue; fi
  if diff <(dataset "$f") <(dataset "$back") >diff.txt; then
    same=$((same + 1))
  else
    fail "$f came back different:"; head -20 diff.txt
  fi
done
[ "$same" = "${#SENT[@]}" ] && pass "all $same files came back with identical pixel data and tags"
# The hash compares something: a changed pixel value is seen.
probe=sent/native/$(ls sent/native | grep -v json | head -1)
probe=$(ls "$probe"/*L_CC.dcm)
cp "$probe" changed.dcm
dcmodify -nb -ie -m "WindowCenter=1" changed.dcm >/dev/null 2>&1
if diff <(dataset "$probe") <(dataset changed.dcm) >/dev/null; then fail "the comparison does not see a changed tag"; fi
printf '\x01' | dd of=changed.dcm bs=1 seek=$(($(stat -c %s changed.dcm) - 10)) conv=notrunc 2>/dev/null
if diff <(dataset "$probe" | tail -1) <(dataset changed.dcm | tail -1) >/dev/null; then
  fail "the comparison does not see a changed pixel"
fi

# --- 5. the receiver, with storescu as the sender --------------------------------------------------------------
"$CLI" pacs listen --aet MAMMOLENS --port "$LISTEN_PORT" --store received --allow MODALITY --timeout 10 \
  >listen.out 2>listen.err &
LISTEN_PID=$!
for _ in $(seq 100); do grep -q "^listening" listen.out 2>/dev/null && break; sleep 0.1; done
grep -q "^listening" listen.out || { cat listen.err; fail "pacs listen did not start"; }
if send MAMMOLENS MODALITY "$LISTEN_PORT" sent/jls/*/*.dcm >store1.log 2>&1; then
  pass "storescu to pacs listen"
else
  cat store1.log; fail "storescu to pacs listen"
fi
# Unknown caller: the association is rejected, and says why.
if send MAMMOLENS STRANGER "$LISTEN_PORT" sent/j2k/*/*.dcm >store2.log 2>&1; then
  fail "an unknown calling AE title was let in"
else
  grep -qi "Calling AE Title Not Recognized" store2.log && pass "unknown caller rejected (calling AE title not recognized)" ||
    { cat store2.log; fail "unknown caller rejected without the right reason"; }
fi
# A SOP Instance UID that climbs out of the store.
cp sent/j2k/*/*R_CC.dcm traversal.dcm
dcmodify -nb -m "SOPInstanceUID=../../x" traversal.dcm || fail "dcmodify traversal.dcm"
send MAMMOLENS MODALITY "$LISTEN_PORT" traversal.dcm >store3.log 2>&1
if [ -e x ] || [ -e x.dcm ] || [ -e ../x ] || [ -e ../x.dcm ] || [ -n "$(find received/.. -maxdepth 2 -name 'x*' -newer traversal.dcm)" ]; then
  fail "a path-traversal UID wrote outside the store"
elif ls received/studies/*/.._.._x.dcm >/dev/null 2>&1; then
  pass "path-traversal UID stored inside the store as $(ls received/studies/*/.._.._x.dcm | head -1)"
else
  cat store3.log listen.err; fail "the path-traversal instance is neither refused nor inside the store"
fi
# The header announces twice the rows the pixel data holds (a truncated image).
cp sent/native/*/*R_MLO.dcm short.dcm
rows=$(dcmdump -q +P Rows short.dcm | awk '{print $3}')
dcmodify -nb -m "Rows=$((rows * 2))" short.dcm >/dev/null 2>&1
send MAMMOLENS MODALITY "$LISTEN_PORT" short.dcm >store4.log 2>&1
short_uid=$(tag SOPInstanceUID short.dcm)
if grep -q "Store Response (Error: CannotUnderstand)" store4.log && grep -q "pixel data shorter" listen.err &&
  ! grep -rq "$short_uid" received/studies 2>/dev/null; then
  pass "truncated image refused: $(grep 'pixel data shorter' listen.err | head -1)"
else
  cat store4.log listen.err; fail "truncated image not refused with its reason"
fi
[ -z "$(ls -A received/incoming 2>/dev/null)" ] && pass "nothing half-written in received/incoming" ||
  fail "left in received/incoming: $(ls received/incoming)"
# Still serving.
$T echoscu -to 10 -aet MODALITY -aec MAMMOLENS 127.0.0.1 "$LISTEN_PORT" && pass "the receiver still answers" ||
  fail "the receiver stopped answering"
send MAMMOLENS MODALITY "$LISTEN_PORT" sent/native/*/*.dcm >store5.log 2>&1 ||
  { cat store5.log; fail "storescu after the refusals"; }
kill -TERM $LISTEN_PID
wait $LISTEN_PID
rc=$?
LISTEN_PID=
[ $rc = 0 ] && pass "pacs listen stops on SIGTERM: $(tail -1 listen.out)" || fail "pacs listen exit $rc on SIGTERM"
$T "$CLI" worklist --store received --json >received.json
n=$(grep -c '"key"' received.json)
[ "$n" = 3 ] && pass "received: 3 studies indexed" || { cat received.json; fail "received: $n studies indexed, 3 expected"; }
grep -q '"source": *"received"' received.json || fail "received studies are not marked received"
# Images indexed: 4 + 1 (traversal) + 4, the refused one not among them.
images=$(grep -o '"images": *[0-9]*' received.json | awk -F: '{s += $2} END {print s}')
[ "$images" = 9 ] && pass "9 images indexed (the refused one was sent again whole)" || fail "$images images indexed, 9 expected"

echo
if [ $FAILURES = 0 ]; then echo "pacs round trip: all checks passed"; exit 0; fi
echo "pacs round trip: $FAILURES check(s) failed"
exit 1
