#!/usr/bin/env bash
# HTTP server throughput: wrk keep-alive GETs of a small JSON body against the HTTP target's demo server
# (Tests/HTTPTests/BenchmarkServer.swift), release build. Prints each run and the medians.
# Usage: bench/http.sh [runs=5] [seconds=10] [connections=64]   (WRK_THREADS=N: wrk threads, default 2;
# BENCH_PATH=/json/worker: the same body from a worker lane instead of the loop thread)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; seconds=${2:-10}; connections=${3:-64}
port=${MNISTD_HTTP_BENCH_PORT:-18181}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

swift build -c release --build-tests -Xswiftc -enable-testing >/dev/null
binary=$(ls -d .build/release/*PackageTests.xctest | head -1)
MNISTD_HTTP_BENCH_PORT=$port "$binary" --testing-library swift-testing --filter benchmarkServer >/tmp/mnistd-bench-server.log 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

rps=(); p99=()
for run in $(seq "$runs"); do
    out=$(wrk -t"${WRK_THREADS:-2}" -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port${BENCH_PATH:-/json}")
    r=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    l=$(awk '$1 == "99%" {print $2}' <<<"$out")
    echo "run $run: $r requests/s, p99 $l"
    rps+=("$r"); p99+=("$l")
done
# p99 values carry units (us/ms/s): normalise to milliseconds before taking the median.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median: $(printf '%s\n' "${rps[@]}" | median) requests/s, p99 $(printf '%s\n' "${p99[@]}" | to_ms | median) ms" \
     "($connections connections, $runs runs of ${seconds}s)"

# Health under idle load: open 500 idle keep-alive connections, then time one GET /healthz.
python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(500)]
time.sleep(0.5)
times = []
for _ in range(20):
    start = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while chunk := s.recv(4096): data += chunk
    times.append((time.perf_counter() - start) * 1000)
    assert data.startswith(b"HTTP/1.1 200"), data[:40]
    s.close()
times.sort()
print(f"healthz with 500 idle connections: median {times[10]:.2f} ms, max {times[-1]:.2f} ms")
for s in idle: s.close()
PY
