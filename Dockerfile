# syntax=docker/dockerfile:1
# mnistd's image: build with the official Swift image (static Swift stdlib), run on Debian slim as a non-root user.
#   docker build -t mnistd .                       (kernels for the build host: AVX-512 if it has it, else AVX2)
#   docker build --build-arg MNISTD_TARGET_CPU=haswell -t mnistd .   (any x86_64 CPU with AVX2 + FMA)
#   docker build --build-arg MNISTD_TARGET_CPU=generic -t mnistd .   (portable: any x86_64 CPU)

# ---- build ----------------------------------------------------------------------------------------------------
# Same Swift and Debian release as the development machines (Swift 6.3.1, Debian 12 bookworm).
FROM swift:6.3.1-bookworm AS build

# The IDX loader links the system zlib through the CZlib target; `fetch-data` downloads over HTTPS with
# Foundation's URLSession, which links libcurl. Both are left unpinned: Debian replaces a package on the mirror
# with each security update, so a pin stops the image from building after the next one (zlib1g-dev pinned to
# 1:1.2.13.dfsg-1 did: it needs that exact zlib1g, and the mirror has 1:1.2.13.dfsg-1+deb12u1).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends zlib1g-dev libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
# Tests/ is copied because Package.swift declares the test targets; the build does not compile them.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY scripts/build-release.sh ./scripts/

# Empty = the package default (x86_64: skylake-avx512 when the build host has AVX-512, else haswell; arm64: the
# compiler's default); `generic` builds a binary for any CPU of the architecture. A binary started on a CPU
# without the extensions it was built for says how to rebuild instead of crashing.
ARG MNISTD_TARGET_CPU=""
# scripts/build-release.sh is the one build recipe. It stages the stripped binary and the SwiftPM resource
# bundles (*.resources, read through Bundle.module) in /staging.
RUN --mount=type=cache,target=/build/.build-cache \
    MNISTD_SCRATCH_PATH="/build/.build-cache/${MNISTD_TARGET_CPU:-default}" scripts/build-release.sh /staging

# ---- run ------------------------------------------------------------------------------------------------------
FROM debian:bookworm-slim

# A fixed numeric id, so `USER` needs no passwd lookup and bind mounts can be chowned to it (10001:10001).
RUN groupadd --system --gid 10001 mnistd \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin mnistd \
    && mkdir -p /data /state \
    && chown mnistd:mnistd /data /state

# With the static Swift stdlib the binary needs libc, libm, libstdc++, libgcc_s and zlib, all in the slim base
# already, plus libcurl (URLSession, for the first-run download of MNIST) and the CA certificates that download
# verifies the mirrors' TLS with. Unpinned for the same reason as in the build stage.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4 ca-certificates \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /staging/ /app/
# This run fails the image build if a shared library the binary needs is missing.
RUN ["/app/mnistd", "help"]

# No backtracer in the image (the binary is stripped, so it could only print addresses): a crash still logs its
# "Fatal error" line, and the runtime does not look for the missing helper.
ENV MNISTD_HOST=0.0.0.0 \
    MNISTD_PORT=8080 \
    MNISTD_DATA_DIR=/data \
    MNISTD_STATE_DIR=/state \
    SWIFT_BACKTRACE=enable=no

# /data: the MNIST IDX files (fetched on first start when empty). /state: jobs, histories, models; keep it.
VOLUME ["/data", "/state"]
USER 10001:10001
EXPOSE 8080

# The binary probes its own /healthz (200 once the data set is loaded and the workers run); no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["/app/mnistd", "healthcheck"]

# Exec form: mnistd is PID 1 and gets SIGTERM from `docker stop` itself; it checkpoints running jobs and exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/mnistd"]
CMD ["serve"]
