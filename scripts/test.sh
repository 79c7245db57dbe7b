#!/usr/bin/env bash
# Runs every test: the unit, black-box HTTP and catalogue checks on a normal build, the browser
# suite (chromium + playwright-core + axe-core) against it, then the first three again on an
# AddressSanitizer + UndefinedBehaviorSanitizer build. Warnings are errors here.
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
  fi
done
