#!/usr/bin/env bash
# Runs every test on a fresh machine with nothing but the .NET SDK: installs what the tests need when it is missing
# (Debian's chromium for the browser tests, Debian's aiosmtpd for the mail tests, Debian's postgresql), runs
# `dotnet test` (every project, the web suite on SQLite), then the web suite again on PostgreSQL, and ends with
# "tests: N passed, N failed" counted from the TRX files both runs wrote. Extra arguments go to both `dotnet test`s.
# NANOLEARNING_SKIP_POSTGRESQL=1 leaves the PostgreSQL run out.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian's python runs aiosmtpd (another python3 may come first on PATH); Playwright's own browser download does not
# work here, so the tests drive Debian's chromium.
postgresql_bin() { find /usr/lib/postgresql -maxdepth 3 -name initdb -path '*/bin/*' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname; }
if ! [ -x /usr/bin/chromium ] || ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || [ -z "$(postgresql_bin)" ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core python3 python3-aiosmtpd postgresql
fi

rm -rf artifacts/test-results
dotnet test "$@"
status=$?

# The web suite on PostgreSQL: a server of its own, started as the postgres user (initdb refuses root) with a data
# folder of its own, on 127.0.0.1 and a free port; each test app makes its own database there and drops it. Durability
# settings are off: the server lives for this run only.
if [ "${NANOLEARNING_SKIP_POSTGRESQL:-0}" != 1 ]; then
    pg_bin=$(postgresql_bin)
    pg_dir=$(mktemp -d /tmp/nanolearning-postgresql.XXXXXX)
    as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pg_dir"
    stop_postgresql() { as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
    trap stop_postgresql EXIT
    port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if [ -n "$pg_bin" ] \
        && as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
        && as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
            -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null; then
        NANOLEARNING_TEST_DB=PostgreSql NANOLEARNING_TEST_POSTGRESQL="Host=127.0.0.1;Port=$port;Username=postgres" \
            dotnet test tests/Nanolearning.Web.Tests --no-build --results-directory "$PWD/artifacts/test-results/postgresql" "$@" || status=1
    else
        echo "PostgreSQL did not start ($pg_dir):" >&2
        cat "$pg_dir/initdb.log" "$pg_dir/server.log" >&2 2>/dev/null
        postgresql_failed=1
        status=1
    fi
fi

# Counted from the results, not from the console: a crashed test host still shows as a failure.
counts=$(find artifacts/test-results -name '*.trx' -print0 2>/dev/null | xargs -0 -r grep -ho '<Counters [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) { gsub(/"|\/?>/, "", kv[2]); n[kv[1]] += kv[2] } files++ }
    END { failed = n["failed"] + n["error"] + n["timeout"] + n["aborted"]; if (!files) failed++; printf "%d %d", n["passed"], failed }')
read -r passed failed <<<"${counts:-0 1}"
# A PostgreSQL that never started wrote no results: it still counts as a failure.
failed=$((failed + ${postgresql_failed:-0}))
[ -n "$(find artifacts/test-results -name '*.trx' 2>/dev/null)" ] || echo "no test results were written" >&2
echo "tests: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
