# Finds every third-party dependency. Each one comes from a Debian package; when one is missing,
# configure stops with the package name so `installer/easel.sh deps` (or apt-get) can fix it.

set(EASEL_MISSING_PACKAGES "")

macro(easel_require found_var package)
    if(NOT ${found_var})
        list(APPEND EASEL_MISSING_PACKAGES ${package})
    endif()
endmacro()

# --- libtorch: Debian's libtorch-dev (CPU), or a CUDA build given with -DTorch_DIR=... --------
find_package(Torch QUIET)
easel_require(Torch_FOUND libtorch-dev)

# --- OpenCV: core + imgproc in the engine; imgcodecs only in the image-file I/O target ----------
if(EASEL_HEADLESS_BENCH)
    find_package(OpenCV QUIET COMPONENTS core imgproc)
else()
    find_package(OpenCV QUIET COMPONENTS core imgproc imgcodecs)
endif()
easel_require(OpenCV_FOUND libopencv-dev)

find_package(spdlog QUIET)
easel_require(spdlog_FOUND libspdlog-dev)
find_package(nlohmann_json 3 QUIET)
easel_require(nlohmann_json_FOUND nlohmann-json3-dev)
find_package(SQLite3 QUIET)
easel_require(SQLite3_FOUND libsqlite3-dev)
find_package(OpenSSL QUIET COMPONENTS Crypto)
easel_require(OpenSSL_FOUND libssl-dev)
find_package(ZLIB QUIET)
easel_require(ZLIB_FOUND zlib1g-dev)
find_package(PkgConfig QUIET)
easel_require(PkgConfig_FOUND pkgconf)
if(PkgConfig_FOUND)
    pkg_check_modules(XXHASH QUIET IMPORTED_TARGET libxxhash)
    easel_require(XXHASH_FOUND libxxhash-dev)
    # Parsers of untrusted files come from well-kept libraries (issue 22): sidecar YAML, the zip
    # container of .ckpt files, PNG pixels and text chunks.
    pkg_check_modules(YAMLCPP QUIET IMPORTED_TARGET yaml-cpp)
    easel_require(YAMLCPP_FOUND libyaml-cpp-dev)
    pkg_check_modules(MINIZIP QUIET IMPORTED_TARGET minizip)
    easel_require(MINIZIP_FOUND libminizip-dev)
    pkg_check_modules(LIBPNG QUIET IMPORTED_TARGET libpng)
    easel_require(LIBPNG_FOUND libpng-dev)
    # EXIF (A1111's parameters in JPEG/WebP) and the WebP container.
    pkg_check_modules(LIBEXIF QUIET IMPORTED_TARGET libexif)
    easel_require(LIBEXIF_FOUND libexif-dev)
    pkg_check_modules(WEBPMUX QUIET IMPORTED_TARGET libwebpmux)
    easel_require(WEBPMUX_FOUND libwebp-dev)
    # easel-server's HTTP(S) (compiled library with OpenSSL, zlib, brotli).
    pkg_check_modules(HTTPLIB QUIET IMPORTED_TARGET GLOBAL cpp-httplib)
    easel_require(HTTPLIB_FOUND libcpp-httplib-dev)
    # easel-server's fleet roles (API instances and GPU workers meeting in Redis Streams).
    pkg_check_modules(HIREDIS QUIET IMPORTED_TARGET GLOBAL hiredis)
    easel_require(HIREDIS_FOUND libhiredis-dev)
    find_program(EASEL_REDIS_SERVER redis-server)
endif()

# OpenBLAS is a run-time choice of Debian's BLAS alternatives, not a link-time one: libtorch links
# libblas.so.3, which the alternatives system points at OpenBLAS once libopenblas0-pthread is in.
find_file(EASEL_OPENBLAS_LIB NAMES libopenblas.so.0
          PATHS /usr/lib/x86_64-linux-gnu/openblas-pthread /usr/lib/aarch64-linux-gnu/openblas-pthread
                /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu)
if(NOT EASEL_OPENBLAS_LIB AND NOT EASEL_HEADLESS_BENCH)
    list(APPEND EASEL_MISSING_PACKAGES libopenblas0-pthread)
endif()

if(EASEL_BUILD_GUI OR EASEL_BUILD_TESTS)
    find_package(Qt6 6.4 QUIET COMPONENTS Core Gui Widgets Concurrent Sql Test LinguistTools)
    easel_require(Qt6Core_FOUND qt6-base-dev)
    easel_require(Qt6Widgets_FOUND qt6-base-dev)
    easel_require(Qt6Test_FOUND qt6-base-dev)
    easel_require(Qt6LinguistTools_FOUND "qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools")
endif()

if(EASEL_MISSING_PACKAGES)
    list(REMOVE_DUPLICATES EASEL_MISSING_PACKAGES)
    string(REPLACE ";" " " _pkgs "${EASEL_MISSING_PACKAGES}")
    message(FATAL_ERROR
        "Easel: missing Debian packages: ${_pkgs}\n"
        "Install them with `installer/easel.sh deps` or `sudo apt-get install ${_pkgs}`.")
endif()

# Torch's config adds its flags (ABI define) to CMAKE_CXX_FLAGS; keep them, but the engine links
# torch PRIVATE so nothing outside the engine sees torch headers.
message(STATUS "Easel: libtorch ${Torch_VERSION} (${TORCH_LIBRARIES})")
message(STATUS "Easel: OpenCV ${OpenCV_VERSION}, spdlog ${spdlog_VERSION}")
