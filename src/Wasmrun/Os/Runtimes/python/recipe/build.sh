#!/usr/bin/env bash
# OS mode's Python: builds CPython 3.11.2 (Debian bookworm's python3.11 source) as a WASI preview-1 command into OUT.
# usage: build.sh OUT   (OUT gets python.wasm, lib/python3.11/ and VERSION; the kernel mounts OUT at /usr/local)
set -euo pipefail

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

(($# == 1)) || die "usage: $0 OUT"
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"
RECIPE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The upstream tarball inside Debian's source package; the suite is pinned because bookworm-security listed a .dsc
# its mirror did not serve, and the hash pins the exact bytes whatever Debian revision carries them.
SOURCE_PACKAGE=python3.11/bookworm
TARBALL=python3.11_3.11.2.orig.tar.gz
TARBALL_SHA256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
# Downloads are kept beside the driver's runtime cache so a recipe change does not fetch 26 MB again.
DOWNLOADS="${WASMRUN_BUILD_CACHE:-$HOME/.cache/wasmrun-build}/downloads"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wasmrun-python.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Debian's python3.11 (3.11.2, the version of the sources), named by path: another 3.11 may come first on PATH.
BUILD_PYTHON=/usr/bin/python3.11
for tool in clang-14 clang-cpp-14 wasm-ld-14 llvm-ar-14 llvm-ranlib-14 wasm-strip "$BUILD_PYTHON" apt-get make; do
  command -v "$tool" >/dev/null || die "$tool not found: run ./build.sh setup (apt: clang-14 lld-14 llvm-14 wasi-libc wabt python3.11 make)"
done
[[ -d /usr/include/wasm32-wasi && -d /usr/lib/wasm32-wasi ]] || die "wasi-libc not found: apt install wasi-libc libclang-rt-14-dev-wasm32"
# The build python runs the freezer and compiles the stdlib's .pyc: the version of the sources keeps both exact.
[[ "$("$BUILD_PYTHON" -c 'import sys; print(sys.version.split()[0])')" == 3.11.2 ]] || die "$BUILD_PYTHON must be 3.11.2 (Debian bookworm's python3.11)"

# Debian's source package through a private apt list (the system's sources have no deb-src), on the mirror and key
# of the system's own bookworm entry.
fetch_source() {
  local stanza mirror key
  stanza="$(awk -v RS= '/(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|$|\n)/ { print; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)"
  mirror="$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' <<<"$stanza")"
  key="$(sed -n 's/^Signed-By:[[:space:]]*\([^[:space:]]*\).*/\1/p' <<<"$stanza")"
  [[ -n "$mirror" ]] || die "no bookworm entry in /etc/apt/sources.list.d/debian.sources to take the Debian mirror from"
  local apt="$WORK/apt"
  mkdir -p "$apt/lists/partial" "$DOWNLOADS"
  echo "deb-src ${key:+[signed-by=$key] }$mirror bookworm main" >"$apt/sources.list"
  # apt's download user (_apt) cannot enter a private mktemp directory: download as whoever runs this
  local options=(-o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$apt/lists"
    -o Dir::Cache::pkgcache="$apt/pkgcache.bin" -o Dir::Cache::srcpkgcache="$apt/srcpkgcache.bin" -o APT::Sandbox::User="$(id -un)")
  apt-get "${options[@]}" update -qq || die "apt-get update of a private deb-src list for $mirror failed"
  (cd "$apt" && apt-get "${options[@]}" source --download-only -qq "$SOURCE_PACKAGE") || die "apt-get source $SOURCE_PACKAGE failed"
  mv "$apt/$TARBALL" "$DOWNLOADS/$TARBALL"
}
if [[ ! -f "$DOWNLOADS/$TARBALL" ]] || ! sha256sum --status -c <<<"$TARBALL_SHA256  $DOWNLOADS/$TARBALL"; then
  fetch_source
fi
sha256sum --status -c <<<"$TARBALL_SHA256  $DOWNLOADS/$TARBALL" || die "$TARBALL does not have the pinned SHA-256 $TARBALL_SHA256"

tar -xzf "$DOWNLOADS/$TARBALL" -C "$WORK"
SRC="$WORK/Python-3.11.2"
patch -d "$SRC" -p1 --quiet <"$RECIPE/wasi-pwd-chdir.patch" || die "wasi-pwd-chdir.patch does not apply"

# Debian's clang searches the host's /usr/include after the WASI headers, so a header wasi-libc lacks silently comes
# from glibc; a sysroot that holds only the WASI directories makes that an error instead.
SYSROOT="$WORK/sysroot"
mkdir -p "$SYSROOT/include" "$SYSROOT/lib"
ln -s /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"

mkdir "$WORK/build"
cd "$WORK/build"
export CC="clang-14 --target=wasm32-wasi --sysroot=$SYSROOT"
export CPP="clang-cpp-14 --target=wasm32-wasi --sysroot=$SYSROOT"
export CXX="clang++-14 --target=wasm32-wasi --sysroot=$SYSROOT"
export AR=llvm-ar-14 RANLIB=llvm-ranlib-14 LDSHARED=wasm-ld-14
# no host library may leak in through pkg-config
export PKG_CONFIG_PATH="" PKG_CONFIG_LIBDIR="$SYSROOT/lib/pkgconfig"
# CPython's own answers for WASI (no fork, no dlopen, ...); it adds the wasi-libc emulation libraries and
# -z stack-size=524288 --stack-first --initial-memory=10485760 itself.
export CONFIG_SITE="$SRC/Tools/wasm/config.site-wasm32-wasi"
# clock_nanosleep stays on: time.sleep uses it with TIMER_ABSTIME, which Wasmrun's poll_oneoff implements (node's does not).
"$SRC/configure" -C --host=wasm32-unknown-wasi --build="$(dpkg-architecture -qDEB_BUILD_GNU_TYPE)" \
  --with-build-python="$BUILD_PYTHON" --prefix=/usr/local \
  --with-ensurepip=no --disable-ipv6 --disable-test-modules >configure.log 2>&1 || { tail -30 configure.log >&2; die "configure failed"; }
make -j"$(nproc)" >make.log 2>&1 || { tail -40 make.log >&2; die "make failed"; }

cp python.wasm "$OUT/python.wasm"
wasm-strip "$OUT/python.wasm"
# The stdlib as .pyc compiled by the same 3.11.2, in the folder CPython looks in after lib/python311.zip.
"$BUILD_PYTHON" "$RECIPE/stdlib-pyc.py" "$SRC/Lib" "$PWD/$(cat pybuilddir.txt)" "$OUT/lib/python3.11"
echo "CPython 3.11.2" >"$OUT/VERSION"
