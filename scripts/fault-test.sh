#!/usr/bin/env bash
# forumd's fault tests (issue 8): kill -9 during writes, a full disk, a locked database, corrupt and
# foreign database files, SIGTERM under load, backup under load. Runs tests/fault/run.py against a
# forumd binary and prints a table of figures per scenario and a summary.
#
#   scripts/fault-test.sh [--quick] [--forumd PATH] [--rounds N] [--only a,b] [--json FILE] [--keep] [-v]
#
# --quick: the CI run (5 kill -9 rounds, short phases; about a minute); without it 30 rounds and
#          longer phases (several minutes). --forumd defaults to build/forumd.
# Run as root: the disk-full scenario mounts a size-limited tmpfs (it is skipped otherwise). Every
# server, mount and scratch file is removed on exit, also when interrupted. Exit status 1 if a
# scenario failed.
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

FORUMD="$ROOT/build/forumd"
ARGS=()
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$SELF"; }
while [ $# -gt 0 ]; do
  case $1 in
    --forumd) FORUMD=${2:?--forumd needs a path}; shift 2 ;;
    --quick|--keep|-v|--verbose) ARGS+=("$1"); shift ;;
    --rounds|--only|--json|--seed) ARGS+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "scripts/fault-test.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -x "$FORUMD" ] || { echo "scripts/fault-test.sh: no forumd binary at $FORUMD (build it, or give --forumd)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "scripts/fault-test.sh: python3 is needed" >&2; exit 2; }
[ "$(id -u)" = 0 ] || echo "note: not root: the disk-full scenario will be skipped" >&2

# A scratch folder of our own: the clean-up below removes only what this run mounted and wrote.
SCRATCH=$(mktemp -d /tmp/forumd-fault-run.XXXXXX)
chmod 755 "$SCRATCH" # the chmod 000 case runs forumd as nobody, who must reach the folder
cleanup() {
  local m
  # mounts left by an interrupted run (the Python driver removes its own on a normal exit)
  for m in $(awk -v d="$SCRATCH/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  case " ${ARGS[*]-} " in *" --keep "*) echo "scratch kept in $SCRATCH" >&2 ;; *) rm -rf "$SCRATCH" ;; esac
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The driver runs in the background and is waited for, so that a signal to this script reaches the
# trap at once; the driver's own handlers stop its servers and unmount.
TMPDIR="$SCRATCH" python3 "$ROOT/tests/fault/run.py" --forumd "$FORUMD" --web "$ROOT/web" ${ARGS[@]+"${ARGS[@]}"} &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid; exit 130' INT TERM
wait $pid
