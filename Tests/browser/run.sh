#!/usr/bin/env bash
# Browser test of the dashboard: starts the release `mnistd serve` on a free port with a throwaway state dir,
# runs Tests/browser/test_page.py in headless Chromium against it, and stops the server.
# MNISTD_URL=http://host:port skips starting a server and tests that one instead.
# MNISTD_MNIST_DIR overrides the data dir (default: ../shared/mnist beside the package); MNISTD_BIN a built binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

# Chromium + chromedriver come from Debian, selenium from PyPI; install whichever is missing.
if ! command -v chromedriver >/dev/null || ! { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }; then
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver
fi
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium

if [ -n "${MNISTD_URL:-}" ]; then
    exec python3 Tests/browser/test_page.py
fi

data=${MNISTD_MNIST_DIR:-$root/../shared/mnist}
bin=${MNISTD_BIN:-}
if [ -z "$bin" ]; then
    swift build -c release --product mnistd >&2
    bin="$(swift build -c release --show-bin-path)/mnistd"
fi
work=$(mktemp -d)
log="$work/server.log"
"$bin" serve --host 127.0.0.1 --port 0 --data-dir "$data" --state-dir "$work/state" >"$log" 2>&1 &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The server prints `listening on http://HOST:PORT` once it accepts connections.
url=""
for _ in $(seq 1 600); do
    url=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$url" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
        cat "$log" >&2
        echo "run.sh: mnistd exited before listening" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -z "$url" ]; then
    cat "$log" >&2
    echo "run.sh: no 'listening on' line within 60 s" >&2
    exit 1
fi
echo "run.sh: testing $url" >&2
if ! MNISTD_URL="$url" python3 Tests/browser/test_page.py; then
    echo "run.sh: server log:" >&2
    tail -n 50 "$log" >&2
    exit 1
fi
