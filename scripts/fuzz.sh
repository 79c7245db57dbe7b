#!/usr/bin/env bash
# Runs the libFuzzer harnesses of tests/fuzz/ for a bounded time each, over a copy of their seed
# corpora (the committed corpus never grows here), and reports per harness the executions, the
# executions per second, the coverage reached (libFuzzer's cov:) and the crashes found. Exits 1 if
# any harness crashed, printing where the crashing input was saved; 2 on wrong usage.
#
#   scripts/fuzz.sh [--seconds N] [--jobs J] [--merge] [harness...]
#
#   --seconds N   time per harness (default 20)
#   --jobs J      harnesses run at once (default: the number of CPUs, at most 6)
#   --merge       afterwards, add the inputs that reached new coverage to tests/fuzz/corpus/<harness>/
#                 (minimised by libFuzzer's -merge=1), for a deliberate, reviewed corpus update
#   harness       fuzz_router fuzz_json fuzz_markdown fuzz_cursor fuzz_search fuzz_request (default:
#                 all of them; the fuzz_ prefix may be left out)
#
# The build is build-fuzz/ (clang, -DFORUMD_FUZZ=ON), configured here if it does not exist yet.
# Crashing inputs are kept in build-fuzz/artifacts/<harness>/; reproduce one with
# build-fuzz/<harness> <file>. See tests/fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(fuzz_router fuzz_json fuzz_markdown fuzz_cursor fuzz_search fuzz_request)
seconds=20
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 6 ] && jobs=6
merge=0
harnesses=()
usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) [ $# -ge 2 ] || usage; seconds=$2; shift 2 ;;
    --seconds=*) seconds=${1#*=}; shift ;;
    --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --merge) merge=1; shift ;;
    -h | --help) usage ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; usage ;;
    *) name=$1; [ "${name#fuzz_}" = "$name" ] && name=fuzz_$name
       [[ " ${ALL[*]} " == *" $name "* ]] || { echo "fuzz.sh: no harness $1 (${ALL[*]})" >&2; exit 2; }
       harnesses+=("$name"); shift ;;
    esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --seconds needs a positive number" >&2; exit 2; }
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --jobs needs a positive number" >&2; exit 2; }
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${ALL[@]}")

build="build-fuzz"
if [ ! -f "$build/CMakeCache.txt" ] || ! grep -q '^FORUMD_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
    echo "== configuring $build (clang, FORUMD_FUZZ=ON)"
    cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFORUMD_FUZZ=ON \
        -DFORUMD_TESTS=OFF -DFORUMD_BENCH=OFF >/dev/null
fi
echo "== building ${harnesses[*]}"
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${harnesses[@]}" >/dev/null

# What each harness is given besides its corpus: the longest input and a dictionary.
options() {
    case "$1" in
    fuzz_request) echo "-max_len=65536 -dict=tests/fuzz/http.dict" ;;
    fuzz_router) echo "-max_len=4096 -dict=tests/fuzz/http.dict" ;;
    fuzz_json) echo "-max_len=65536 -dict=tests/fuzz/json.dict" ;;
    fuzz_markdown) echo "-max_len=16384 -dict=tests/fuzz/markdown.dict" ;;
    fuzz_search) echo "-max_len=1024 -dict=tests/fuzz/search.dict" ;;
    fuzz_cursor) echo "-max_len=256" ;;
    esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/forumd-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
    local h=$1 corpus=$work/$1/corpus artifacts=$build/artifacts/$1
    mkdir -p "$corpus" "$artifacts"
    cp tests/fuzz/corpus/"$h"/* "$corpus"/ 2>/dev/null || true
    # shellcheck disable=SC2046
    if "$build/$h" $(options "$h") -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$work/$h.log" 2>&1; then
        echo 0 >"$work/$h.rc"
    else
        echo $? >"$work/$h.rc"
    fi
}

[ "$jobs" -gt ${#harnesses[@]} ] && jobs=${#harnesses[@]}
echo "== fuzzing ${#harnesses[@]} harness(es) for ${seconds}s each, $jobs at a time"
running=0
for h in "${harnesses[@]}"; do
    run_one "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

failed=0
printf '%-14s %12s %9s %7s %8s\n' harness executions exec/s cov crashes
for h in "${harnesses[@]}"; do
    log=$work/$h.log
    rc=$(cat "$work/$h.rc" 2>/dev/null || echo 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
    cov=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
    crashes=$(grep -c 'Test unit written to' "$log" || true)
    if [ "$rc" != 0 ] && [ "$crashes" = 0 ]; then
        crashes=1 # died without saving an input
    fi
    printf '%-14s %12s %9s %7s %8s\n' "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$crashes"
    [ "$rc" = 0 ] || failed=1
done
for h in "${harnesses[@]}"; do
    rc=$(cat "$work/$h.rc" 2>/dev/null || echo 1)
    [ "$rc" = 0 ] && continue
    echo
    echo "== $h failed (exit $rc); the end of its log:"
    grep -v '^    #[0-9]' "$work/$h.log" | grep -v '^INFO:\|^#[0-9]' | tail -25
    grep -h 'Test unit written to' "$work/$h.log" | sed 's/.*Test unit written to /crashing input: /' || true
    echo "reproduce: $build/$h <crashing input>"
done

if [ "$merge" = 1 ] && [ "$failed" = 0 ]; then
    for h in "${harnesses[@]}"; do
        before=$(find tests/fuzz/corpus/"$h" -type f | wc -l)
        # shellcheck disable=SC2046
        "$build/$h" $(options "$h") -merge=1 tests/fuzz/corpus/"$h" "$work/$h/corpus" >"$work/$h.merge.log" 2>&1
        after=$(find tests/fuzz/corpus/"$h" -type f | wc -l)
        echo "merged into tests/fuzz/corpus/$h: $((after - before)) new input(s)"
    done
fi
exit "$failed"
