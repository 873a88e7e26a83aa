#!/usr/bin/env bash
# Issue 2's HTTP figures, in one run against a release build on embedded SQLite:
#   1. resident memory of an idle `concord serve --demo` after the demo load (target < 60 MB);
#   2. wrk, 64 connections for 10 s each, against GET /health and against an authenticated JSON read of one case
#      (GET /api/v1/cases/{id} with a bearer token: session-less auth, policy, audited read);
#   3. requests/s of each, their ratio (target ≥ 0.6) and the p99 of the authenticated read (target < 20 ms).
# Needs wrk and curl (Debian: apt-get install wrk curl).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

PORT="${PORT:-18080}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
# A build folder of its own, so a benchmark neither waits for nor disturbs the debug build in .build.
RELEASE=(swift build -c release --scratch-path .build-release)
"${RELEASE[@]}" --product concord >/dev/null
BIN="$("${RELEASE[@]}" --show-bin-path)/concord"
DATA="$(mktemp -d)"
export CONCORD_DATA_DIR="$DATA" LOG_LEVEL=warning
BASE="http://127.0.0.1:$PORT"

"$BIN" serve --demo --port "$PORT" >"$DATA/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -fs "$BASE/health" >/dev/null && break; sleep 0.1; done
curl -fs "$BASE/health" >/dev/null || { echo "concord did not start:" >&2; cat "$DATA/serve.log" >&2; exit 1; }
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
