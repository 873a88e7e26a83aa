#!/usr/bin/env bash
# Issue 3: CSV import of ROWS incidents (default 1,000,000) into SQLite with `concord asb import` (release build),
# against `sqlite3 .import` of the same file into a table of the same columns. One run each; prints both rates
# and the ratio (target ≥ 0.5). Needs sqlite3 and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-1000000}"
. scripts/lib.sh
require sqlite3 sqlite3
build_release
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 scripts/generate-incidents.py "$ROWS" "$WORK/incidents.csv"
export CONCORD_DATA_DIR="$WORK/concord"
"$BIN" demo >/dev/null

seconds() { python3 -c 'import sys, time; print(time.time())'; }
# Each timed run starts with nothing waiting to be written back (the generated file, the demo load): otherwise the
# first run pays for writing the other's data to disk.
sync
START=$(seconds)
"$BIN" asb import "$WORK/incidents.csv" 2>/dev/null
CONCORD=$(python3 -c "print($(seconds) - $START)")

COLUMNS=$(head -n 1 "$WORK/incidents.csv" | sed 's/,/ TEXT, /g; s/$/ TEXT/')
sqlite3 "$WORK/plain.sqlite" "PRAGMA journal_mode = WAL; CREATE TABLE incidents ($COLUMNS);" >/dev/null
sync
START=$(seconds)
sqlite3 "$WORK/plain.sqlite" -cmd ".mode csv" ".import --skip 1 $WORK/incidents.csv incidents"
PLAIN=$(python3 -c "print($(seconds) - $START)")

python3 - "$ROWS" "$CONCORD" "$PLAIN" <<'PY'
import sys
rows, concord, plain = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"concord asb import: {rows} rows in {concord:.1f} s = {rows / concord:,.0f} rows/s")
print(f"sqlite3 .import:    {rows} rows in {plain:.1f} s = {rows / plain:,.0f} rows/s")
print(f"ratio: {plain / concord:.2f} (target >= 0.5)")
PY
