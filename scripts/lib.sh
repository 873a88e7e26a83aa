# Sourced by the benchmark and browser-test scripts (not run on its own): a build of concord, a temporary data
# directory, and `concord serve` on embedded SQLite in it, stopped and removed when the script exits.

# Fails with the Debian package to install when COMMAND is missing: require COMMAND PACKAGE.
require() {
  command -v "$1" >/dev/null || { echo "$1 is not installed (apt-get install $2)" >&2; exit 1; }
}

# Builds concord for release in .build-release, so that a benchmark neither waits for nor disturbs the debug build in
# .build. Sets BIN. The build's output is shown only when it fails.
build_release() {
  local release=(swift build -c release --scratch-path .build-release) output
  output="$("${release[@]}" --product concord 2>&1)" || { echo "$output" >&2; echo "the release build failed" >&2; exit 1; }
  BIN="$("${release[@]}" --show-bin-path)/concord"
}

# A data directory of this run's own, removed on exit (with the server, when one was started). Sets DATA and exports
# CONCORD_DATA_DIR and a quiet LOG_LEVEL.
make_data_dir() {
  DATA="$(mktemp -d)"
  export CONCORD_DATA_DIR="$DATA" LOG_LEVEL=warning
  trap stop_and_remove EXIT
}

stop_and_remove() {
  if [ -n "${SERVER:-}" ]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}

# Starts `concord serve --port $PORT` with any further arguments (--demo) and waits until /health answers. Sets
# SERVER (its process id) and BASE.
start_server() {
  BASE="http://127.0.0.1:$PORT"
  "$BIN" serve --port "$PORT" "$@" >"$DATA/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -fs "$BASE/health" >/dev/null && break; sleep 0.1; done
  curl -fs "$BASE/health" >/dev/null || { echo "concord did not start:" >&2; cat "$DATA/serve.log" >&2; exit 1; }
}

# The password `serve --demo` printed for the demo sign-ins.
demo_password() {
  sed -n 's/.*password for all: \([^ ]*\) .*/\1/p' "$DATA/serve.log"
}
