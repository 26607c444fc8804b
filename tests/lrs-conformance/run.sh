#!/usr/bin/env bash
# Runs ADL's xAPI LRS conformance suite (1.0.3) against the built-in LRS and prints the counts.
# The suite lives outside the repository (MIT licence, github.com/adlnet/lrs-conformance-test-suite); give its folder
# as the first argument or LRS_SUITE. It is copied to a scratch folder (it writes logs/ and needs node_modules).
#   tests/lrs-conformance/run.sh /work/shared/vendor/lrs-conformance-test-suite
# The app runs from this checkout's build output (Development environment, so plain HTTP on 127.0.0.1 is allowed),
# demo off, on its own SQLite file, with LRS credentials and a rate limit high enough for the suite's ~3 000 requests.
# Every setting is given on the command line; appsettings and the defaults stay as they are. CI does not run this.
set -euo pipefail
suite=${1:-${LRS_SUITE:-}}
[ -n "$suite" ] && [ -f "$suite/bin/console_runner.js" ] || { echo "usage: $0 <suite folder> (or LRS_SUITE=...)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
port=${PORT:-5391}
work=${WORK:-$(mktemp -d /tmp/lrs-conformance.XXXXXX)}
user=conformance
pass=conformance-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')

# The suite, copied once per work folder; npm install only when node_modules is missing.
if [ ! -d "$work/suite/node_modules" ]; then
  mkdir -p "$work/suite"
  cp -r "$suite"/. "$work/suite/"
  (cd "$work/suite" && npm install --no-audit --no-fund >"$work/npm.log" 2>&1)
fi

[ "${NO_BUILD:-}" = 1 ] || dotnet build "$repo/src/Nanolearning.Web" -v q -nologo >/dev/null
app_dir="$repo/src/Nanolearning.Web"
dll=$(ls "$app_dir"/bin/Debug/net*/Nanolearning.Web.dll | head -1)

rm -f "$work/lrs.db"*
(cd "$app_dir" && ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development \
  exec dotnet "$dll" --urls "http://127.0.0.1:$port" \
    --ConnectionStrings:Nanolearning="Data Source=$work/lrs.db" \
    --Nanolearning:Demo=false \
    --Nanolearning:PublicUrl="http://127.0.0.1:$port" \
    --Xapi:Lrs:Username="$user" --Xapi:Lrs:Password="$pass" \
    --Xapi:Delivery:Schedule= \
    --RateLimits:Xapi:PermitLimit=100000 --RateLimits:XapiUnauthenticated:PermitLimit=100000 \
    --Logging:LogLevel:Default=Warning) >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/xapi/about" && break
  kill -0 $app 2>/dev/null || { echo "the app stopped; see $work/app.log" >&2; tail -20 "$work/app.log" >&2; exit 1; }
  sleep 1
done

# Warm up (JIT, first queries): the suite's first test has a 15 s timeout, which a cold app on a busy machine can miss.
auth=(-u "$user:$pass" -H "X-Experience-API-Version: 1.0.3")
curl -s -o /dev/null "${auth[@]}" -H "Content-Type: application/json" -X POST "http://127.0.0.1:$port/xapi/statements" \
  -d '{"actor":{"mbox":"mailto:warm-up@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"http://example.com/warm-up"}}'
curl -s -o /dev/null "${auth[@]}" "http://127.0.0.1:$port/xapi/statements?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fexperienced"

cd "$work/suite"
rm -rf logs
node bin/console_runner.js -e "http://127.0.0.1:$port/xapi" -a -u "$user" -p "$pass" -x 1.0.3 -z >"$work/suite.log" 2>&1 || true
log=$(ls -t logs/*.log 2>/dev/null | head -1 || true)
echo "suite output: $work/suite.log; full log: $work/suite/$log; app log: $work/app.log"
# The runner prints its running totals as JSON lines; the last one is the result.
summary=$(grep -a '^{"total"' "$work/suite.log" | tail -1)
[ -n "$summary" ] || { echo "no result; see $work/suite.log" >&2; exit 1; }
echo "$summary" | sed -E 's/.*"total":([0-9]+),"passed":([0-9]+),"failed":([0-9]+).*/passed \2 of \1, failed \3/'
