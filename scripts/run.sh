#!/usr/bin/env bash
# Installs the dependencies, builds forumd and starts the forum on http://127.0.0.1:8080 with the
# embedded SQLite database forum.db (created and migrated on first start). Extra arguments go to
# forumd, e.g. scripts/run.sh --listen 0.0.0.0:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
exec build/forumd --db forum.db --web web "$@"
