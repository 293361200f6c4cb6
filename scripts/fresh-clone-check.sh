#!/usr/bin/env bash
# A fresh clone as a new user has it: no ../shared beside it. Puts MNIST into the clone's data/ with the
# README's offline step, starts the service with the README's first command until it is healthy, runs the
# README's test command (which must find data/), and checks that a run without MNIST stops with one line.
# Usage: scripts/fresh-clone-check.sh [MNIST_DIR]   (default: ../shared/mnist beside this checkout)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mnist="${1:-$here/../shared/mnist}"
mnist="$(cd "$mnist" && pwd)"
work="$(mktemp -d /tmp/mnistd-fresh-XXXXXX)"
# Only ever the server's own pid: `kill 0` would end this script's whole process group, CI's runner with it.
server=""
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
git clone --quiet "$here" "$work/mnistd"
cd "$work/mnistd"
[ ! -e ../shared ] || { echo "fresh-clone: $work/shared exists"; exit 1; }
unset MNISTD_MNIST_DIR MNISTD_DATA_DIR

# The README's commands, read from the README itself so that the check follows it.
test_command="$(grep -m1 -E '^    swift test ' README.md | sed 's/^    //')"
[ -n "$test_command" ] || { echo "fresh-clone: no test command in README.md"; exit 1; }

echo "fresh-clone: fetch-data --from $mnist"
swift run -c release mnistd fetch-data --from "$mnist"

echo "fresh-clone: swift run -c release mnistd (port 0)"
swift run -c release mnistd --port 0 > "$work/serve.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 600); do
    port="$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/serve.log")"
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; echo "fresh-clone: the service exited"; exit 1; }
    sleep 1
done
[ -n "$port" ] || { cat "$work/serve.log"; echo "fresh-clone: the service never listened"; exit 1; }
healthy=""
for _ in $(seq 1 60); do
    if curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; then healthy=1; break; fi
    sleep 1
done
[ -n "$healthy" ] || { cat "$work/serve.log"; echo "fresh-clone: /healthz never answered 200"; exit 1; }
grep -q "dataset 'mnist' loaded from" "$work/serve.log" || { cat "$work/serve.log"; echo "fresh-clone: no load line in the log"; exit 1; }
kill "$server"; wait "$server" 2>/dev/null || true; server=""

echo "fresh-clone: $test_command"
$test_command

# Without MNIST anywhere: one line saying what is missing, no crash.
set +e
MNISTD_MNIST_DIR="$work/nowhere" swift test -c release -Xswiftc -enable-testing --disable-xctest --skip-build \
    --filter sparseTraining_tracksDenseTraining > "$work/missing.log" 2>&1
status=$?
set -e
[ "$status" -ne 0 ] || { echo "fresh-clone: the tests passed without MNIST"; exit 1; }
grep -q "^tests: MNIST not found in $work/nowhere" "$work/missing.log" \
    || { cat "$work/missing.log"; echo "fresh-clone: no one-line message without MNIST"; exit 1; }
! grep -qi "backtrace\|fatal error" "$work/missing.log" || { cat "$work/missing.log"; echo "fresh-clone: it crashed"; exit 1; }
echo "fresh-clone: passed"
