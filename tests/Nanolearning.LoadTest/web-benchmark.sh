#!/usr/bin/env bash
# Measures a running app (see docs/benchmarks.md for how to start it with 50 000 employees):
#   1. an authenticated lesson page and the trivial /health/live endpoint with wrk, in the same run;
#   2. quiz answers from 200 concurrent learners with the load harness.
# Usage: tests/Nanolearning.LoadTest/web-benchmark.sh http://127.0.0.1:5090 /path/to/app.db
set -euo pipefail
base=${1:-https://127.0.0.1:5090}
db=${2:-src/Nanolearning.Web/App_Data/nanolearning.db}
duration=${DURATION:-30s}
connections=${CONNECTIONS:-32}
jar=$(mktemp)

# The app outside Development is HTTPS only, here with a self-signed certificate (-k).
# Log in as Maja (demo persona, half-way through the introduction) and keep her cookies.
token=$(curl -sk -c "$jar" -b "$jar" "$base/logga-in" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -sk -c "$jar" -b "$jar" -o /dev/null -X POST "$base/logga-in?handler=Demo" --data-urlencode "__RequestVerificationToken=$token" -d persona=medarbetare
lesson=$(curl -sk -c "$jar" -b "$jar" "$base/" | grep -o 'href="/kurs/anhorigperspektiv-introduktion/[^"]*"' | head -1 | cut -d'"' -f2)
cookie=$(awk '$6 ~ /^(__Host-)?nanolearning/ { printf "%s=%s; ", $6, $7 }' "$jar")
rm -f "$jar"
status=$(curl -sk -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$lesson")
echo "lesson page: $lesson (HTTP $status as Maja)"
[ "$status" = 200 ] || { echo "not logged in" >&2; exit 1; }

echo "== wrk: authenticated lesson page"
wrk -t2 -c"$connections" -d"$duration" --latency -H "Cookie: $cookie" "$base$lesson"
echo "== wrk: /health/live (trivial endpoint, same app, same run)"
wrk -t2 -c"$connections" -d"$duration" --latency "$base/health/live"
echo "== quiz answers: 200 learners"
dotnet run -c Release --project tests/Nanolearning.LoadTest -- "$base" "$db" 200 20
