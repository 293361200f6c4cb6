#!/usr/bin/env bash
# Builds mnistd as the container image ships it and stages the runtime layout in one folder:
#   build-release.sh STAGING_DIR   ->  STAGING_DIR/mnistd, STAGING_DIR/*.resources, STAGING_DIR/swift-backtrace
# The Dockerfile's build stage and scripts/container-check.sh both call this file, so they cannot drift apart.
set -euo pipefail

staging=${1:?usage: build-release.sh STAGING_DIR}
cd "$(dirname "$0")/.."

# Package.swift reads MNISTD_TARGET_CPU (haswell on x86_64 by default, `generic` for a portable binary). An
# empty value would read as "no flags", so an unset or empty build ARG must reach it as unset (= the default).
if [ -z "${MNISTD_TARGET_CPU:-}" ]; then
    unset MNISTD_TARGET_CPU
fi

# A scratch path of its own: the static-stdlib build must not thrash .build, which `swift test` uses. One per CPU
# target, so switching MNISTD_TARGET_CPU (SwiftPM does rebuild on the change) keeps both builds warm.
scratch=${MNISTD_SCRATCH_PATH:-.build-container-${MNISTD_TARGET_CPU:-default}}
build=(swift build -c release --product mnistd --static-swift-stdlib --scratch-path "$scratch")

echo "build-release: ${build[*]} (MNISTD_TARGET_CPU=${MNISTD_TARGET_CPU:-<package default>})"
"${build[@]}"
bin_path=$("${build[@]}" --show-bin-path)

mkdir -p "$staging"
cp "$bin_path/mnistd" "$staging/mnistd"
# SwiftPM resource bundles (the page, Bundle.module) are folders beside the binary; copy every one.
find -L "$bin_path" -maxdepth 1 -name '*.resources' -type d -exec cp -R {} "$staging/" \;

# The toolchain's static backtracer turns a crash into a readable stack trace in `docker logs`.
swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
backtracer="$swift_bin/../libexec/swift/linux/swift-backtrace-static"
if [ -x "$backtracer" ]; then
    cp "$backtracer" "$staging/swift-backtrace"
fi

echo "build-release: bin path $bin_path"
echo "build-release: staged in $staging:"
ls -l "$staging"
