#!/usr/bin/env bash
# Property-based API check: starts the release `mnistd serve` with a token on a free port with a throwaway state
# dir and the real MNIST, runs schemathesis against its /openapi.json with every check (responses against their
# schemas, schema-valid requests accepted and invalid ones rejected, auth required where the document says so,
# ...; settings in scripts/schemathesis.toml), and fails on any failure, on any 5xx, on fewer than MIN_REQUESTS
# generated requests, or when the server does not exit 0 on SIGTERM.
# Environment: MNISTD_BIN (a built binary; default: swift build -c release), MNISTD_MNIST_DIR (default
# ../shared/mnist beside the package), SCHEMATHESIS_EXAMPLES (per operation, default 50), SCHEMATHESIS_SEED.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
min_requests=1000
examples=${SCHEMATHESIS_EXAMPLES:-50}
seed=${SCHEMATHESIS_SEED:-20240501}

if ! command -v schemathesis >/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check schemathesis || { echo "schemathesis: pip install failed"; exit 1; }
fi

bin=${MNISTD_BIN:-}
if [ -z "$bin" ]; then
    swift build -c release --product mnistd >&2 || exit 1
    bin="$(swift build -c release --show-bin-path)/mnistd"
fi
data=${MNISTD_MNIST_DIR:-$root/../shared/mnist}
work=$(mktemp -d)
pid=
# shellcheck disable=SC2329  # run by the EXIT trap below
cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "${SCHEMATHESIS_KEEP:-}" ] && cp "$work/events.ndjson" "$SCHEMATHESIS_KEEP"; rm -rf "$work"
}
trap cleanup EXIT

# A small queue: the jobs schemathesis submits beyond it get 429, which is a documented answer.
# With a token, so that the auth checks mean something: POST and DELETE without it must answer 401.
token="schemathesis-$$-$RANDOM"
"$bin" serve --host 127.0.0.1 --port 0 --data-dir "$data" --state-dir "$work/state" --queue-capacity 4 --token "$token" \
    >"$work/stdout" 2>"$work/stderr" &
pid=$!
url=
for _ in $(seq 600); do
    url=$(sed -n 's/^listening on \(http:\/\/[^ ]*\)$/\1/p' "$work/stdout" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "schemathesis.sh: mnistd printed no 'listening on' line; stderr:"; cat "$work/stderr"
    exit 1
fi
for _ in $(seq 600); do
    [ "$(python3 -c 'import sys, urllib.request
try: print(urllib.request.urlopen(sys.argv[1] + "/healthz", timeout=2).status)
except Exception: print(0)' "$url")" = 200 ] && break
    sleep 0.2
done
echo "schemathesis.sh: testing $url ($examples examples per operation, seed $seed)"

# Run from the temp dir: schemathesis keeps a crash cache in ./.schemathesis.
(cd "$work" && schemathesis --config-file "$root/scripts/schemathesis.toml" run "$url/openapi.json" \
    --checks all -H "Authorization: Bearer $token" \
    --max-examples "$examples" --seed "$seed" --generation-database none \
    --request-timeout 30 --workers 1 --no-color \
    --report ndjson --report-ndjson-path "$work/events.ndjson")
status=$?

# Every response schemathesis received is recorded with its status in the NDJSON report.
requests=$(grep -o '"status_code": *[0-9]*' "$work/events.ndjson" | wc -l)
fives=$(grep -o '"status_code": *5[0-9][0-9]' "$work/events.ndjson" | wc -l)
statuses=$(grep -o '"status_code": *[0-9]*' "$work/events.ndjson" | grep -o '[0-9]*$' | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')
echo "schemathesis.sh: $requests requests (status×count: $statuses), schemathesis exit $status"

kill -TERM "$pid"
code=
for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; code=$?; break; }
    sleep 0.1
done
pid_left=$pid
pid=
failed=0
if [ "$status" -ne 0 ]; then echo "FAIL schemathesis found failures (exit $status)"; failed=1; fi
if [ "${requests:-0}" -lt "$min_requests" ]; then echo "FAIL only ${requests:-0} requests (< $min_requests)"; failed=1; fi
if [ "${fives:-0}" -ne 0 ]; then echo "FAIL $fives responses with a 5xx status"; failed=1; fi
if [ "$code" != 0 ]; then
    echo "FAIL mnistd did not exit 0 within 10 s of SIGTERM (exit '${code}')"; failed=1
    kill -KILL "$pid_left" 2>/dev/null
fi
if grep -qi 'fatal error' "$work/stderr"; then echo "FAIL mnistd logged: $(grep -i -m1 'fatal error' "$work/stderr")"; failed=1; fi
[ "$failed" -eq 0 ] && echo "PASS schemathesis: $requests requests, every check passed, no 5xx, clean SIGTERM exit"
exit "$failed"
