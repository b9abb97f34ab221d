#!/bin/bash
# Builds QuickJS 2021-03-27 as a WASI preview-1 command with the Node layer: build.sh OUT writes OUT/qjs.wasm,
# OUT/node (node/ of this recipe, each file beside its QuickJS bytecode) and OUT/VERSION.
# Sources: the npm package qjsc@0.3.0 vendors the complete QuickJS release (only packed: no install
# scripts run). Needs apt clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32, and node with npm.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUT" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
TGZ_SHA256=4a9ed1852b334d842d5dac42d1782817ae26310b448de39532451fd45c9ba0ee
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

npm pack qjsc@0.3.0 --silent >/dev/null
echo "$TGZ_SHA256  qjsc-0.3.0.tgz" | sha256sum -c --quiet -
tar xzf qjsc-0.3.0.tgz
S=package/deps/quickjs_2021_03_27
# patches/: WASI has no Atomics.wait/os.Worker (pthreads) nor FP rounding modes; qjs gains chdir($PWD),
# the Node layer's module and rejection hooks, runs a .qbc script as bytecode, and drops the REPL;
# quickjs-libc gains os.hrtime, std.evalScript's filename option, std.compileScript/evalBytecode and
# monotonic timers; error stacks start with "Name: message" as in V8. Each change is under __wasi__.
for p in "$HERE"/patches/*.patch; do patch -s -d "$S" -p1 < "$p"; done

# A private sysroot: Debian's clang would otherwise fall back to glibc's /usr/include for a header
# wasi-libc lacks, and fail far from the cause.
mkdir -p sysroot/include sysroot/lib
ln -s /usr/include/wasm32-wasi sysroot/include/wasm32-wasi
ln -s /usr/lib/wasm32-wasi sysroot/lib/wasm32-wasi
CC="clang-14 --target=wasm32-wasi --sysroot=$WORK/sysroot"
CFLAGS="-O2 -w -D_GNU_SOURCE -DCONFIG_VERSION=\"2021-03-27\" -DCONFIG_BIGNUM \
  -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID \
  -I$HERE/compat -include malloc.h"
mkdir obj
pids=()
for f in quickjs libregexp libunicode cutils libbf quickjs-libc qjs; do
  $CC $CFLAGS -c "$S/$f.c" -o "obj/$f.o" & pids+=($!)
done
$CC $CFLAGS -c "$HERE/compat/wasi_stubs.c" -o obj/wasi_stubs.o & pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done
# 1 MiB shadow stack: wasm-ld's default is 64 KiB, below QuickJS's 256 KiB JS stack limit, so deep
# recursion would corrupt memory instead of throwing InternalError.
$CC -O2 -s -Wl,-z,stack-size=1048576 -o "$OUT/qjs.wasm" obj/*.o \
  -lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid -lm
echo "QuickJS 2021-03-27" > "$OUT/VERSION"

# The Node layer as shipped: its sources, and each compiled to bytecode by the qjs.wasm just built (run by node's
# WASI), since under an interpreter parsing the layer's source costs more than a hello world's whole run.
cp -r "$HERE/node" "$OUT/node"
node --no-warnings --input-type=module -e '
  import { readFile } from "node:fs/promises";
  import { WASI } from "node:wasi";
  const [wasm, layer, script] = process.argv.slice(1);
  const wasi = new WASI({ version: "preview1", args: ["qjs", "--std", "/recipe/compile-layer.js", "/layer", "/wasmrun/node"],
    preopens: { "/layer": layer, "/recipe": script }, returnOnExit: true });
  const { instance } = await WebAssembly.instantiate(await readFile(wasm), wasi.getImportObject());
  process.exitCode = wasi.start(instance);
' "$OUT/qjs.wasm" "$OUT/node" "$HERE"
[ -s "$OUT/node/main.qbc" ] || { echo "compile-layer.js wrote no main.qbc" >&2; exit 1; }
