#!/usr/bin/env bash
# Runs every test on a fresh machine with nothing but the .NET SDK: installs what the tests need when it is missing
# (Debian's chromium for the browser tests, Debian's aiosmtpd for the mail tests), runs `dotnet test`, and ends with
# "tests: N passed, N failed" counted from the TRX files that run wrote. Extra arguments go to `dotnet test`.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian's python runs aiosmtpd (another python3 may come first on PATH); Playwright's own browser download does not
# work here, so the tests drive Debian's chromium.
if ! [ -x /usr/bin/chromium ] || ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core python3 python3-aiosmtpd
fi

rm -rf artifacts/test-results
dotnet test "$@"
status=$?

# Counted from the results, not from the console: a crashed test host still shows as a failure.
counts=$(find artifacts/test-results -name '*.trx' -print0 2>/dev/null | xargs -0 -r grep -ho '<Counters [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) { gsub(/"|\/?>/, "", kv[2]); n[kv[1]] += kv[2] } files++ }
    END { failed = n["failed"] + n["error"] + n["timeout"] + n["aborted"]; if (!files) failed++; printf "%d %d", n["passed"], failed }')
read -r passed failed <<<"${counts:-0 1}"
[ -n "$(find artifacts/test-results -name '*.trx' 2>/dev/null)" ] || echo "no test results were written" >&2
echo "tests: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
