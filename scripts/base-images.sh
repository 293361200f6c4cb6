#!/usr/bin/env bash
# Makes the Dockerfile's two base images in mnistd's own podman store (scripts/podman-env.sh), without a
# registry, under the names the Dockerfile uses (then `podman build --pull=never` finds them):
#   docker.io/library/debian:bookworm-slim   mmdebstrap minbase from this machine's Debian mirror, slimmed the
#                                            way the official slim image is (no docs, man pages, locales, apt
#                                            caches), so the runtime stage and the image size are as they would be;
#   docker.io/library/swift:6.3.1-bookworm   the same rootfs plus the host's Swift toolchain (SWIFT_TOOLCHAIN,
#                                            default /opt/swift) and the libraries it and a static-stdlib link need.
# An image already in the store is kept; MNISTD_REBUILD_BASES=1 makes both again.
# Environment: MNISTD_IMAGE_STORE (see podman-env.sh), MNISTD_DEBIAN_SOURCES (an apt sources file; default: the
# host's Debian entries under /etc/apt), SWIFT_TOOLCHAIN.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/podman-env.sh
source scripts/podman-env.sh

die() { echo "base-images: $*" >&2; exit 1; }
reason=$(install_podman_tools) || die "$reason"

slim=docker.io/library/debian:bookworm-slim
swift=docker.io/library/swift:6.3.1-bookworm
toolchain=${SWIFT_TOOLCHAIN:-/opt/swift}
[ -x "$toolchain/usr/bin/swift" ] || die "no Swift toolchain at $toolchain (set SWIFT_TOOLCHAIN to its root, the folder holding usr/bin/swift)"
version=$("$toolchain/usr/bin/swift" --version 2>&1 | head -n 1)
grep -q 'Swift version 6\.3\.1' <<<"$version" || die "$toolchain is '$version', the Dockerfile's build stage is swift:6.3.1"

# The mirror: the host's own Debian apt sources (deb.debian.org here), not the third-party ones beside them.
sources=()
if [ -n "${MNISTD_DEBIAN_SOURCES:-}" ]; then
    sources=("$MNISTD_DEBIAN_SOURCES")
else
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] && grep -qE '^[^#]*/debian(-security)?/?([[:space:]]|$)' "$file" && sources+=("$file")
    done
fi
[ ${#sources[@]} -gt 0 ] || die "no Debian mirror in /etc/apt/sources.list*; set MNISTD_DEBIAN_SOURCES to an apt sources file"

# What the official slim image leaves out: docs, man pages, locales, and (its apt config) package caches and the
# downloaded .debs, which would otherwise stay in the Dockerfile's apt-get layers (6 MB for libcurl4). Kept in the
# rootfs, so later apt-get installs leave them out too. The merged-/usr hook sets the layout up with usr-is-merged;
# otherwise apt picks usrmerge, which pulls in 47 MB of perl.
# shellcheck disable=SC2016  # "$1" in the hooks is mmdebstrap's: the rootfs being made
slimming=(
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
    --dpkgopt='path-exclude=/usr/share/groff/*' --dpkgopt='path-exclude=/usr/share/lintian/*'
    --dpkgopt='path-exclude=/usr/share/locale/*'
    --aptopt='Acquire::Languages "none"' --aptopt='Dir::Cache::pkgcache ""' --aptopt='Dir::Cache::srcpkgcache ""'
    --customize-hook='echo "APT::Keep-Downloaded-Packages \"false\";" >"$1/etc/apt/apt.conf.d/90keep-no-debs"'
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old "$1"/var/log/*'
)
# The toolchain's own libraries (ldd of swift-frontend, swift-package, clang, lld: ncurses, sqlite, libxml2,
# libcurl), the C/C++ runtime a link needs, binutils' linkers, and the build stage's zlib and libcurl headers
# (the official swift image ships both too).
swift_packages=libncurses6,libsqlite3-0,libxml2,libc6-dev,libstdc++-12-dev,libgcc-12-dev,binutils,zlib1g-dev,libcurl4-openssl-dev

# make NAME [mmdebstrap options...]: a bookworm rootfs streamed into `podman import` as NAME.
make() {
    local name=$1 started=$SECONDS
    shift
    if podman image exists "$name" && [ -z "${MNISTD_REBUILD_BASES:-}" ]; then
        echo "base-images: $name is in $image_store already"
        return
    fi
    echo "base-images: making $name from ${sources[*]}"
    if ! mmdebstrap --mode=root --format=tar --quiet "${slimming[@]}" "$@" bookworm - "${sources[@]}" \
        2>"$image_store/mmdebstrap.log" \
        | podman import --quiet "${changes[@]}" - "$name" >/dev/null; then
        podman rmi --force "$name" >/dev/null 2>&1  # a partial tar still imports
        die "making $name failed: $(tail -n 3 "$image_store/mmdebstrap.log" | tr '\n' ' ')"
    fi
    echo "base-images: $name made in $((SECONDS - started)) s, $(podman image inspect --format '{{.Size}}' "$name") bytes"
}

# The runtime base: the Essential packages, apt and passwd (the Dockerfile's run stage uses apt-get and useradd),
# not the rest of Priority: required (tzdata, e2fsprogs, mount, ...: 5 MB the binary never uses; it keeps time in
# UTC). What the binary links (ldd: libc, libm, libstdc++, libgcc_s, zlib; libcurl comes from the Dockerfile) is
# in there already. The swift image is the minbase variant, as the official one is a full Debian.
changes=(--change 'CMD ["bash"]')
make "$slim" --variant=essential --include=apt,passwd
changes=(--change "ENV PATH=$toolchain/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" --change 'CMD ["bash"]')
make "$swift" --variant=minbase --include="$swift_packages" --customize-hook="mkdir -p \"\$1$(dirname "$toolchain")\"" \
    --customize-hook="copy-in $toolchain $(dirname "$toolchain")"
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'debian:bookworm-slim|swift:6.3.1-bookworm'
