#!/usr/bin/env bash
# Builds mnistd as the container image ships it and stages the runtime layout in one folder:
#   build-release.sh STAGING_DIR   ->  STAGING_DIR/mnistd (stripped), STAGING_DIR/*.resources
# The Dockerfile's build stage runs this file; scripts/image-check.sh builds the Dockerfile for real.
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

# Stripped: the symbol table and debug info are a quarter of the binary (82 -> 61 MB) and the image has a size
# budget. The Swift runtime's type metadata live in their own sections, which strip keeps. The toolchain's
# backtracer (10 MB) is left out with them: on a stripped binary it could only print addresses.
strip "$staging/mnistd"

echo "build-release: bin path $bin_path"
echo "build-release: staged in $staging:"
ls -l "$staging"
