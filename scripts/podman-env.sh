# shellcheck shell=bash
# Sourced by scripts/base-images.sh and scripts/image-check.sh: a podman store of mnistd's own and the settings
# this kind of machine needs, without touching /etc/containers or the default store.
#   MNISTD_IMAGE_STORE  the store's folder (default /var/tmp/mnistd-image-store); reused between runs, so the
#                       base images and the build cache survive; delete it to start from nothing.
# crun fails here on `setrlimit RLIMIT_NOFILE: Operation not permitted` (then on hybrid cgroups); runc with
# explicit ulimits works. Both go in a CONTAINERS_CONF file of the store's own.
image_store=${MNISTD_IMAGE_STORE:-/var/tmp/mnistd-image-store}
mkdir -p "$image_store/conf" "$image_store/graph" "$image_store/run"
cat >"$image_store/conf/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
CONF
cat >"$image_store/conf/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$image_store/graph"
runroot = "$image_store/run"
CONF
export CONTAINERS_CONF="$image_store/conf/containers.conf"
export CONTAINERS_STORAGE_CONF="$image_store/conf/storage.conf"

# The tools, installed when missing (Debian 12: podman 4.3.1, buildah 1.28.2); one line naming what failed.
podman_tools_missing() {
    local tool missing=()
    for tool in podman runc mmdebstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    [ ${#missing[@]} -eq 0 ] && return 1
    echo "${missing[*]}"
}
install_podman_tools() {
    podman_tools_missing >/dev/null || return 0
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc mmdebstrap; } \
        >"$image_store/apt.log" 2>&1; then
        echo "cannot install podman, runc and mmdebstrap: $(tail -n 1 "$image_store/apt.log")"
        return 1
    fi
}
