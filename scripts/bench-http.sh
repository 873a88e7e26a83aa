#!/usr/bin/env bash
# Issue 2's HTTP figures, in one run against a release build on embedded SQLite:
#   1. resident memory of an idle `concord serve --demo` after the demo load (target < 60 MB);
#   2. wrk, 64 connections for 10 s each, against GET /health and against an authenticated JSON read of one case
#      (GET /api/v1/cases/{id} with a bearer token: session-less auth, policy, audited read);
#   3. requests/s of each, their ratio (target ≥ 0.6) and the p99 of the authenticated read (target < 20 ms).
# Needs wrk and curl (Debian: apt-get install wrk curl).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require wrk wrk

PORT="${PORT:-18080}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
build_release
make_data_dir
start_server --demo
sleep 3
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")

TOKEN=$("$BIN" token add --email caseofficer@concord.demo --name bench-http)
TODAY=$(date -u +%F)
CASE_ID=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"title":"Benchmark case",
  "confirmNoExistingCase":true,"complainant":{"anonymous":true},"perpetrator":{"anonymous":true},
  "incident":{"occurredOn":"'"$TODAY"'","reportedOn":"'"$TODAY"'","category":"nuisance","channel":"phone","description":"Noise"}}' \
  "$BASE/api/v1/asb/cases" | python3 -c 'import json, sys; print(json.load(sys.stdin)["record"]["id"])')
curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/cases/$CASE_ID" >/dev/null

run_wrk() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@"; }
HEALTH=$(run_wrk "$BASE/health")
READ=$(run_wrk -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/cases/$CASE_ID")
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '$1 == "99%" {print $2}' <<<"$1"; }
errors() { awk '/Non-2xx|Socket errors/' <<<"$1"; }

echo "idle RSS after demo load:        $((RSS_KB / 1024)) MB ($RSS_KB kB; target < 60 MB)"
echo "GET /health:                     $(rps "$HEALTH") req/s, p99 $(p99 "$HEALTH") $(errors "$HEALTH")"
echo "GET /api/v1/cases/$CASE_ID (token): $(rps "$READ") req/s, p99 $(p99 "$READ") (target < 20ms) $(errors "$READ")"
python3 -c "print(f'ratio authenticated read / health: {float(\"$(rps "$READ")\") / float(\"$(rps "$HEALTH")\"):.2f} (target >= 0.6)')"
