#!/usr/bin/env bash
# Easel's one entry point for people and CI.
#   installer/easel.sh run     install missing Debian packages, build Release, launch the studio
#   installer/easel.sh test    install missing Debian packages, build, run the whole test suite
#   installer/easel.sh deps    only install missing packages
#   installer/easel.sh build   only build (Release, into ./build)
# Environment: EASEL_BUILD_DIR (default build), EASEL_JOBS (default: cores), EASEL_CMAKE_ARGS (extra),
#   EASEL_SKIP_HEADLESS=1 (test: skip the headless variant, built in build-headless/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${EASEL_BUILD_DIR:-$ROOT/build}"
JOBS="${EASEL_JOBS:-$(nproc)}"

# Everything Easel needs, as Debian 12 / Ubuntu 22.04+ package names.
PACKAGES=(
    build-essential cmake ninja-build ccache pkgconf git
    libtorch-dev libopenblas0-pthread
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
    libopencv-dev libspdlog-dev libsqlite3-dev nlohmann-json3-dev
    libssl-dev libxxhash-dev zlib1g-dev libyaml-cpp-dev libminizip-dev libpng-dev
    libexif-dev libwebp-dev libcpp-httplib-dev prometheus libhiredis-dev redis-server
)

log() { printf '\033[1m[easel]\033[0m %s\n' "$*" >&2; }

install_deps() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        log "all ${#PACKAGES[@]} Debian packages are installed"
        return
    fi
    log "installing: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { log "need root or sudo to install: ${missing[*]}"; exit 1; }
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
    local type="${1:-Release}"
    local dir="${2:-$BUILD_DIR}"
    shift 2 || shift $#
    local generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    # ccache: relative paths (BASEDIR) so every clone of the tree shares hits; sloppiness so the
    # precompiled torch header can be cached.
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}"
    export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        cmake -S "$ROOT" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE="$type" ${EASEL_CMAKE_ARGS:-} "$@"
    fi
    cmake --build "$dir" -j "$JOBS"
}

run_tests() {
    local dir="$1"
    shift
    export QT_QPA_PLATFORM=offscreen
    # Tests must not read or write the user's real settings, catalog or logs.
    export EASEL_DATA_DIR="$dir/test-data-home"
    export XDG_CONFIG_HOME="$dir/test-config-home"
    mkdir -p "$EASEL_DATA_DIR" "$XDG_CONFIG_HOME"
    ctest --test-dir "$dir" --output-on-failure -j "$JOBS" "$@"
}

# The variant GPU machines build (no Qt GUI, PNG-only image files): built and tested here so it
# cannot rot. Its objects are the full build's (same flags), so ccache makes it mostly linking.
test_headless() {
    [ "${EASEL_SKIP_HEADLESS:-0}" = 1 ] && return 0
    local dir="${EASEL_HEADLESS_BUILD_DIR:-$ROOT/build-headless}"
    build Release "$dir" -DEASEL_HEADLESS_BENCH=ON
    run_tests "$dir" -L "headless"
}

case "${1:-}" in
    deps)  install_deps ;;
    build) install_deps; build Release "$BUILD_DIR" ;;
    run)   install_deps; build Release "$BUILD_DIR"; shift; exec "$BUILD_DIR/bin/easel" "$@" ;;
    test)  install_deps; build Release "$BUILD_DIR"; shift; run_tests "$BUILD_DIR" "$@"; test_headless ;;
    *) echo "usage: installer/easel.sh run|test|deps|build" >&2; exit 2 ;;
esac
