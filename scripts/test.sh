#!/usr/bin/env bash
# Runs every test: the unit, black-box HTTP and catalogue checks on a normal build, the browser
# suite (chromium + playwright-core + axe-core) and the fault scenarios (quick mode) against it,
# then the first three again on an AddressSanitizer + UndefinedBehaviorSanitizer build, and last
# each libFuzzer harness for a bounded time. Warnings are errors here.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)
for kind in release asan; do
  dir=build-test-$kind
  flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFORUMD_WERROR=ON)
  [ "$kind" = asan ] && flags+=(-DFORUMD_SANITIZE=ON)
  echo "== $kind build"
  cmake -S . -B "$dir" "${flags[@]}" >/dev/null
  cmake --build "$dir" -j"$jobs"
  echo "== $kind tests"
  (cd "$dir" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure --timeout 900)
  if [ "$kind" = release ]; then
    echo "== browser tests"
    scripts/browser-test.sh "$dir/forumd"
    echo "== fault tests (quick)"
    scripts/fault-test.sh --quick --forumd "$dir/forumd"
  fi
done
echo "== fuzzing (${FUZZ_SECONDS:-15} s per harness)"
scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-15}"
