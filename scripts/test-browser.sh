#!/usr/bin/env bash
# The browser tests (Tests/Browser/pages_test.py): headless Chromium driven by Selenium against `concord serve --demo`
# (debug build, embedded SQLite, a data directory of its own). Needs chromium and chromium-driver (Debian) and
# selenium (PyPI); .ci/run installs them. CONCORD_SCREENSHOTS=DIR keeps a PNG of every page visited.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require chromium chromium
require chromedriver chromium-driver
python3 -c "import selenium" 2>/dev/null || { echo "selenium is not installed (python3 -m pip install selenium)" >&2; exit 1; }

PORT="${PORT:-18085}"
output="$(swift build --product concord 2>&1)" || { echo "$output" >&2; exit 1; }
BIN="$(swift build --show-bin-path)/concord"
make_data_dir
start_server --demo
CONCORD_URL="$BASE" CONCORD_DEMO_PASSWORD="$(demo_password)" python3 Tests/Browser/pages_test.py
