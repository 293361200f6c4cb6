#!/usr/bin/env bash
# No heap allocation per training step: heaptrack counts every allocation call of `mnistd bench` trained for a
# short and a four times longer time. Set-up (threads, buffers, first steps) allocates the same in both; any
# allocation per step makes the longer run count thousands more. Run for one thread, two threads, and two
# jobs sharing the pool, on the small and the wide network and two CNNs (dropout included; one with the lenet5
# preset's schedule, AdamW and augmentation), on random bytes (the
# dense first layer) and on MNIST (the sparse one; from MNISTD_MNIST_DIR, else ../shared/mnist).
#   scripts/alloc-check.sh [path to mnistd]     (default: the release build; installs heaptrack if missing)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
bin=${1:-${MNISTD_BIN:-$(swift build -c release --show-bin-path)/mnistd}}
[ -x "$bin" ] || { echo "alloc-check: no binary at $bin (swift build -c release)"; exit 1; }
if ! command -v heaptrack >/dev/null || ! command -v heaptrack_print >/dev/null; then
    { apt-get update -qq && apt-get install -y -qq heaptrack; } >/dev/null || { echo "alloc-check: cannot install heaptrack"; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Allocation calls of one bench run, and its steps (samples / batch).
count() {
    local out=$work/run-$RANDOM line calls rate seconds batch
    line=$(heaptrack -o "$out" "$bin" bench "$@" 2>/dev/null | grep '^samples_per_second=')
    calls=$(heaptrack_print "$out".zst 2>/dev/null | awk -F'[: (]+' '/^calls to allocation functions:/ {print $5}')
    rate=$(sed -E 's/^samples_per_second=([0-9.]+).*/\1/' <<<"$line")
    seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$line")
    batch=$(sed -E 's/.* batch=([0-9]+).*/\1/' <<<"$line")
    echo "$calls $(awk -v r="$rate" -v s="$seconds" -v b="$batch" 'BEGIN {printf "%d", r * s / b}')"
}

passed=0
failed=0
check() {
    local label=$1; shift
    local short short_steps long long_steps
    read -r short short_steps <<<"$(count "$@" --seconds 0.5)"
    read -r long long_steps <<<"$(count "$@" --seconds 2)"
    if [ -z "$short" ] || [ -z "$long" ]; then
        echo "FAIL $label: heaptrack gave no count"; failed=$((failed + 1)); return
    fi
    # Thread start-up and lazily grown pool regions may add a few allocations; per-step allocation adds at least
    # one per extra step (thousands here).
    local extra=$((long - short)) steps=$((long_steps - short_steps))
    if [ "$extra" -le 64 ]; then
        echo "PASS $label: $short vs $long allocation calls for $short_steps vs $long_steps steps"; passed=$((passed + 1))
    else
        echo "FAIL $label: $extra more allocation calls for $steps more steps ($short vs $long)"; failed=$((failed + 1))
    fi
}

check "784-100x4-10, 1 thread" --data random --threads 1
check "784-100x4-10, 2 threads" --data random --threads 2
check "784-512-512-10, 2 threads" --data random --arch 784-512-512-10 --threads 2
check "784-100x4-10, 2 jobs on 2 threads" --data random --threads 2 --jobs 2
# CNN steps are slow: small batches make hundreds of steps, so one allocation per step would show.
check "LeNet-5 (conv, maxpool, dense), batch 16, 1 thread" --data random --preset lenet5 --batch 16 --threads 1
check "LeNet-5, batch 16, 2 threads" --data random --preset lenet5 --batch 16 --threads 2
check "PyTorch's example CNN (conv, maxpool, dropout, dense), batch 4, 2 threads" --data random --preset pytorch_example \
    --batch 4 --threads 2
# The lenet5 preset's own recipe: AdamW, the one-cycle schedule and augmentation, on a validation split.
recipe=$work/recipe.json
echo '{"preset": "lenet5", "training": {"batch_size": 16, "validation_split": 0.1}}' >"$recipe"
check "LeNet-5 preset recipe (AdamW, one-cycle, augment), batch 16, 1 thread" --data random --config "$recipe" --threads 1
check "LeNet-5 preset recipe, batch 16, 2 threads" --data random --config "$recipe" --threads 2
mnist=${MNISTD_MNIST_DIR:-../shared/mnist}
if [ -e "$mnist/train-images-idx3-ubyte.gz" ] || [ -e "$mnist/train-images-idx3-ubyte" ]; then
    check "MNIST, sparse first layer, 784-100x4-10, 1 thread" --data mnist --data-dir "$mnist" --threads 1
    check "MNIST, sparse first layer, 784-100x4-10, 2 threads" --data mnist --data-dir "$mnist" --threads 2
    check "MNIST, sparse first layer, 784-512-512-10, 1 thread" --data mnist --data-dir "$mnist" --arch 784-512-512-10 --threads 1
    check "MNIST, sparse first layer, 784-512-512-10, 2 threads" --data mnist --data-dir "$mnist" --arch 784-512-512-10 --threads 2
    check "MNIST, sparse first layer, 2 jobs on 2 threads" --data mnist --data-dir "$mnist" --threads 2 --jobs 2
else
    echo "FAIL no MNIST in $mnist for the sparse first layer's checks"; failed=$((failed + 1))
fi
echo "alloc-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
