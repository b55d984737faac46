#!/usr/bin/env bash
# Install everything the test suite needs (Debian 12, Python 3.11) and run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
# Debian packages, where missing (.ci/run installs them on a fresh machine)
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v rsync >/dev/null 2>&1 || need_apt+=(rsync)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need_apt[@]}"
fi
python3 -m pip install -q -e '.[test,dev]'
(cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
export BROWSER_PATH="${BROWSER_PATH:-/usr/bin/chromium}"
python3 -m pytest -q -p no:cacheprovider "$@"
