#!/usr/bin/env bash
# Issue 17, "Beyond one machine": two instances of the app on one PostgreSQL database, next to one instance on SQLite
# with the same demo kommun, measured in the same session (docs/benchmarks.md, "Several instances on PostgreSQL").
#
#   tests/Nanolearning.LoadTest/two-instances.sh        # as root (PostgreSQL runs as the postgres user) or as that user
#
# What it does, all under $WORK (deleted at the end unless KEEP=1):
#   1. publishes the app and the answer harness in Release; makes a self-signed certificate (HTTPS, Data Protection);
#   2. starts its own PostgreSQL (own data folder and port; fsync and synchronous_commit on, as a real server would
#      have them) and a local SMTP sink (aiosmtpd): on PostgreSQL the app wants a mail server, not a pickup folder;
#   3. starts instance A on an empty PostgreSQL database and the SQLite instance on an empty file, both in demo mode
#      with EMPLOYEES employees and PROGRESS_ROWS progress rows (they seed at the same time); then instance B on A's
#      database, which must find the kommun there and not seed again (the learner count is checked before and after);
#   4. RUNS rounds, each: PostgreSQL ×2, then SQLite ×1, each measured with
#        - wrk on Maja's lesson page, 2 threads, CONNECTIONS connections, DURATION; on PostgreSQL one thread per
#          instance (instances.lua), so each instance gets half the connections and wrk's figures are for both;
#        - the answer harness: LEARNERS learners (dealt out over the instances in turn) answering for ANSWER_SECONDS;
#      with the CPU time of every process (the app instances, all of PostgreSQL, wrk, the harness) and of the machine
#      over each measured window;
#   5. prints every run and the medians, and writes them to $RESULTS.
# PG_SETTINGS adds server settings for an experiment, e.g. PG_SETTINGS="-c synchronous_commit=off".
#
# Both setups run with the same settings: Production, HTTPS, the reminder, gallring and xAPI delivery schedules off
# (the demo's backlog of learning events would otherwise be delivered to the built-in LRS during the measurement), the
# sign-in and answer rate limits raised (the harness signs in LEARNERS people from one address and each answers far
# more than 60 times a minute). The follow-up snapshot and the hourly planning keep their schedules.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-3}
employees=${EMPLOYEES:-60000}
progress_rows=${PROGRESS_ROWS:-1000000}
duration=${DURATION:-30s}
connections=${CONNECTIONS:-32}
learners=${LEARNERS:-200}
answer_seconds=${ANSWER_SECONDS:-20}
work=${WORK:-/tmp/nl-two-instances}
port_base=${PORT_BASE:-5480}
pg_port=$port_base a_port=$((port_base + 1)) b_port=$((port_base + 2)) s_port=$((port_base + 3)) smtp_port=$((port_base + 4))
results=${RESULTS:-$repo/artifacts/two-instances-$(date -u +%Y%m%dT%H%M).txt}
pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=nanolearning_bench;Maximum Pool Size=100"
sqlite_file=$work/sqlite/bench.db
hz=$(getconf CLK_TCK)

[ -e "$work" ] && { echo "$work exists: remove it or set WORK" >&2; exit 1; }
mkdir -p "$work/sqlite" "$(dirname "$results")"
chmod 755 "$work"
declare -A pid=()

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin=$(find /usr/lib/postgresql -maxdepth 3 -name initdb -path '*/bin/*' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname)

cleanup() {
    for name in "${!pid[@]}"; do
        kill "${pid[$name]}" 2>/dev/null || true
    done
    for name in "${!pid[@]}"; do
        wait "${pid[$name]}" 2>/dev/null || true
    done
    [ -f "$work/pg/data/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1
    if [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$work/progress.log"; }

log "publishing the app and the harness (Release) to $work"
dotnet publish "$repo/src/Nanolearning.Web" -c Release -o "$work/app" --nologo -v q >"$work/publish.log"
dotnet publish "$repo/tests/Nanolearning.LoadTest" -c Release -o "$work/loadtest" --nologo -v q >>"$work/publish.log"
openssl req -x509 -newkey rsa:2048 -noenc -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$work/k.pem" -out "$work/k.crt" 2>/dev/null
openssl pkcs12 -export -inkey "$work/k.pem" -in "$work/k.crt" -out "$work/bench.pfx" -passout pass:bench

log "starting PostgreSQL on port $pg_port (data in $work/pg)"
mkdir -p "$work/pg"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg"
as_postgres "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/pg/initdb.log"
# Durability as a production server has it (fsync, synchronous_commit and full_page_writes on: the defaults); room for
# two instances' connection pools (100 each) and Hangfire's; a buffer cache that holds the demo kommun.
as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 start \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=1GB ${PG_SETTINGS:-}" >/dev/null
postmaster=$(head -n 1 "$work/pg/data/postmaster.pid")

/usr/bin/python3 -m aiosmtpd -n -c aiosmtpd.handlers.Sink -l "127.0.0.1:$smtp_port" >"$work/smtp.log" 2>&1 &
pid[smtp]=$!

# start_app NAME PORT PROVIDER CONNECTION-STRING: one instance of the published app, in the background.
start_app() {
    local name=$1 port=$2 provider=$3 connection=$4
    (cd "$work/app" && exec env ASPNETCORE_ENVIRONMENT=Production \
        Database__Provider="$provider" ConnectionStrings__Nanolearning="$connection" \
        Nanolearning__Demo=true Nanolearning__DemoOutsideDevelopment=true \
        Nanolearning__DemoEmployees="$employees" Nanolearning__DemoProgressRows="$progress_rows" \
        Nanolearning__CoursesPath="$repo/courses" Nanolearning__PublicUrl="https://127.0.0.1:$port" AllowedHosts=127.0.0.1 \
        Kestrel__Certificates__Default__Path="$work/bench.pfx" Kestrel__Certificates__Default__Password=bench \
        DataProtection__CertificatePath="$work/bench.pfx" DataProtection__CertificatePassword=bench \
        Mail__Host=127.0.0.1 Mail__Port="$smtp_port" Mail__Tls=None \
        Reminders__ScanSchedule= Reminders__DispatchSchedule= Retention__Schedule= Xapi__Delivery__Schedule= \
        RateLimits__SignIn__PermitLimit=1000000 RateLimits__Answers__PermitLimit=100000000 \
        Logging__LogLevel__Default=Warning \
        dotnet Nanolearning.Web.dll --urls "https://127.0.0.1:$port" >"$work/$name.log" 2>&1) &
    pid[$name]=$!
}

# wait_ready NAME PORT: until the instance answers /health (its database too); fails if the process ends first.
wait_ready() {
    local name=$1 port=$2 started=$SECONDS
    until [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/health")" = 200 ]; do
        if ! kill -0 "${pid[$name]}" 2>/dev/null; then
            echo "instance $name ended before it was ready:" >&2
            tail -n 40 "$work/$name.log" >&2
            exit 1
        fi
        sleep 2
    done
    log "instance $name ready on port $port after $((SECONDS - started)) s"
}

pg_learners() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d nanolearning_bench -Atc 'SELECT count(*) FROM "Learners"'; }
sqlite_learners() { /usr/bin/python3 -c 'import sqlite3, sys; print(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute("SELECT count(*) FROM Learners").fetchone()[0])' "$sqlite_file"; }

log "seeding: instance A on PostgreSQL and the SQLite instance, $employees employees, $progress_rows progress rows each (at the same time)"
start_app a "$a_port" PostgreSql "$pg_connection"
start_app s "$s_port" Sqlite "Data Source=$sqlite_file"
wait_ready a "$a_port"
wait_ready s "$s_port"
before=$(pg_learners)
log "learners: PostgreSQL $before, SQLite $(sqlite_learners)"
log "starting instance B on the same PostgreSQL database"
start_app b "$b_port" PostgreSql "$pg_connection"
wait_ready b "$b_port"
after=$(pg_learners)
[ "$before" = "$after" ] || { echo "instance B changed the learners ($before -> $after): it seeded again" >&2; exit 1; }
log "instance B found the kommun ($after learners) and did not seed"

# One snapshot: the time, then the CPU ticks (user + system) of instance A, instance B, all of PostgreSQL (the
# postmaster, its reaped children and its live backends) and the SQLite instance, then the machine's (all time, idle
# time, I/O wait). Read with bash's own `read`, so all of them come within milliseconds: an earlier version forked an
# awk for each of PostgreSQL's 200 backends, which took seconds on a busy machine, so the machine's figures were read
# seconds after the window's start and its window slid past the end of the answers.
snapshot() {
    local f child now a b s pg
    now=$(date +%s.%N)
    read -r -a f <"/proc/${pid[a]}/stat"; a=$((f[13] + f[14]))
    read -r -a f <"/proc/${pid[b]}/stat"; b=$((f[13] + f[14]))
    read -r -a f <"/proc/${pid[s]}/stat"; s=$((f[13] + f[14]))
    read -r -a f <"/proc/$postmaster/stat"; pg=$((f[13] + f[14] + f[15] + f[16]))
    for child in $(ps -o pid= --ppid "$postmaster"); do
        read -r -a f 2>/dev/null <"/proc/$child/stat" && pg=$((pg + f[13] + f[14]))
    done
    read -r -a f </proc/stat
    echo "$now $a $b $pg $s $((f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7] + f[8])) $((f[4] + f[5])) ${f[5]}"
}
# cpu_line FIRST LAST (two snapshots): each process's share of one core over the window, in %, and how busy the machine
# was (share of all its cores).
cpu_line() {
    awk -v hz="$hz" -v first="$1" -v last="$2" 'BEGIN {
        split(first, f, " "); split(last, l, " ")
        t = l[1] - f[1]; if (t <= 0) t = 1
        out = sprintf("CPU A %.0f%% B %.0f%% PG %.0f%% SQLite %.0f%%", (l[2] - f[2]) / hz / t * 100, (l[3] - f[3]) / hz / t * 100, (l[4] - f[4]) / hz / t * 100, (l[5] - f[5]) / hz / t * 100)
        total = l[6] - f[6]; idle = l[7] - f[7]; if (total <= 0) total = 1
        printf "%s, machine %.0f%% busy, %.0f%% idle waiting on disk", out, (total - idle) / total * 100, (l[8] - f[8]) / total * 100 }'
}

# Maja's cookie and current lesson, from the first instance; checked on every instance (the keys are shared).
maja() {
    local first=$1 jar token
    jar=$(mktemp)
    token=$(curl -sk -c "$jar" -b "$jar" "$first/logga-in" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//') || true
    curl -sk -c "$jar" -b "$jar" -o /dev/null -X POST "$first/logga-in?handler=Demo" --data-urlencode "__RequestVerificationToken=$token" -d persona=medarbetare
    lesson=$(curl -sk -c "$jar" -b "$jar" "$first/" | grep -o 'href="/kurs/anhorigperspektiv-introduktion/[^"]*"' | head -1 | cut -d'"' -f2) || true
    cookie=$(awk '$6 ~ /^(__Host-)?nanolearning/ { printf "%s=%s; ", $6, $7 }' "$jar")
    rm -f "$jar"
}

# measure SETUP RUN URLS PORTS DATABASE: one round of wrk and the harness against the instances on PORTS.
measure() {
    local setup=$1 run=$2 urls=$3 ports=$4 database=$5 first=${3%%,*} url status out=$work/$1-$2
    maja "$first"
    for url in ${urls//,/ }; do
        status=$(curl -sk -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url$lesson")
        [ "$status" = 200 ] || { echo "$setup: Maja's lesson $lesson on $url gave HTTP $status" >&2; exit 1; }
    done
    local load start end
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    start=$(snapshot)
    WRK_PORTS=$ports /usr/bin/time -f '%U %S' -o "$out.wrk-time" \
        wrk -t2 -c"$connections" -d"$duration" --latency -s "$repo/tests/Nanolearning.LoadTest/instances.lua" \
        -H "Cookie: $cookie" "$first$lesson" >"$out.wrk"
    end=$(snapshot)
    local wrk_cpu
    wrk_cpu=$(awk -v s="${start%% *}" -v e="${end%% *}" '{ printf "%.0f", ($1 + $2) / (e - s) * 100 }' "$out.wrk-time")
    local rps p50 p99 non2xx socket
    rps=$(awk '/^Requests\/sec/ { print $2 }' "$out.wrk")
    p50=$(awk '$1 == "50%" { print $2 }' "$out.wrk")
    p99=$(awk '$1 == "99%" { print $2 }' "$out.wrk")
    non2xx=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$out.wrk")
    socket=$(grep -o 'Socket errors:.*' "$out.wrk" || true)
    echo -e "$setup\t$run\tload $load\tlesson\t$rps req/s\tp50 $p50\tp99 $p99\tnon-2xx ${non2xx:-0}\t${socket:-no socket errors}\t$(cpu_line "$start" "$end") wrk ${wrk_cpu}%" | tee -a "$results"

    # The harness: CPU is taken from the moment it starts answering (after its sign-ins) to the moment it stops.
    dotnet "$work/loadtest/Nanolearning.LoadTest.dll" "$urls" "$database" "$learners" "$answer_seconds" >"$out.answers" 2>&1 &
    local harness=$!
    until grep -q '^Answering' "$out.answers" 2>/dev/null || ! kill -0 "$harness" 2>/dev/null; do sleep 0.1; done
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    start=$(snapshot)
    until grep -q '^answers:' "$out.answers" 2>/dev/null || ! kill -0 "$harness" 2>/dev/null; do sleep 0.1; done
    end=$(snapshot)
    local harness_status=0
    wait "$harness" || harness_status=$?
    local saved latency statuses per harness_cpu
    saved=$(grep -o '= [0-9]* saved answers/s' "$out.answers" | awk '{ print $2 }' || true)
    latency=$(grep '^latency ms' "$out.answers" | sed 's/latency ms: //' || true)
    statuses=$(grep '^status codes' "$out.answers" | sed 's/status codes: //' || true)
    per=$(grep '^saved per instance' "$out.answers" | sed 's/saved per instance: //' || true)
    harness_cpu=$(grep '^harness CPU' "$out.answers" | awk '{ print $3 }' || true)
    echo -e "$setup\t$run\tload $load\tanswers\t${saved:-?} answers/s\t${latency:-?}\tstatus ${statuses:-?}\texit $harness_status\t${per:+per instance $per }$(cpu_line "$start" "$end") harness ${harness_cpu:-?}" | tee -a "$results"
    # A harness that fails is reported with its output, and the rounds go on.
    [ -n "$saved" ] || { echo "the harness failed:" >&2; tail -n 30 "$out.answers" >&2; }
}

{
    echo "# two-instances.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$repo" rev-parse --short HEAD), $(nproc) cores"
    echo "# $employees employees, $progress_rows progress rows; wrk -t2 -c$connections -d$duration; $learners learners for $answer_seconds s"
} | tee "$results"

pg_urls="https://127.0.0.1:$a_port,https://127.0.0.1:$b_port"
s_url="https://127.0.0.1:$s_port"
# Both paths, the page and the answer, get the JIT's optimised code before anything is recorded: without this the first
# PostgreSQL round of answers was the slowest every time.
log "warming up both setups (10 s of wrk and 10 s of answers each, not recorded)"
maja "https://127.0.0.1:$a_port"
WRK_PORTS=$a_port,$b_port wrk -t2 -c"$connections" -d10s -s "$repo/tests/Nanolearning.LoadTest/instances.lua" -H "Cookie: $cookie" "https://127.0.0.1:$a_port$lesson" >/dev/null
dotnet "$work/loadtest/Nanolearning.LoadTest.dll" "$pg_urls" "$pg_connection" "$learners" 10 >"$work/warm-up-postgresql.answers" 2>&1 || true
maja "$s_url"
wrk -t2 -c"$connections" -d10s -H "Cookie: $cookie" "$s_url$lesson" >/dev/null
dotnet "$work/loadtest/Nanolearning.LoadTest.dll" "$s_url" "$sqlite_file" "$learners" 10 >"$work/warm-up-sqlite.answers" 2>&1 || true

for run in $(seq 1 "$runs"); do
    log "round $run of $runs: PostgreSQL ×2"
    measure postgresql-x2 "$run" "$pg_urls" "$a_port,$b_port" "$pg_connection"
    log "round $run of $runs: SQLite ×1"
    measure sqlite-x1 "$run" "$s_url" "$s_port" "$sqlite_file"
done

# Medians per setup of the figures that have one number.
/usr/bin/python3 - "$results" <<'EOF' | tee -a "$results"
import re, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#") and "\t" in l]
def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)$", text)
    return None if not m else float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
print("# medians")
for setup in dict.fromkeys(r[0] for r in rows):
    lesson = [r for r in rows if r[0] == setup and r[3] == "lesson"]
    answers = [r for r in rows if r[0] == setup and r[3] == "answers"]
    med = lambda xs: statistics.median([x for x in xs if x is not None]) if any(x is not None for x in xs) else float("nan")
    rps = med([float(r[4].split()[0]) for r in lesson])
    p50 = med([ms(r[5].split()[1]) for r in lesson])
    p99 = med([ms(r[6].split()[1]) for r in lesson])
    aps = med([float(r[4].split()[0]) for r in answers if r[4].split()[0] != "?"])
    a50 = med([float(re.search(r"p50 ([\d.]+)", r[5]).group(1)) for r in answers if "p50" in r[5]])
    a99 = med([float(re.search(r"p99 ([\d.]+)", r[5]).group(1)) for r in answers if "p99" in r[5]])
    # The server side's CPU (the instances and the database) per request served: what more cores would divide.
    def server_cpu(r):
        cpu = dict(re.findall(r"(A|B|PG|SQLite) (\d+)%", r[-1]))
        return sum(float(cpu[k]) for k in (("A", "B", "PG") if "postgresql" in setup else ("SQLite",))) / 100
    lesson_cpu = med([server_cpu(r) / float(r[4].split()[0]) * 1000 for r in lesson])
    answer_cpu = med([server_cpu(r) / float(r[4].split()[0]) * 1000 for r in answers if r[4].split()[0] not in ("?", "0")])
    print(f"{setup}\t{len(lesson)} runs\tlesson {rps:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, server CPU {lesson_cpu:.2f} ms/request"
          f"\tanswers {aps:.0f}/s, p50 {a50:.1f} ms, p99 {a99:.1f} ms, server CPU {answer_cpu:.2f} ms/answer")
EOF
log "results in $results"
