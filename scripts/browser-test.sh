#!/usr/bin/env bash
# Real-browser tests of the web front end: Debian's Chromium driven by playwright-core (pinned in
# tests/package.json), axe-core on every page visited, against a forumd started with a fresh
# database. Usage: scripts/browser-test.sh [FORUMD_BINARY] [--screenshots] [--only NAME]...
# The binary defaults to build-test-release/forumd, else build/forumd. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  binary=$1
  shift
fi
if [ -z "$binary" ]; then
  if [ -x build-test-release/forumd ]; then binary=build-test-release/forumd
  elif [ -x build/forumd ]; then binary=build/forumd
  else
    echo "browser-test.sh: no forumd binary; build one (cmake -S . -B build && cmake --build build) or name it" >&2
    exit 2
  fi
fi
[ -x "$binary" ] || { echo "browser-test.sh: $binary is not an executable" >&2; exit 2; }

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "browser-test.sh: $chromium not found (Debian: apt-get install chromium)" >&2
  exit 2
fi
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "browser-test.sh: node and npm are needed (Debian: apt-get install nodejs npm)" >&2
  exit 2
}

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "browser-test.sh: Node.js 20 or newer is needed (playwright-core); this is $(node --version)" >&2
  exit 2
fi

# Install the pinned packages when they are missing or differ from the lock file.
lock=tests/package-lock.json
stamp=tests/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ ! -d tests/node_modules/playwright-core ] || [ ! -d tests/node_modules/axe-core ] \
   || [ "$lock" -nt "$stamp" ]; then
  echo "== npm ci (tests/)"
  npm ci --prefix tests --no-audit --no-fund --loglevel=error
fi

echo "== browser tests ($binary)"
exec node tests/browser/run.mjs --forumd "$binary" --web web --chromium "$chromium" "$@"
