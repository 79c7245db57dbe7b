#!/usr/bin/env bash
# Installs what forumd needs to build, run and test on Debian 12 (as root). Idempotent.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libevent-dev libsqlite3-dev libjansson-dev libsodium-dev
      libcmark-dev libcriterion-dev python3 sqlite3 curl chromium clang-14 libclang-rt-14-dev)
# The browser tests drive Debian's chromium with playwright-core from npm: Node.js comes from
# Debian too unless the machine already has a node and npm of its own.
command -v node >/dev/null && command -v npm >/dev/null || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
