#!/usr/bin/env bash
# forumd's benchmark suite, in one command (not part of the test suite):
#
#   bench/run.sh [--posts N] [--duration S] [--quick]
#
# Builds forumd and the bench tools (build-bench/, Release), seeds two cached databases if they are
# missing (${BENCH_DIR:-/tmp/forumd-bench}/forum-<N>.db with N posts, default 1,000,000, and a
# near-empty forum-1000.db), then, for each database, on a scratch copy: starts forumd on
# 127.0.0.1, holds 10,000 idle connections, runs the bare evhttp ceilings and the wrk scenarios
# (wrk -t2 -c64 -d<S>s --latency) with the sign-in load, stops forumd with SIGTERM, and prints one
# table with every figure next to its target. Everything it starts is stopped on exit.
# --quick: 20,000 posts and 5 s per scenario. See bench/README.md.
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."
ROOT=$PWD

POSTS="" DURATION="" QUICK=0
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$SELF"; }
while [ $# -gt 0 ]; do
  case $1 in
    --posts) POSTS=${2:?--posts needs a number}; shift 2 ;;
    --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
if [ "$QUICK" = 1 ]; then POSTS=${POSTS:-20000}; DURATION=${DURATION:-5}; fi
POSTS=${POSTS:-1000000}
DURATION=${DURATION:-10}
case $POSTS$DURATION in *[!0-9]*) echo "bench/run.sh: --posts and --duration take whole numbers" >&2; exit 2 ;; esac
[ "$POSTS" -ge 1000 ] && [ "$DURATION" -ge 1 ] || { echo "bench/run.sh: --posts >= 1000, --duration >= 1" >&2; exit 2; }

BENCH_DIR=${BENCH_DIR:-/tmp/forumd-bench}
BUILD=$ROOT/build-bench
LUA=$ROOT/bench/lua
WRK_THREADS=2
CONNS=64
# Searches are a small share of a forum's requests: the target holds for 8 at a time (as many as
# 160 readers would make at one search in twenty requests); 64 at a time is reported too.
SEARCH_CONNS=8
FOLLOWERS=10000
IDLE_CONNS=10000
IDLE_HOLD=5
LOGIN_RATE=20
SMALL_POSTS=1000

# The seeder's defaults, spelt out so that the scenarios know the id ranges.
threads_for() { local t=$(( $1 / 20 )); echo $(( t > 0 ? t : 1 )); }
users_for() { local u=$(( $1 / 200 )); u=$(( u < 50 ? 50 : u )); echo $(( u > 5000 ? 5000 : u )); }

# ---- processes: every one we start is recorded and stopped on exit ----
PIDS=()
WORK=""
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.3
  done
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  [ -n "$WORK" ] && rm -rf "$WORK"
}
# Forgets a process once it has been waited for, so that cleanup never signals a reused pid.
untrack() {
  local i
  for i in "${!PIDS[@]}"; do
    if [ "${PIDS[$i]}" = "$1" ]; then unset 'PIDS[i]'; fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- machine, tools, limits ----
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
MACHINE="$(nproc) CPUs, ${CPU:-unknown CPU}, Linux $(uname -r), $(awk '/MemTotal/ {printf "%.1f GB RAM", $2/1048576}' /proc/meminfo)"
log "machine: $MACHINE"
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null || die "wrk is missing and apt-get could not install it"
fi
command -v python3 >/dev/null || die "python3 is needed (bench/client.py)"
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] && hard=65536
want=$(( hard < 65536 ? hard : 65536 ))
ulimit -n "$want" || true
if [ "$(ulimit -n)" -lt $(( IDLE_CONNS + 200 )) ]; then
  IDLE_CONNS=$(( $(ulimit -n) - 200 ))
  log "open-file limit $(ulimit -n): idle connections reduced to $IDLE_CONNS"
fi

# ---- build ----
mkdir -p "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
log "building in build-bench/ (Release)"
{ cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFORUMD_TESTS=OFF -DFORUMD_BENCH=ON &&
  cmake --build "$BUILD" -j"$(nproc)"; } >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "build failed"; }

# ---- databases (cached, pristine; the runs use copies) ----
seed_db() { # posts -> path of the cached database
  local posts=$1 db="$BENCH_DIR/forum-$1.db"
  if [ ! -f "$db" ]; then
    log "seeding $db ($posts posts; once, then cached)"
    rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
    local t0=$(date +%s%N)
    "$BUILD/forumd-seed" --db "$db.tmp" --posts "$posts" --threads "$(threads_for "$posts")" \
      --users "$(users_for "$posts")" >"$WORK/seed-$posts.log" 2>&1 || { cat "$WORK/seed-$posts.log" >&2; die "seeding failed"; }
    mv "$db.tmp" "$db"
    log "seeded in $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(tail -2 "$WORK/seed-$posts.log" | head -1)"
  fi
  echo "$db"
}
SMALL_DB=$(seed_db $SMALL_POSTS)
BIG_DB=$(seed_db "$POSTS")

# ---- servers ----
SRV_PID="" SRV_PORT="" SRV_FD="" SRV_STARTUP_MS="" MEM_PID=""
start_server() { # name command... ; sets SRV_PID, SRV_PORT, SRV_STARTUP_MS (exec to "listening on")
  local name=$1; shift
  local fifo="$WORK/$name.fifo" line=""
  rm -f "$fifo"; mkfifo "$fifo"
  local t0=$(date +%s%N)
  "$@" >"$fifo" 2>"$WORK/$name.err" &
  SRV_PID=$!
  PIDS+=("$SRV_PID")
  exec {SRV_FD}<"$fifo"
  if ! read -r -t 120 line <&"$SRV_FD"; then
    cat "$WORK/$name.err" >&2
    die "$name did not print its listening line"
  fi
  SRV_STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  case $line in "listening on http://"*) ;; *) die "$name: unexpected first line: $line" ;; esac
  SRV_PORT=${line##*:}
}

stop_server() { # sets SRV_EXIT
  kill -TERM "$SRV_PID" 2>/dev/null || true
  SRV_EXIT=0
  wait "$SRV_PID" 2>/dev/null || SRV_EXIT=$?
  untrack "$SRV_PID"
  exec {SRV_FD}<&-
}

# Percent of the machine's CPU time in use over one second, by anything: other work on the machine
# makes every figure unreliable.
cpu_busy() {
  local a b
  a=$(head -1 /proc/stat); sleep 1; b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    na = split(a, x, " "); split(b, y, " ")
    for (i = 2; i <= na && i <= 9; i++) { t += y[i] - x[i]; if (i == 5 || i == 6) idle += y[i] - x[i] }
    printf "%.0f\n", (t > 0 ? 100 * (t - idle) / t : 0) }'
}

rss_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---- wrk ----
# Runs one scenario; the results go to R[<key>.rps|p50|p99|errors|statuses].
declare -A R
wrk_run() { # key lua-script url [VAR=value ...]
  local key=$1 script=$2 url=$3; shift 3
  local out="$WORK/$key.wrk"
  # In the background and waited for, so that a signal to this script stops it at once.
  env "$@" wrk -t$WRK_THREADS -c$CONNS -d"${DURATION}s" --timeout 10s --latency -s "$script" "$url" >"$out" 2>&1 &
  local wpid=$!
  PIDS+=("$wpid")
  wait "$wpid" || true
  untrack "$wpid"
  local parsed
  parsed=$(awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v
    }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    END { printf "%s %s %s %d", (rps == "" ? "nan" : rps), (p50 == "" ? "nan" : p50), (p99 == "" ? "nan" : p99), err }
  ' "$out")
  read -r "R[$key.rps]" "R[$key.p50]" "R[$key.p99]" "R[$key.errors]" <<<"$parsed"
  R[$key.statuses]=$(sed -n 's/^statuses: //p' "$out")
  local mem=""
  if [ -n "$MEM_PID" ] && [ "$MEM_PID" = "$SRV_PID" ]; then
    mem=", forumd RSS $(( $(rss_kb "$MEM_PID" VmRSS) / 1024 )) MB, peak $(( $(rss_kb "$MEM_PID" VmHWM) / 1024 )) MB"
  fi
  log "  $key: ${R[$key.rps]} req/s, p50 ${R[$key.p50]} ms, p99 ${R[$key.p99]} ms, errors ${R[$key.errors]}${R[$key.statuses]:+, statuses ${R[$key.statuses]}}$mem"
}

# ---- one database ----
bench_db() { # tag label cached-db posts
  local tag=$1 label=$2 src=$3 posts=$4
  local threads users db="$WORK/$tag.db"
  threads=$(threads_for "$posts")
  users=$(users_for "$posts")
  # The cached database follows the schema (a no-op when it already does), then each run works on a copy.
  "$BUILD/forumd" migrate --db "$src" >/dev/null || die "cannot migrate $src"
  log "== $label: copying $src"
  cp "$src" "$db"
  R[$tag.label]=$label
  R[$tag.busy]=$(cpu_busy)
  log "CPU already busy before starting: ${R[$tag.busy]}%"

  # 10,000 members who follow objective 1 (and the bench's signed-in users 12..19 too, so that their
  # notifications are computed from a busy objective); objective 2 has no followers.
  sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $FOLLOWERS)
    INSERT INTO users(email, display_name, stakeholder_type, created_at)
      SELECT 'follower' || i || '@bench.example', 'Follower ' || i, 'citizen', 0 FROM n;
    INSERT INTO follows(user_id, target_type, target_id, since_post_id, created_at)
      SELECT id, 'objective', 1, 0, 0 FROM users WHERE email LIKE 'follower%@bench.example'
        OR email IN ($(seq -s, -f "'user%g@bench.example'" 12 19));" || die "cannot add the followers"
  # One load generator on one address stands for thousands of clients: the per-address caps and
  # the abuse limits (which the HTTP tests cover) are lifted for the benchmark.
  start_server "forumd-$tag" "$BUILD/forumd" --listen 127.0.0.1:0 --db "$db" --quiet --sse-per-address 20000 \
    --max-per-address 20000 --rate-login-address 0/1 --rate-login-account 0/1 --rate-register-address 0/1 \
    --rate-post-address 0/1 --rate-post-account 0/1 --rate-post-new-account 0/1 --rate-flag-account 0/1 \
    --rate-search-address 0/1 --rate-stream-address 0/1 --new-account-period 0 --duplicate-window 0
  local pid=$SRV_PID url="http://127.0.0.1:$SRV_PORT"
  MEM_PID=$pid # wrk_run logs forumd's memory after each scenario
  R[$tag.startup]=$SRV_STARTUP_MS
  log "forumd pid $pid on $url, started in ${SRV_STARTUP_MS} ms"
  R[$tag.page_size]=$(python3 "$ROOT/bench/client.py" page-size "$url" --threads "$threads") || die "cannot measure the thread page"
  log "a 20-post thread page is ${R[$tag.page_size]} bytes"
  wrk -t1 -c4 -d1s "$url/api/v1/objectives" >/dev/null 2>&1 || true # wakes both loops and the statements

  # Memory first, on the fresh server (before the scenarios fill its page caches): idle keep-alive
  # connections, then idle event streams.
  idle_rss() { # key idle-args...
    local key=$1; shift
    local before=$(rss_kb "$pid" VmRSS) max=0 anon=0 out="$WORK/$key.idle"
    "$BUILD/forumd-idle" --connect "${url#http://}" --conns "$IDLE_CONNS" --hold "$IDLE_HOLD" "$@" >"$out" 2>&1 &
    local ipid=$!
    PIDS+=("$ipid")
    local deadline=$(( $(date +%s) + 120 ))
    while kill -0 "$ipid" 2>/dev/null && ! grep -q '^ready' "$out" && [ "$(date +%s)" -lt $deadline ]; do sleep 0.1; done
    while kill -0 "$ipid" 2>/dev/null && [ "$(date +%s)" -lt $deadline ]; do
      local v=$(rss_kb "$pid" VmRSS) va=$(rss_kb "$pid" RssAnon)
      [ "${v:-0}" -gt "$max" ] && max=$v
      [ "${va:-0}" -gt "$anon" ] && anon=$va
      sleep 0.5
    done
    wait "$ipid" || true
    untrack "$ipid"
    R[$key.rss_before]=$before
    R[$key.rss]=$max
    R[$key.anon]=$anon
    R[$key.idle]=$(tr '\n' ' ' <"$out")
    log "  $key: RSS $((before / 1024)) MB before, $((max / 1024)) MB with the connections (anonymous $((anon / 1024)) MB); $(tr '\n' ' ' <"$out")"
  }
  idle_rss "$tag.idle"
  R[$tag.sse_status]=$(python3 "$ROOT/bench/client.py" status "$url" "/api/v1/events?objective=1")
  if [ "${R[$tag.sse_status]}" = 404 ]; then
    log "  SSE: /api/v1/events answers 404, skipped"
  else
    idle_rss "$tag.sse" --sse --path "/api/v1/events?objective=1"
  fi

  # The ceilings: bare evhttp, 2 loops, same wrk settings, a fixed body the size of a 20-post thread
  # page (and of a thread list), run right before the forumd figures they are compared with, while
  # forumd sits idle.
  R[$tag.list_size]=$(python3 "$ROOT/bench/client.py" list-size "$url") || die "cannot measure the thread list"
  local k size main_fd=$SRV_FD
  for k in ceiling ceiling_list; do
    [ $k = ceiling ] && size=${R[$tag.page_size]} || size=${R[$tag.list_size]}
    start_server "$k-$tag" "$BUILD/forumd-ceiling" --listen 127.0.0.1:0 --size "$size" --threads 2
    wrk_run "$tag.$k" "$LUA/thread.lua" "http://127.0.0.1:$SRV_PORT" THREADS="$threads"
    stop_server
  done
  SRV_PID=$pid SRV_FD=$main_fd

  wrk_run "$tag.page" "$LUA/thread.lua" "$url" THREADS="$threads"
  wrk_run "$tag.list" "$LUA/objective.lua" "$url"
  R[$tag.search_status]=$(python3 "$ROOT/bench/client.py" status "$url" "/api/v1/search?q=security")
  CONNS=$SEARCH_CONNS wrk_run "$tag.search" "$LUA/search.lua" "$url"
  wrk_run "$tag.search64" "$LUA/search.lua" "$url"

  # Thread pages again, while a separate client signs in LOGIN_RATE times a second.
  python3 "$ROOT/bench/client.py" login-load "$url" --rate $LOGIN_RATE --duration "$DURATION" --first 12 \
    --users "$users" >"$WORK/$tag.logins" 2>&1 &
  local lpid=$!
  PIDS+=("$lpid")
  wrk_run "$tag.page_logins" "$LUA/thread.lua" "$url" THREADS="$threads"
  wait "$lpid" || true
  untrack "$lpid"
  R[$tag.logins]=$(sed -n 's/^logins: //p' "$WORK/$tag.logins")
  log "  logins: ${R[$tag.logins]:-none}"

  # Writes last: signed-in users, 95/5 then 100% posting.
  local sessions
  sessions=$(python3 "$ROOT/bench/client.py" sessions "$url" --first 12 --count 8) || die "cannot sign in the bench users"
  wrk_run "$tag.mixed" "$LUA/mixed.lua" "$url" THREADS="$threads" SESSIONS="$sessions"
  wrk_run "$tag.posting" "$LUA/posting.lua" "$url" THREADS="$threads" SESSIONS="$sessions"
  wrk_run "$tag.newthread_followed" "$LUA/newthread.lua" "$url" OBJECTIVE=1 SESSIONS="$sessions"
  wrk_run "$tag.newthread_unfollowed" "$LUA/newthread.lua" "$url" OBJECTIVE=2 SESSIONS="$sessions"
  wrk_run "$tag.notifications" "$LUA/notifications.lua" "$url" SESSIONS="$sessions"
  # the write-ahead log after all that writing while reading: bounded by the checkpoints
  R[$tag.wal]=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)

  # The synthesis export of one objective by a moderator (user 2), and the statistics: one request
  # each, timed by curl; the export's rows are its CSV records (bodies hold line breaks: a CSV
  # reader counts them, after the timing).
  local mod tok out
  mod=$(python3 "$ROOT/bench/client.py" sessions "$url" --first 2 --count 1) || die "cannot sign in the moderator"
  tok=${mod%%|*}
  out=$(curl -s -o "$WORK/$tag.export.csv" -w '%{http_code} %{time_total} %{size_download}' \
    -H "Cookie: forumd_session=$tok" "$url/api/v1/objectives/3/export?format=csv")
  read -r "R[$tag.export_status]" "R[$tag.export_s]" "R[$tag.export_bytes]" <<<"$out"
  R[$tag.export_rows]=$(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$WORK/$tag.export.csv" 2>/dev/null || echo 0)
  rm -f "$WORK/$tag.export.csv"
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$url/api/v1/stats")
  read -r "R[$tag.stats_status]" "R[$tag.stats_s]" <<<"$out"
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$url/api/v1/stats?objective=3")
  read -r "R[$tag.stats3_status]" "R[$tag.stats3_s]" <<<"$out"
  log "  export: ${R[$tag.export_status]} ${R[$tag.export_bytes]} bytes in ${R[$tag.export_s]} s; stats ${R[$tag.stats_s]} s, objective 3 ${R[$tag.stats3_s]} s"

  R[$tag.hwm]=$(rss_kb "$pid" VmHWM)
  R[$tag.end_anon]=$(rss_kb "$pid" RssAnon)
  R[$tag.end_file]=$(rss_kb "$pid" RssFile)
  stop_server
  R[$tag.exit]=$SRV_EXIT
  R[$tag.stderr]=$(grep -v -E 'event=(start|shutdown|stopped)' "$WORK/forumd-$tag.err" | grep -c . || true)
  grep -v -E 'event=(start|shutdown|stopped)' "$WORK/forumd-$tag.err" | head -5 >"$WORK/$tag.errlines" || true
  log "forumd stopped with status $SRV_EXIT; peak RSS $(( ${R[$tag.hwm]} / 1024 )) MB; ${R[$tag.stderr]} other log lines"
  log "  $(grep -o 'event=stopped.*' "$WORK/forumd-$tag.err" || echo 'no stop line')"

  rm -f "$db" "$db-wal" "$db-shm"
}

log "scenarios: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s --latency, on 127.0.0.1"
bench_db small "near-empty DB ($SMALL_POSTS posts, $(threads_for $SMALL_POSTS) threads)" "$SMALL_DB" $SMALL_POSTS
bench_db big "$(printf "%'d" "$POSTS" 2>/dev/null || echo "$POSTS")-post DB ($(threads_for "$POSTS") threads)" "$BIG_DB" "$POSTS"

# ---- the table ----
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "nan" && a != "" && a + 0 >= b + 0) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "nan" && a != "" && a + 0 < b + 0) }'; }
fmt_n() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.0f", v }'; }
fmt_ms() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else if (v < 10) printf "%.2f ms", v; else printf "%.1f ms", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }
pf() { if [ "$1" = 0 ]; then echo PASS; else echo FAIL; fi; } # the status of the test just run
ROW='%-36s %10s %10s %10s %7s %7s  %-38s %s\n'
row() { printf "$ROW" "$@"; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; } # key, "k=v k=v" text

table_db() { # tag
  local tag=$1 c=${R[$1.ceiling.rps]} k name rps p99 r ok
  echo
  echo "== ${R[$tag.label]}; CPU busy with other work just before: ${R[$tag.busy]}%"
  row scenario "req/s" p50 p99 "vs ceil" errors target result
  row "ceiling: bare evhttp, ${R[$tag.page_size]} B body" "$(fmt_n "$c")" "$(fmt_ms "${R[$tag.ceiling.p50]}")" \
    "$(fmt_ms "${R[$tag.ceiling.p99]}")" "1.00" "${R[$tag.ceiling.errors]}" "(reference: 2 loops, same wrk)" ""
  row "ceiling: bare evhttp, ${R[$tag.list_size]} B body" "$(fmt_n "${R[$tag.ceiling_list.rps]}")" \
    "$(fmt_ms "${R[$tag.ceiling_list.p50]}")" "$(fmt_ms "${R[$tag.ceiling_list.p99]}")" "1.00" \
    "${R[$tag.ceiling_list.errors]}" "(reference for the thread list)" ""
  for k in page list; do
    [ $k = page ] && name="thread page (20 posts)" || name="objective thread list"
    rps=${R[$tag.$k.rps]} p99=${R[$tag.$k.p99]}
    if [ $k = page ]; then r=$(ratio "$rps" "$c"); else r=$(ratio "$rps" "${R[$tag.ceiling_list.rps]}"); fi
    ge "$r" 0.60 && lt "$p99" 10 && [ "${R[$tag.$k.errors]}" = 0 ] && ok=0 || ok=1
    row "$name" "$(fmt_n "$rps")" "$(fmt_ms "${R[$tag.$k.p50]}")" "$(fmt_ms "$p99")" "$r" "${R[$tag.$k.errors]}" \
      ">= 0.60 x ceiling, p99 < 10 ms" "$(pf $ok)"
  done
  if [ "${R[$tag.search_status]}" = 404 ]; then
    row "search" "n/a (404)" "" "" "" "" "p99 < 50 ms" "n/a"
  else
    p99=${R[$tag.search.p99]}
    lt "$p99" 50 && [ "${R[$tag.search.errors]}" = 0 ] && ok=0 || ok=1
    row "search, $SEARCH_CONNS at a time" "$(fmt_n "${R[$tag.search.rps]}")" "$(fmt_ms "${R[$tag.search.p50]}")" \
      "$(fmt_ms "$p99")" "" "${R[$tag.search.errors]}" "p99 < 50 ms" "$(pf $ok)"
    row "search, $CONNS at a time" "$(fmt_n "${R[$tag.search64.rps]}")" "$(fmt_ms "${R[$tag.search64.p50]}")" \
      "$(fmt_ms "${R[$tag.search64.p99]}")" "" "${R[$tag.search64.errors]}" "(report)" ""
  fi
  local p0=${R[$tag.page.p99]} p1=${R[$tag.page_logins.p99]} lim
  lim=$(awk -v p="$p0" 'BEGIN { print (p == "nan" ? "nan" : 2 * p) }')
  lt "$p1" "$lim" && [ "${R[$tag.page_logins.errors]}" = 0 ] && ok=0 || ok=1
  row "thread page + $LOGIN_RATE sign-ins/s" "$(fmt_n "${R[$tag.page_logins.rps]}")" \
    "$(fmt_ms "${R[$tag.page_logins.p50]}")" "$(fmt_ms "$p1")" "$(ratio "${R[$tag.page_logins.rps]}" "$c")" \
    "${R[$tag.page_logins.errors]}" "p99 < 2 x $(fmt_ms "$p0") (without)" "$(pf $ok)"
  local lg=${R[$tag.logins]} lsent lok
  lsent=$(field sent "$lg"); lok=$(field ok "$lg")
  row "  the sign-ins (separate client)" "$(field rate "$lg")" "$(fmt_ms "$(field p50_ms "$lg")")" \
    "$(fmt_ms "$(field p99_ms "$lg")")" "" "$(( ${lsent:-0} - ${lok:-0} ))" "(report; statuses $(field statuses "$lg"))" ""
  row "mixed 95/5 read/write" "$(fmt_n "${R[$tag.mixed.rps]}")" "$(fmt_ms "${R[$tag.mixed.p50]}")" \
    "$(fmt_ms "${R[$tag.mixed.p99]}")" "$(ratio "${R[$tag.mixed.rps]}" "$c")" "${R[$tag.mixed.errors]}" \
    "(report; statuses ${R[$tag.mixed.statuses]})" ""
  rps=${R[$tag.posting.rps]} p99=${R[$tag.posting.p99]}
  ge "$rps" 3000 && lt "$p99" 50 && [ "${R[$tag.posting.errors]}" = 0 ] && ok=0 || ok=1
  row "posting, $CONNS writers (durable)" "$(fmt_n "$rps")" "$(fmt_ms "${R[$tag.posting.p50]}")" "$(fmt_ms "$p99")" \
    "" "${R[$tag.posting.errors]}" ">= 3000 posts/s, p99 < 50 ms" "$(pf $ok)"
  local nf=${R[$tag.newthread_followed.rps]} nu=${R[$tag.newthread_unfollowed.rps]}
  ge "$(ratio "$nf" "$nu")" 0.85 && [ "${R[$tag.newthread_followed.errors]}" = 0 ] && ok=0 || ok=1
  row "new threads, $FOLLOWERS followers" "$(fmt_n "$nf")" "$(fmt_ms "${R[$tag.newthread_followed.p50]}")" \
    "$(fmt_ms "${R[$tag.newthread_followed.p99]}")" "" "${R[$tag.newthread_followed.errors]}" \
    ">= 0.85 x without followers ($(ratio "$nf" "$nu"))" "$(pf $ok)"
  row "new threads, no followers" "$(fmt_n "$nu")" "$(fmt_ms "${R[$tag.newthread_unfollowed.p50]}")" \
    "$(fmt_ms "${R[$tag.newthread_unfollowed.p99]}")" "" "${R[$tag.newthread_unfollowed.errors]}" "(reference)" ""
  row "notifications of a follower (read)" "$(fmt_n "${R[$tag.notifications.rps]}")" \
    "$(fmt_ms "${R[$tag.notifications.p50]}")" "$(fmt_ms "${R[$tag.notifications.p99]}")" "" \
    "${R[$tag.notifications.errors]}" "(report: computed when read)" ""
  local ex_s=${R[$tag.export_s]:-nan}
  row "export of objective 3 (CSV, moderator)" "$(awk -v r="${R[$tag.export_rows]:-0}" -v t="$ex_s" \
    'BEGIN { if (t + 0 > 0) printf "%.0f rows/s", r / t; else print "-" }')" "" "" "" \
    "$([ "${R[$tag.export_status]}" = 200 ] && echo 0 || echo "${R[$tag.export_status]}")" \
    "(report: ${R[$tag.export_rows]} rows, $(( ${R[$tag.export_bytes]:-0} / 1048576 )) MB in ${ex_s} s)" ""
  row "statistics, all / objective 3" "${R[$tag.stats_s]} s" "" "" "" "" "(report; ${R[$tag.stats3_s]} s for objective 3)" ""
  row "write-ahead log after the writes" "$(( ${R[$tag.wal]:-0} / 1048576 )) MB" "" "" "" "" \
    "(report; the file is truncated to 64 MB once a checkpoint catches up)" ""
  local rss=$(( ${R[$tag.idle.rss]:-0} / 1024 ))
  [ "$rss" -lt 100 ] && grep -q "^ready $IDLE_CONNS/$IDLE_CONNS " "$WORK/$tag.idle.idle" && ok=0 || ok=1
  row "RSS, $IDLE_CONNS idle keep-alive conns" "$rss MB" "" "" "" "" \
    "< 100 MB (before $(( ${R[$tag.idle.rss_before]:-0} / 1024 )), anon $(( ${R[$tag.idle.anon]:-0} / 1024 )) MB)" "$(pf $ok)"
  if [ "${R[$tag.sse_status]}" = 404 ]; then
    row "RSS, $IDLE_CONNS idle SSE streams" "n/a (404)" "" "" "" "" "< 100 MB" "n/a"
  else
    rss=$(( ${R[$tag.sse.rss]:-0} / 1024 ))
    [ "$rss" -lt 100 ] && grep -q "^ready $IDLE_CONNS/$IDLE_CONNS " "$WORK/$tag.sse.idle" && ok=0 || ok=1
    row "RSS, $IDLE_CONNS idle SSE streams" "$rss MB" "" "" "" "" \
      "< 100 MB (before $(( ${R[$tag.sse.rss_before]:-0} / 1024 )), anon $(( ${R[$tag.sse.anon]:-0} / 1024 )) MB)" "$(pf $ok)"
  fi
  row "peak RSS (VmHWM), whole run" "$(( ${R[$tag.hwm]:-0} / 1024 )) MB" "" "" "" "" \
    "(report; at the end anon $(( ${R[$tag.end_anon]:-0} / 1024 )), file $(( ${R[$tag.end_file]:-0} / 1024 )) MB)" ""
  [ "${R[$tag.startup]}" -lt 1000 ] && ok=0 || ok=1
  row "start-up (exec to listening line)" "${R[$tag.startup]} ms" "" "" "" "" "< 1000 ms" "$(pf $ok)"
  [ "${R[$tag.exit]}" = 0 ] && [ "${R[$tag.stderr]}" = 0 ] && ok=0 || ok=1
  row "exit status on SIGTERM / log lines" "${R[$tag.exit]}" "" "" "" "${R[$tag.stderr]}" "0, and no warning or error logged" \
    "$(pf $ok)"
}

table() {
  echo
  echo "forumd benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
  echo "machine: $MACHINE"
  echo "vs ceil = forumd req/s / the bare evhttp server's req/s with a body of the same size (the thread"
  echo "list against the list-size ceiling, everything else against the thread-page-size one)"
  echo "every scenario: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s --latency on 127.0.0.1 (wrk shares the CPUs with the server),"
  echo "but the first search row: -c$SEARCH_CONNS"
  table_db small
  table_db big
  echo
  echo "== the big DB against the near-empty one (same targets on both; differences under 15% are noise here)"
  row comparison "big/empty" "p99 big" "p99 empty" "" "" target result
  local k name r ok tag
  for k in page list; do
    [ $k = page ] && name="thread page req/s" || name="thread list req/s"
    r=$(ratio "${R[big.$k.rps]}" "${R[small.$k.rps]}")
    ge "$r" 0.85 && ok=0 || ok=1
    row "$name" "$r" "$(fmt_ms "${R[big.$k.p99]}")" "$(fmt_ms "${R[small.$k.p99]}")" "" "" ">= 0.85 (the same)" "$(pf $ok)"
  done
  for tag in small big; do
    if [ -s "$WORK/$tag.errlines" ]; then
      echo
      echo "forumd's log on the ${R[$tag.label]} (first lines that are not start/stop):"
      sed 's/^/  /' "$WORK/$tag.errlines"
    fi
  done
}

RESULT="$BENCH_DIR/result-$(date +%Y%m%d-%H%M%S).txt"
table >"$WORK/table.txt"
{ cat "$WORK/table.txt"; echo; echo "$(grep -c ' PASS$' "$WORK/table.txt" || true) PASS, $(grep -c ' FAIL$' "$WORK/table.txt" || true) FAIL"; } | tee "$RESULT"
log "table saved to $RESULT"
