#!/usr/bin/env bash
# Issue 5's figures, against a release build on embedded SQLite with the demo loaded:
#   1. a meeting with 30 agenda items (4 of them restricted) and 30 minutes is built over the API and published;
#   2. wrk against its public agenda page, GET /public/meetings/{publicId} (target p99 < 20 ms), at 8 and at 64
#      connections for 10 s each;
#   3. wrk, one connection, against the full pack HTML as the clerk, GET /meetings/{id}/pack (target < 200 ms).
# Needs wrk, curl and python3 (Debian: apt-get install wrk curl).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require wrk wrk

PORT="${PORT:-18081}"
DURATION="${DURATION:-10s}"
build_release
make_data_dir
start_server --demo

TOKEN=$("$BIN" token add --email clerk@concord.demo --name bench-agenda)
api() { curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
BODY=$(api "$BASE/api/v1/bodies" | json 'd["items"][0]["id"]')
MEETING=$(api -d '{"bodyId":'"$BODY"',"heldOn":"2027-03-16","startsAt":"10:00","venue":"Darent Room, Sessions House, County Hall, Maidstone",
  "contactName":"Democratic Services","contactEmail":"democratic.services@kent.gov.uk","packFirstPage":3,"minutesStartAt":500}' \
  "$BASE/api/v1/meetings" | json 'd["meeting"]["id"]')
for n in $(seq 1 30); do
  case $n in
    [1-3]) SECTION=A ;; 2[7-9]|30) SECTION=D ;; 2[0-6]) SECTION=C ;; *) SECTION=B ;;
  esac
  EXTRA=""
  [ "$SECTION" = D ] && EXTRA=',"restrictedParagraph":1,"restrictionReason":"Information relating to an individual","audience":["dhr-officer"]'
  api -d '{"section":"'"$SECTION"'","title":"Agenda item '"$n"': Kent Community Safety Agreement performance update and action plan","kind":"report",
    "presenter":"Head of Community Safety","pageCount":'"$((n % 7 + 2))$EXTRA"'}' "$BASE/api/v1/meetings/$MEETING/items" >/dev/null
  api -d '{"title":"Minute '"$n"'","paragraphs":["The Partnership discussed the report and asked a number of questions.","The report was noted."],
    "resolution":"noted"}' "$BASE/api/v1/meetings/$MEETING/minutes" >/dev/null
done
VERSION=$(api "$BASE/api/v1/meetings/$MEETING" | json 'd["meeting"]["version"]')
PUBLIC=$(api -d '{"version":'"$VERSION"'}' "$BASE/api/v1/meetings/$MEETING/publish" | json 'd["meeting"]["publicId"]')

# A browser session for the clerk, for the full pack.
PASSWORD=$(sed -n 's/.*password for all: \([^ ]*\).*/\1/p' "$DATA/serve.log")
JAR="$DATA/cookies"
CSRF=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$CSRF" --data-urlencode "email=clerk@concord.demo" \
  --data-urlencode "password=$PASSWORD" "$BASE/login"
SESSION=$(awk '$6 == "concord_session" {print $7}' "$JAR")
[ -n "$SESSION" ] || { echo "could not sign in as the clerk" >&2; exit 1; }
ITEMS=$(curl -fs "$BASE/public/meetings/$PUBLIC" | grep -c '<li id="item-')
PACK_BYTES=$(curl -fs -H "Cookie: concord_session=$SESSION" "$BASE/meetings/$MEETING/pack" | wc -c)

p99() { awk '$1 == "99%" {print $2}' <<<"$1"; }
p50() { awk '$1 == "50%" {print $2}' <<<"$1"; }
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
errors() { awk '/Non-2xx|Socket errors/' <<<"$1"; }
AGENDA8=$(wrk -t2 -c8 -d"$DURATION" --latency "$BASE/public/meetings/$PUBLIC")
AGENDA64=$(wrk -t2 -c64 -d"$DURATION" --latency "$BASE/public/meetings/$PUBLIC")
PACK=$(wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: concord_session=$SESSION" "$BASE/meetings/$MEETING/pack")

echo "public agenda page ($ITEMS public items of 30), 8 connections:  $(rps "$AGENDA8") req/s, p50 $(p50 "$AGENDA8"), p99 $(p99 "$AGENDA8") (target < 20ms) $(errors "$AGENDA8")"
echo "public agenda page ($ITEMS public items of 30), 64 connections: $(rps "$AGENDA64") req/s, p50 $(p50 "$AGENDA64"), p99 $(p99 "$AGENDA64") $(errors "$AGENDA64")"
echo "full pack HTML ($PACK_BYTES bytes, 30 items, 30 minutes), clerk, 1 connection: p50 $(p50 "$PACK"), p99 $(p99 "$PACK") (target < 200ms) $(errors "$PACK")"
