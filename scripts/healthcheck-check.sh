#!/usr/bin/env bash
# Exercises `mnistd healthcheck` against stub servers: /healthz 200 -> exit 0; 503 -> exit 1 with a reason;
# a closed port -> exit 1; a server that accepts but never answers -> exit 1 within the 3 s timeout; a non-HTTP
# answer -> exit 1; a server that keeps the connection open -> read up to Content-Length, no wait for the
# timeout; MNISTD_HOST=0.0.0.0 / MNISTD_PORT from the environment as the container sets them.
#   healthcheck-check.sh [PATH_TO_MNISTD]   (default: builds the debug binary)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

failures=0
pass() { echo "PASS healthcheck: $*"; }
fail() { echo "FAIL healthcheck: $*"; failures=$((failures + 1)); }

binary=${1:-}
if [ -z "$binary" ]; then
    swift build --product mnistd >/dev/null || { echo "FAIL healthcheck: swift build"; exit 1; }
    binary="$(swift build --show-bin-path)/mnistd"
fi
work=$(mktemp -d)
stub_pids=()
cleanup() {
    for pid in "${stub_pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

# start_stub MODE -> sets $stub_port. MODE: a status code (answers /healthz with it), `silent` (accepts, never
# answers), `garbage` (answers something that is not HTTP) or `lingering` (answers 200 with a Content-Length but keeps the connection open despite `close`).
start_stub() {
    local mode=$1 out="$work/stub-$1.port"
    python3 -u - "$mode" >"$out" 2>"$work/stub-$1.log" <<'PY' &
import http.server, socket, sys, time
mode = sys.argv[1]
if mode == "silent":
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    print(server.getsockname()[1], flush=True)
    held = []
    while True:
        connection, _ = server.accept()
        held.append(connection)  # accept, then never answer
elif mode == "lingering":
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    print(server.getsockname()[1], flush=True)
    held = []
    while True:
        connection, _ = server.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n" + b'{"status": "ok"}')
        held.append(connection)
elif mode == "garbage":
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    print(server.getsockname()[1], flush=True)
    while True:
        connection, _ = server.accept()
        # Read the request first: closing with it unread would send a reset that can drop the answer.
        connection.recv(4096)
        connection.sendall(b"SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n")
        connection.shutdown(socket.SHUT_WR)
        connection.close()
else:
    status = int(mode)
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            ok = self.path == "/healthz" and status == 200
            body = b'{"status": "ok"}' if ok else b'{"error": {"code": "unavailable", "message": "data set not loaded"}}'
            self.send_response(status if self.path == "/healthz" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
PY
    stub_pids+=($!)
    for _ in $(seq 50); do
        stub_port=$(head -n1 "$out" 2>/dev/null)
        [ -n "$stub_port" ] && return 0
        sleep 0.1
    done
    echo "FAIL healthcheck: stub '$mode' did not start: $(cat "$work/stub-$1.log")"
    exit 1
}

# expect NAME EXIT_CODE STDERR_PATTERN MAX_MS -- COMMAND...
expect() {
    local name=$1 want=$2 pattern=$3 max_ms=$4
    shift 5
    local started
    started=$(date +%s%N)
    "$@" 2>"$work/stderr"
    local got=$? took=$((($(date +%s%N) - started) / 1000000)) reason
    reason=$(cat "$work/stderr")
    if [ "$got" -ne "$want" ]; then
        fail "$name: exit $got, want $want (stderr: $reason)"
    elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$reason"; then
        fail "$name: stderr '$reason' does not match /$pattern/"
    elif [ "$(wc -l <<<"$reason")" -gt 1 ]; then
        fail "$name: reason spans more than one line: $reason"
    elif [ "$took" -gt "$max_ms" ]; then
        fail "$name: took ${took} ms, more than $max_ms ms"
    else
        pass "$name (exit $got in $took ms${reason:+, \"$reason\"})"
    fi
}

start_stub 200; healthy=$stub_port
start_stub 503; unhealthy=$stub_port
start_stub silent; silent=$stub_port
start_stub lingering; lingering=$stub_port
start_stub garbage; garbage=$stub_port
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Budgets in ms: answers and refusals are immediate (1 s leaves room for a loaded machine); the timeout is 3 s.
expect "200 is healthy" 0 "" 1000 -- "$binary" healthcheck --port "$healthy"
expect "503 is unhealthy with the reason" 1 "answered 503: .*data set not loaded" 1000 -- \
    "$binary" healthcheck --port "$unhealthy"
expect "closed port is unhealthy" 1 "cannot connect to 127.0.0.1:$closed: Connection refused" 1000 -- \
    "$binary" healthcheck --host 127.0.0.1 --port "$closed"
expect "silent server times out after 3 s" 1 "no answer .* within 3" 4500 -- \
    "$binary" healthcheck --port "$silent"
expect "server that keeps the connection open is read up to Content-Length" 0 "" 1000 -- \
    "$binary" healthcheck --port "$lingering"
expect "a non-HTTP answer is unhealthy, quoting its first line" 1 "did not answer HTTP: 'SSH-2.0-OpenSSH_9.2'$" 1000 -- \
    "$binary" healthcheck --port "$garbage"
expect "container env (MNISTD_HOST=0.0.0.0, MNISTD_PORT)" 0 "" 1000 -- \
    env MNISTD_HOST=0.0.0.0 MNISTD_PORT="$healthy" "$binary" healthcheck
expect "flags win over the environment" 1 "answered 503" 1000 -- \
    env MNISTD_PORT="$healthy" "$binary" healthcheck --port "$unhealthy"
expect "localhost resolves" 0 "" 1000 -- "$binary" healthcheck --host localhost --port "$healthy"
expect "bad port is unhealthy, not Docker's reserved 2" 1 "--port must be an integer" 1000 -- \
    "$binary" healthcheck --port 70000

if [ "$failures" -gt 0 ]; then
    echo "FAIL healthcheck: $failures check(s) failed"
    exit 1
fi
echo "PASS healthcheck: all checks"
