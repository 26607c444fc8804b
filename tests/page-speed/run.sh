#!/usr/bin/env bash
# Signed-in pages against the framework's own speed (issue 18), side by side in one run:
#   the bare Razor Pages template (`dotnet new webapp`, Release) and this app (Release, demo defaults: SQLite,
#   300 employees), both on plain HTTP in the Development environment by default (or in Production, see below),
#   wrk with 1 thread and 32 connections, 10 s per page.
# Prints req/s, p50, p99, each page's ratio to the template's index page, and CPU time per request of each server
# process, then stops both servers.
# Only ratios from one run mean anything on a shared machine; run it 2-3 times and quote medians.
#
# Usage: tests/page-speed/run.sh            (from anywhere; builds first)
#   DURATION=10s CONNECTIONS=32 WARMUP=3s   wrk settings
#   NO_BUILD=1                              skip `dotnet build -c Release` of the app
#   PAGES="lesson health"                   only these pages, in this order (each after a template run of its own);
#                                           besides the app's pages (health login mycourses course lesson), "framework"
#                                           is the template with a signed-in page holding one form, and "statement" the
#                                           app's lightest signed-in page (the accessibility statement)
#   KEEP=1                                  leave the servers running (prints their PIDs) for profiling
#   ENVIRONMENT=Production                  all three servers in Production, the app as behind a TLS-terminating proxy
#                                           on 127.0.0.1 (every request carries X-Forwarded-Proto: https), with its
#                                           demo kommun allowed outside Development and a self-signed key certificate
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
warmup=${WARMUP:-3s}
bare_port=${BARE_PORT:-5391}
app_port=${APP_PORT:-5392}
framework_port=${FRAMEWORK_PORT:-5390}
environment=${ENVIRONMENT:-Development}
work=$(mktemp -d /tmp/page-speed.XXXXXX)
pids=()

stop() {
    if [ -z "${KEEP:-}" ]; then
        for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
        for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
        rm -rf "$work"
    fi
}
trap stop EXIT

wait_for() {
    for _ in $(seq 1 240); do
        if [ "$(curl -s "${via_proxy[@]}" -o /dev/null -w '%{http_code}' "$1")" = 200 ]; then return 0; fi
        sleep 0.5
    done
    echo "no answer from $1; log in $2:" >&2
    tail -20 "$2" >&2
    exit 1
}

# The bare template, created and built in a temporary folder (the template ships with the SDK).
echo "building the bare template and the app (Release) ..." >&2
(cd "$work" && dotnet new webapp -o bare --no-https >/dev/null && dotnet build bare -c Release -o bare/out -v q -nologo >/dev/null)
# The framework's own signed-in page: a second copy of the template with cookie authentication, a sign-in endpoint and
# one page that needs a signed-in user and holds one form (so an antiforgery token), the least a signed-in page with a
# form costs in ASP.NET Core. The bare copy above stays as `dotnet new` made it: it is what the ratios divide by.
cp -r "$work/bare" "$work/framework" && rm -rf "$work/framework/out" "$work/framework/obj" "$work/framework/bin"
cat >"$work/framework/Program.cs" <<'CS'
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorPages(options => options.Conventions.AuthorizePage("/SignedIn"));
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.MapStaticAssets();
app.MapGet("/signin", async (HttpContext context) =>
{
    Claim[] claims = [new(ClaimTypes.NameIdentifier, "42"), new(ClaimTypes.Name, "maja@example.se"), new(ClaimTypes.Role, "Learner")];
    await context.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
    return "ok";
});
app.MapRazorPages().WithStaticAssets();
app.Run();
CS
cat >"$work/framework/Pages/SignedIn.cshtml" <<'CSHTML'
@page
@{
    ViewData["Title"] = "Home page";
}
<div class="text-center">
    <h1 class="display-4">Welcome, @User.Identity?.Name</h1>
    <p>Learn about <a href="https://learn.microsoft.com/aspnet/core">building Web apps with ASP.NET Core</a>.</p>
    <form method="post"><button type="submit">Send</button></form>
</div>
CSHTML
(cd "$work" && dotnet build framework -c Release -o framework/out -v q -nologo >/dev/null)
if [ -z "${NO_BUILD:-}" ]; then
    dotnet build "$root/src/Nanolearning.Web" -c Release -v q -nologo >/dev/null
fi

# In Production the app wants HTTPS and a certificate for its keys. It runs as behind a reverse proxy that ends TLS
# (docs/operations.md): plain HTTP from a proxy it trusts on 127.0.0.1, which says the client used HTTPS.
via_proxy=()
if [ "$environment" = Production ]; then
    openssl req -x509 -newkey rsa:2048 -noenc -days 2 -subj /CN=127.0.0.1 -keyout "$work/keys.pem" -out "$work/keys.crt" 2>/dev/null
    openssl pkcs12 -export -inkey "$work/keys.pem" -in "$work/keys.crt" -out "$work/keys.pfx" -passout pass:page-speed
    app_settings=(Nanolearning__Demo=true Nanolearning__DemoOutsideDevelopment=true
        Nanolearning__PublicUrl="https://127.0.0.1:$app_port" AllowedHosts=127.0.0.1 ForwardedHeaders__KnownProxies__0=127.0.0.1
        DataProtection__CertificatePath="$work/keys.pfx" DataProtection__CertificatePassword=page-speed)
    via_proxy=(-H "X-Forwarded-Proto: https")
else
    app_settings=(Nanolearning__PublicUrl="http://127.0.0.1:$app_port")
fi
(cd "$work/bare" && ASPNETCORE_ENVIRONMENT=$environment exec dotnet out/bare.dll --urls "http://127.0.0.1:$bare_port" >"$work/bare.log" 2>&1) &
pids+=($!)
bare_pid=$!
(cd "$work/framework" && ASPNETCORE_ENVIRONMENT=$environment exec dotnet out/bare.dll --urls "http://127.0.0.1:$framework_port" >"$work/framework.log" 2>&1) &
pids+=($!)
framework_pid=$!
# The app from its project folder (content root: courses at ../../courses), on a fresh SQLite file of its own.
(cd "$root/src/Nanolearning.Web" && exec env ASPNETCORE_ENVIRONMENT="$environment" "${app_settings[@]}" \
    ConnectionStrings__Nanolearning="Data Source=$work/app.db" \
    Mail__PickupFolder="$work/mail" Logging__LogLevel__Default=Warning \
    dotnet bin/Release/net10.0/Nanolearning.Web.dll --urls "http://127.0.0.1:$app_port" >"$work/app.log" 2>&1) &
pids+=($!)
app_pid=$!
wait_for "http://127.0.0.1:$bare_port/" "$work/bare.log"
wait_for "http://127.0.0.1:$framework_port/" "$work/framework.log"
wait_for "http://127.0.0.1:$app_port/health" "$work/app.log"

# Sign in as Maja (demo persona "medarbetare", half-way through the introduction) with the one-click demo login.
app="http://127.0.0.1:$app_port"
jar="$work/jar"
token=$(curl -s "${via_proxy[@]}" -c "$jar" -b "$jar" "$app/logga-in" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s "${via_proxy[@]}" -c "$jar" -b "$jar" -o /dev/null -X POST "$app/logga-in?handler=Demo" --data-urlencode "__RequestVerificationToken=$token" -d persona=medarbetare
lesson=$(curl -s "${via_proxy[@]}" -b "$jar" "$app/" | grep -o 'href="/kurs/anhorigperspektiv-introduktion/[^"]*"' | head -1 | cut -d'"' -f2)
course=/kurs/anhorigperspektiv-introduktion
cookie=$(awk '$6 ~ /^(__Host-)?nanolearning$/ { printf "%s=%s", $6, $7 }' "$jar")
for path in / "$course" "$lesson"; do
    status=$(curl -s "${via_proxy[@]}" -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$app$path")
    [ "$status" = 200 ] || { echo "$path answers $status as Maja; not signed in?" >&2; exit 1; }
done
echo "signed in as Maja; lesson page $lesson" >&2
framework="http://127.0.0.1:$framework_port"
curl -s -c "$work/framework.jar" -o /dev/null "$framework/signin"
framework_cookie=$(awk '$6 == ".AspNetCore.Cookies" { printf "%s=%s", $6, $7 }' "$work/framework.jar")
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $framework_cookie" "$framework/SignedIn")
[ "$status" = 200 ] || { echo "the template's signed-in page answers $status; not signed in?" >&2; exit 1; }
[ -n "${KEEP:-}" ] && echo "servers: bare $bare_port, framework $framework_port, app $app_port, pids ${pids[*]}, cookie: $cookie" >&2

# CPU time (user + system, in clock ticks) a server process has used so far.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# measure NAME PID URL [cookie]: prints "NAME req/s p50 p99 non2xx cpu-ms-per-request"
measure() {
    local name=$1 pid=$2 url=$3 header=("${via_proxy[@]}")
    [ -n "${4:-}" ] && header+=(-H "Cookie: $4")
    wrk -t1 -c"$connections" -d"$warmup" "${header[@]}" "$url" >/dev/null
    local before after
    before=$(ticks "$pid")
    wrk -t1 -c"$connections" -d"$duration" --latency "${header[@]}" "$url" >"$work/wrk.out"
    after=$(ticks "$pid")
    awk -v name="$name" -v cpu=$((after - before)) -v hz="$(getconf CLK_TCK)" '
        function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
        / requests in / { n = $1 } /Non-2xx/ { bad = $NF }
        END { printf "%s %.0f %.2f %.2f %d %.3f\n", name, rps, p50, p99, bad, n ? 1000 * cpu / hz / n : 0 }' "$work/wrk.out"
}

pages=${PAGES:-"framework health statement login mycourses course lesson"}
# page PAGE: its row name, server PID, URL and cookie (empty when anonymous), separated by "|".
page() {
    case $1 in
        template) echo "template|$bare_pid|http://127.0.0.1:$bare_port/|" ;;
        framework) echo "template: signed in, a form|$framework_pid|$framework/SignedIn|$framework_cookie" ;;
        health) echo "/health/live (signed in)|$app_pid|$app/health/live|$cookie" ;;
        statement) echo "/tillganglighet (signed in)|$app_pid|$app/tillganglighet|$cookie" ;;
        login) echo "/logga-in (anonymous)|$app_pid|$app/logga-in|" ;;
        mycourses) echo "/ Mina kurser (signed in)|$app_pid|$app/|$cookie" ;;
        course) echo "course page (signed in)|$app_pid|$app$course|$cookie" ;;
        lesson) echo "lesson page (signed in)|$app_pid|$app$lesson|$cookie" ;;
        *) echo "unknown page $1" >&2; exit 1 ;;
    esac
}
for name in $pages; do page "$name" >/dev/null; done
# Every page is served for a while before any is measured: a fresh process spends its first seconds under load
# compiling (tiered JIT), which would otherwise count against whichever page of that server came first.
for name in template $pages; do
    IFS='|' read -r _ _ url page_cookie <<<"$(page "$name")"
    wrk -t1 -c"$connections" -d"$warmup" "${via_proxy[@]}" ${page_cookie:+-H "Cookie: $page_cookie"} "$url" >/dev/null
done
# Each page right after a template run of its own: its ratio is to that run, so load from other work on the machine,
# which changes from one minute to the next, touches both sides of each ratio about alike.
{
    for name in $pages; do
        IFS='|' read -r row pid url page_cookie <<<"$(page template)"
        measure "$row" "$pid" "$url"
        IFS='|' read -r row pid url page_cookie <<<"$(page "$name")"
        measure "$row" "$pid" "$url" "$page_cookie"
    done
} | sed 's/ \([0-9.]* [0-9.]* [0-9.]* [0-9]* [0-9.]*\)$/|\1/' >"$work/rows"

awk -F'|' '
    BEGIN { printf "%-26s %8s %8s %8s %7s %6s %9s %9s\n", "page", "req/s", "p50 ms", "p99 ms", "ratio", "non2xx", "CPU/req", "CPU ratio" }
    {
        split($2, f, " ")
        if ($1 == "template") {
            base = f[1]; basecpu = f[5]
            line = sprintf("%-26s %8d %8.2f %8.2f %7s %6d %7.3fms", "  template, just before", f[1], f[2], f[3], "", f[4], f[5])
            next
        }
        print line
        printf "%-26s %8d %8.2f %8.2f %6.1f%% %6d %7.3fms %8.1f%%\n", $1, f[1], f[2], f[3], 100 * f[1] / base, f[4], f[5], f[5] ? 100 * basecpu / f[5] : 0
    }
    END {
        printf "ratio: req/s to the bare template index page measured just before it (%d connections, %s each, 1 wrk thread)\n", '"$connections"', "'"$duration"'"
        print "CPU/req: the server process'"'"'s CPU time (user + system) over the run / requests served; CPU ratio: template CPU/req over the page'"'"'s,"
        print "  the rate ratio to expect where the server has the cores to itself (less sensitive to other load than req/s)"
    }' "$work/rows"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
