#!/usr/bin/env bash
# synchronous=FULL against NORMAL under the posting benchmark (issue 8, the durability decision).
#
#   bench/durability.sh [--forumd PATH] [--duration S] [--repeat N] [--posts N] [--quick]
#
# For a fresh forum (50 threads of one post each) and one of --posts posts (default 20,000; the
# cached $BENCH_DIR/forum-<N>.db of bench/run.sh is reused), runs forumd --synchronous full and
# --synchronous normal in turn, --repeat times each (default 3, interleaved so that drift on the
# machine hits both alike), each on a fresh copy: wrk -t2 -c64 -d<S>s with bench/lua/posting.lua,
# 64 concurrent writers replying to random threads as 8 signed-in users; and once more on the
# fresh forum with a single writer (-t1 -c1: every commit pays its own sync). Prints posts/s, p50 and
# p99 (median of the runs, and their range), the answers, the largest group-commit batch, and the
# disk's own fdatasync latency (4 KiB writes in the same folder) beside them.
# --forumd defaults to build/forumd; forumd-seed is taken from the same folder. --quick: 5 s, 1 run.
# Abuse limits are switched off with the serve options this forumd accepts. Everything started is
# stopped on exit.
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

FORUMD="$ROOT/build/forumd" DURATION=10 REPEAT=3 POSTS=20000
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$SELF"; }
while [ $# -gt 0 ]; do
  case $1 in
    --forumd) FORUMD=${2:?--forumd needs a path}; shift 2 ;;
    --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a number}; shift 2 ;;
    --posts) POSTS=${2:?--posts needs a number}; shift 2 ;;
    --quick) DURATION=5; REPEAT=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/durability.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case $DURATION$REPEAT$POSTS in *[!0-9]*) echo "bench/durability.sh: --duration, --repeat and --posts take whole numbers" >&2; exit 2 ;; esac
FORUMD=$(cd "$(dirname "$FORUMD")" && pwd)/$(basename "$FORUMD")
SEED="$(dirname "$FORUMD")/forumd-seed"
[ -x "$FORUMD" ] || { echo "bench/durability.sh: no forumd at $FORUMD" >&2; exit 2; }
[ -x "$SEED" ] || { echo "bench/durability.sh: no forumd-seed beside $FORUMD (build with -DFORUMD_BENCH=ON)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench/durability.sh: wrk is needed (apt-get install wrk)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/durability.sh: python3 is needed" >&2; exit 2; }

BENCH_DIR=${BENCH_DIR:-/tmp/forumd-bench}
LUA=$ROOT/bench/lua
mkdir -p "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/durability.XXXXXX")
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- serve options: the abuse limits off, each only if this forumd knows it ----
OPTS=()
for pair in rate-post-account=0/1 rate-post-address=0/1 rate-post-new-account=0/1 rate-login-address=0/1 \
            rate-login-account=0/1 duplicate-window=0 new-account-period=0; do
  o=${pair%%=*} v=${pair#*=}
  rc=0
  "$FORUMD" serve --listen 127.0.0.1:0 --db "$WORK/no-such-dir/x.db" "--$o" "$v" >/dev/null 2>&1 || rc=$?
  [ "$rc" = 2 ] && log "forumd does not accept --$o: not passed" || OPTS+=("--$o" "$v")
done
rc=0
"$FORUMD" serve --listen 127.0.0.1:0 --db "$WORK/no-such-dir/x.db" --synchronous normal >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] && die "this forumd has no --synchronous option"

# ---- databases ----
db_for() { # posts threads -> a cached, migrated database
  local posts=$1 threads=$2 db="$BENCH_DIR/forum-$1.db"
  [ "$posts" = 50 ] && db="$BENCH_DIR/durability-fresh.db"
  if [ ! -f "$db" ]; then
    log "seeding $db ($posts posts in $threads threads; once, then cached)"
    rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
    "$SEED" --db "$db.tmp" --posts "$posts" --threads "$threads" >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; die "seeding failed"; }
    mv "$db.tmp" "$db"
  fi
  "$FORUMD" migrate --db "$db" >/dev/null || die "cannot migrate $db"
  echo "$db"
}
threads_for() { local t=$(( $1 / 20 )); echo $(( t > 0 ? t : 1 )); }
FRESH=$(db_for 50 50)
BIG=$(db_for "$POSTS" "$(threads_for "$POSTS")")

# ---- one run ----
SRV_PID="" SRV_PORT=""
start_server() { # db sync
  local fifo="$WORK/fifo" line=""
  rm -f "$fifo"; mkfifo "$fifo"
  "$FORUMD" --listen 127.0.0.1:0 --db "$1" --quiet --synchronous "$2" "${OPTS[@]}" >"$fifo" 2>"$WORK/forumd.err" &
  SRV_PID=$!
  PIDS+=("$SRV_PID")
  exec 9<"$fifo"
  read -r -t 60 line <&9 || { cat "$WORK/forumd.err" >&2; die "forumd did not start"; }
  case $line in "listening on http://"*) SRV_PORT=${line##*:} ;; *) die "unexpected first line: $line" ;; esac
}
stop_server() {
  kill -TERM "$SRV_PID" 2>/dev/null || true
  local rc=0
  wait "$SRV_PID" || rc=$?
  exec 9<&-
  [ "$rc" = 0 ] || log "forumd exited $rc: $(tail -3 "$WORK/forumd.err")"
}

declare -A R
run_one() { # key db threads sync [connections]
  local key=$1 src=$2 threads=$3 sync=$4 conns=${5:-64} db="$WORK/run.db"
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$src" "$db"
  start_server "$db" "$sync"
  local url="http://127.0.0.1:$SRV_PORT" sessions
  sessions=$(python3 "$ROOT/bench/client.py" sessions "$url" --first 12 --count 8) || die "cannot sign in the bench users"
  wrk -t1 -c4 -d1s "$url/api/v1/objectives" >/dev/null 2>&1 || true
  local out="$WORK/$key.wrk"
  THREADS=$threads SESSIONS=$sessions wrk -t$(( conns < 2 ? 1 : 2 )) -c"$conns" -d"${DURATION}s" --timeout 10s --latency \
    -s "$LUA/posting.lua" "$url" >"$out" 2>&1 &
  local wpid=$!
  PIDS+=("$wpid")
  wait "$wpid" || true
  stop_server
  local parsed
  parsed=$(awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v
    }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%s %s %s", (rps == "" ? "nan" : rps), (p50 == "" ? "nan" : p50), (p99 == "" ? "nan" : p99) }
  ' "$out")
  read -r "R[$key.rps]" "R[$key.p50]" "R[$key.p99]" <<<"$parsed"
  R[$key.statuses]=$(sed -n 's/^statuses: //p' "$out")
  R[$key.batch]=$(sed -n 's/.*writer_max_batch=\([0-9]*\).*/\1/p' "$WORK/forumd.err" | tail -1)
  log "  $key: ${R[$key.rps]} posts/s, p50 ${R[$key.p50]} ms, p99 ${R[$key.p99]} ms, statuses ${R[$key.statuses]}, max batch ${R[$key.batch]:-?}"
}

# ---- the disk's own fdatasync latency, in the folder the databases live in ----
FSYNC=$(python3 - "$WORK" <<'EOF'
import os, sys, time
p = os.path.join(sys.argv[1], "fsync.probe")
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
buf = os.urandom(4096)
lat = []
for i in range(400):
    os.pwrite(fd, buf, (i % 64) * 4096)
    t = time.perf_counter(); os.fdatasync(fd); lat.append(time.perf_counter() - t)
os.close(fd); os.unlink(p)
lat.sort()
print(f"p50 {lat[len(lat) // 2] * 1e6:.0f} us, p99 {lat[int(len(lat) * 0.99)] * 1e6:.0f} us")
EOF
)
FS=$(findmnt -no FSTYPE,SOURCE -T "$WORK" 2>/dev/null | tr -s ' ' || stat -f -c %T "$WORK")
# how busy the CPUs already are (anything else running moves these figures a lot)
BUSY=$(a=$(head -1 /proc/stat); sleep 1; b=$(head -1 /proc/stat); awk -v a="$a" -v b="$b" 'BEGIN {
  na = split(a, x, " "); split(b, y, " ")
  for (i = 2; i <= na && i <= 9; i++) { t += y[i] - x[i]; if (i == 5 || i == 6) idle += y[i] - x[i] }
  printf "%.0f%%\n", (t > 0 ? 100 * (t - idle) / t : 0) }')
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
log "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, Linux $(uname -r); $BENCH_DIR on $FS; fdatasync of 4 KiB: $FSYNC; CPU busy before: $BUSY"
log "forumd: $FORUMD ($("$FORUMD" --version)); options: ${OPTS[*]}"
log "wrk -t2 -c64 -d${DURATION}s posting.lua, $REPEAT run(s) per setting"

for rep in $(seq 1 "$REPEAT"); do
  # alternate the order between repetitions
  if [ $(( rep % 2 )) = 1 ]; then order="full normal"; else order="normal full"; fi
  for which in fresh big one; do
    for sync in $order; do
      case $which in
        fresh) run_one "$which.$sync.$rep" "$FRESH" 50 "$sync" ;;
        big) run_one "$which.$sync.$rep" "$BIG" "$(threads_for "$POSTS")" "$sync" ;;
        one) run_one "$which.$sync.$rep" "$FRESH" 50 "$sync" 1 ;;  # one writer: no group commit to share a sync
      esac
    done
  done
done

# ---- table ----
stats() { # values... -> "median min max"
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s", m, v[1], v[NR] }'
}
echo
echo "synchronous=FULL vs NORMAL, posting (wrk -t2 -c64 -d${DURATION}s, and -t1 -c1, bench/lua/posting.lua), median of $REPEAT"
echo "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, Linux $(uname -r), $FS; disk fdatasync (4 KiB): $FSYNC"
echo "CPU busy before the runs: $BUSY (other work on the machine moves these figures)"
printf '%-28s %-8s %16s %22s %22s %8s  %s\n' "database, writers" synchr. "posts/s" "p50 ms" "p99 ms" "batch" answers
for which in fresh big one; do
  case $which in
    fresh) label="fresh (50 threads), 64 wr." ;;
    big) label="$POSTS posts, 64 writers" ;;
    one) label="fresh, 1 writer" ;;
  esac
  declare -A M=()
  for sync in full normal; do
    rps=() p50=() p99=() st="" b=0
    for rep in $(seq 1 "$REPEAT"); do
      k="$which.$sync.$rep"
      rps+=("${R[$k.rps]}"); p50+=("${R[$k.p50]}"); p99+=("${R[$k.p99]}")
      st="$st ${R[$k.statuses]}"
      [ "${R[$k.batch]:-0}" -gt "$b" ] && b=${R[$k.batch]}
    done
    read -r rm rlo rhi <<<"$(stats "${rps[@]}")"
    read -r pm plo phi <<<"$(stats "${p50[@]}")"
    read -r qm qlo qhi <<<"$(stats "${p99[@]}")"
    M[$sync.rps]=$rm M[$sync.p99]=$qm
    printf '%-28s %-8s %16s %22s %22s %8s  %s\n' "$label" "$sync" \
      "$(printf '%.0f (%.0f-%.0f)' "$rm" "$rlo" "$rhi")" "$(printf '%.1f (%.1f-%.1f)' "$pm" "$plo" "$phi")" \
      "$(printf '%.1f (%.1f-%.1f)' "$qm" "$qlo" "$qhi")" "$b" \
      "$(echo "$st" | tr ' ' '\n' | awk -F= 'NF == 2 { s[$1] += $2 } END { for (k in s) printf "%s=%d ", k, s[k] }')"
  done
  awk -v f="${M[full.rps]}" -v n="${M[normal.rps]}" -v fp="${M[full.p99]}" -v np="${M[normal.p99]}" -v l="$label" \
    'BEGIN { printf "%-28s NORMAL/FULL: %.2fx posts/s, p99 %.2fx\n", l, (f > 0 ? n / f : 0), (fp > 0 ? np / fp : 0) }'
done
