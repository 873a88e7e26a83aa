#!/usr/bin/env bash
# Issue 6's figure, against a release build on embedded SQLite with the demo loaded: an agreement with 8 priorities,
# 40 measures with 10 years of monthly values each (4,800 values) and 200 actions with progress is built over the
# API; then wrk, one connection for 10 s, against its CSA Performance Monitoring appendix as a signed-in reader,
# GET /strategy/{id}/appendix (HTML with a trend chart per measure). Target: median < 100 ms.
# Needs wrk, curl and python3 (Debian: apt-get install wrk curl).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require wrk wrk

PORT="${PORT:-18082}"
DURATION="${DURATION:-10s}"
build_release
make_data_dir
start_server --demo

TOKEN=$("$BIN" token add --email manager@concord.demo --name bench-appendix)
export BASE TOKEN
AGREEMENT=$(python3 - <<'PY'
import json, os, urllib.request
base, token = os.environ["BASE"], os.environ["TOKEN"]
def call(path, body, content_type="application/json"):
    data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    request = urllib.request.Request(base + "/api/v1" + path, data=data, method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    return json.load(urllib.request.urlopen(request))
agreement = call("/agreements", {"title": "Benchmark Community Safety Agreement", "startsOn": "2017-04-01"})["id"]
themes = [call(f"/agreements/{agreement}/topics", {"kind": "cross-cutting-theme", "name": f"Theme {n}", "year": 2017})["id"] for n in range(5)]
rows = ["measure_id,period_kind,period,value"]
for p in range(8):
    priority = call(f"/agreements/{agreement}/topics", {"kind": "priority", "name": f"Priority {p + 1}", "leadRole": "Head of Community Safety", "year": 2017})["id"]
    for m in range(5):
        unit = "percentage" if m % 2 else "count"
        measure = call(f"/agreements/{agreement}/measures", {"name": f"Measure {p + 1}.{m + 1}", "priorityId": priority, "unit": unit,
                                                             "polarity": "lower-is-better", "periodKinds": ["month"],
                                                             "baseline": {"label": "Apr 2016", "value": 40 if m % 2 else 4000}})["id"]
        for month in range(120):
            year, index = 2016 + (month + 3) // 12, (month + 3) % 12 + 1
            value = 30 + (month * 7 + m) % 40 if m % 2 else 3000 + (month * 37 + m * 11) % 2000
            rows.append(f"{measure},month,{year}-{index:02d},{value}")
    for a in range(5):
        aim = call(f"/agreements/{agreement}/aims", {"priorityId": priority, "text": f"Aim {p + 1}.{a + 1}: reduce harm through joint working"})["id"]
        for n in range(5):
            call(f"/agreements/{agreement}/actions", {"aimId": aim, "text": f"Action {p + 1}.{a + 1}.{n + 1}: deliver the partnership activity",
                                                      "timescale": "ongoing", "themeIds": [themes[n]]})
call(f"/agreements/{agreement}/measure-values", "\n".join(rows) + "\n", "text/csv")
plan = json.load(urllib.request.urlopen(urllib.request.Request(f"{base}/api/v1/agreements/{agreement}/actions",
                                                               headers={"Authorization": "Bearer " + token})))
for action in plan["actions"]:
    call(f"/agreements/{agreement}/actions/{action['id']}/progress",
         {"version": action["version"], "on": "2026-10-01", "status": "in-progress", "text": "Partners report steady progress against the plan."})
print(agreement)
PY
)

PASSWORD=$(sed -n 's/.*password for all: \([^ ]*\).*/\1/p' "$DATA/serve.log")
JAR="$DATA/cookies"
CSRF=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$CSRF" --data-urlencode "email=member@concord.demo" \
  --data-urlencode "password=$PASSWORD" "$BASE/login"
SESSION=$(awk '$6 == "concord_session" {print $7}' "$JAR")
[ -n "$SESSION" ] || { echo "could not sign in" >&2; exit 1; }
URL="$BASE/strategy/$AGREEMENT/appendix?on=2026-11-30"
BYTES=$(curl -fs -H "Cookie: concord_session=$SESSION" "$URL" | wc -c)
RESULT=$(wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: concord_session=$SESSION" "$URL")
echo "appendix HTML ($BYTES bytes; 8 priorities, 40 measures x 120 monthly values, 200 actions), 1 connection:"
echo "  p50 $(awk '$1 == "50%" {print $2}' <<<"$RESULT"), p99 $(awk '$1 == "99%" {print $2}' <<<"$RESULT"), $(awk '/Requests\/sec/ {print $2}' <<<"$RESULT") req/s (target median < 100ms) $(awk '/Non-2xx|Socket errors/' <<<"$RESULT")"
