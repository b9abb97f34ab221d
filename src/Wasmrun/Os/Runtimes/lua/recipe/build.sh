#!/bin/bash
# OS mode's Lua: builds Lua 5.4 (Debian bookworm's lua5.4 source package) as a wasm32-wasi command that uses
# exception handling: Lua raises errors with setjmp/longjmp, which clang >= 18 lowers to the legacy try/catch/throw
# instructions (-mllvm -wasm-enable-sjlj), with the runtime helpers in sjlj/ (bookworm's wasi-libc has no libsetjmp).
# usage: build.sh OUT   (OUT gets lua.wasm and VERSION; needs clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc
# dpkg-dev: ./build.sh setup)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
(($# == 1)) || { echo "usage: $0 OUT" >&2; exit 1; }
mkdir -p "$1"
OUT="$(cd "$1" && pwd)/lua.wasm"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# The source package, from the Debian mirror this machine's apt uses, through a private sources list (the system's
# apt configuration is left alone).
MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?' | head -1 || true)
[ -n "$MIRROR" ] || { echo "build.sh: no Debian mirror in /etc/apt" >&2; exit 1; }
mkdir -p apt/lists/partial
echo "deb-src ${MIRROR%/} bookworm main" > apt/sources.list
APT=(-o Dir::Etc::sourcelist="$WORK/apt/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$WORK/apt/lists"
     -o Dir::Cache::pkgcache="$WORK/apt/pkgcache.bin" -o Dir::Cache::srcpkgcache="$WORK/apt/srcpkgcache.bin")
apt-get "${APT[@]}" update -qq
apt-get "${APT[@]}" source --download-only -qq lua5.4/bookworm 2>/dev/null
tar xzf lua5.4_5.4.4.orig.tar.gz

mkdir -p sysroot/include sysroot/lib obj
ln -s /usr/include/wasm32-wasi sysroot/include/wasm32-wasi
ln -s /usr/lib/wasm32-wasi sysroot/lib/wasm32-wasi
CC=(clang-19 --target=wasm32-wasi --sysroot="$WORK/sysroot")
CFLAGS=(-O2 -mllvm -wasm-enable-sjlj -mexception-handling -I"$HERE/sjlj" -D_WASI_EMULATED_SIGNAL
        -D_WASI_EMULATED_PROCESS_CLOCKS -DLUA_COMPAT_5_3 '-Dlua_tmpnam(b,e)={e=1;}' -DLUA_TMPNAMBUFSIZE=32 -w)
for source in lua-5.4.4/src/*.c "$HERE"/sjlj/*.c "$HERE"/pwd.c; do
  [[ $source == */luac.c ]] && continue
  "${CC[@]}" "${CFLAGS[@]}" -c "$source" -o "obj/$(basename "${source%.c}").o"
done
"${CC[@]}" -O2 -mexception-handling -Wl,--strip-debug -Wl,-z,stack-size=1048576 obj/*.o \
  -lwasi-emulated-signal -lwasi-emulated-process-clocks -lm -o "$OUT.partial"
mv "$OUT.partial" "$OUT"
echo "Lua 5.4.4" > "$(dirname "$OUT")/VERSION"
