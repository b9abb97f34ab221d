#!/usr/bin/env bash
# Wasmrun's one entry point for people and CI: ./build.sh setup|build|test|run|bench (see README.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
BIN="$ROOT/artifacts/bin/wasmrun"
RID="linux-x64"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the build and the tests use: the NativeAOT linker (gcc, binutils); the toolchains the WASI and plugin
# tests build real programs with (clang-14 + wasi-libc, and its libc++ for C++; Emscripten, rustc 1.63 + cargo + its
# wasm32 std, Go 1.19, make); Chromium, which the browser tests drive (playwright-core from npm); GNU time and wrk,
# which the benchmarks use. OS mode's runtime recipes (src/Wasmrun/Os/Runtimes/*/recipe) add the build python of
# CPython (must be 3.11, as the sources), dpkg-source to unpack Debian source packages, llvm-14's ar/ranlib,
# wabt's wasm-strip and brotli for the embedded archives. binaryen 108: its wasm-opt makes the differential test's
# random modules and runs them in its own interpreter (tests/Wasmrun.Tests/Engine/DifferentialTests.cs).
APT_PACKAGES=(gcc binutils make clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 libc++-14-dev-wasm32 libc++abi-14-dev-wasm32 rustc cargo libstd-rust-dev-wasm32 emscripten golang-go chromium time wrk python3.11 dpkg-dev llvm-14 wabt brotli binaryen
  clang-19 lld-19 libclang-rt-19-dev-wasm32)
# clang-19 builds the Lua test program: clang-14 cannot lower setjmp/longjmp to exception handling.
# Go 1.21+ builds WASI commands (GOOS=wasip1); bookworm has 1.19, bookworm-backports has 1.23 (-> /usr/lib/go-1.23,
# which the wasmgo plugin looks for beside the older /usr/bin/go).
BACKPORTS_PACKAGES=(golang-1.23-go)
BACKPORTS_SOURCES=/etc/apt/sources.list.d/bookworm-backports.sources

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
usage: ./build.sh <verb> [args]

  setup        check and install prerequisites (.NET SDK, Debian packages, Go 1.23 from bookworm-backports); safe to repeat
  runtimes     build OS mode's language runtimes into artifacts/runtimes/R.tar.br (once per recipe: a cache in
               ${WASMRUN_BUILD_CACHE:-~/.cache/wasmrun-build}; see docs/os-runtimes.md); build and test run it
  build        build the runtimes, then publish the NativeAOT binary to artifacts/bin/wasmrun
  test         everything CI runs: setup, build, format check, AOT publish, all tests (ends with "N passed, N failed, N skipped")
  run [ARGS]   set up and build if needed, then run wasmrun ARGS; with no ARGS, serve the bundled example project
               (examples/hello, C) in the playground at http://127.0.0.1:8420/ with live reload (Ctrl+C stops it)
  bench [server|os|text|profile] [--baseline OLD]
               build, then measure startup, decode+validate+translate throughput, the text format against wabt,
               the C kernels and WASI programs against native code, OS mode's runtimes and the dev server (see
               docs/benchmarks.md); server, os or text runs only that part; profile prints the interpreter's instruction profile of the real programs
               (docs/performance.md); --baseline times another wasmrun binary beside ours
EOF
}

verb_setup() {
  command -v dotnet >/dev/null || die ".NET SDK not found: install .NET SDK 10.0 (https://dot.net) and run ./build.sh setup again"
  local version
  version="$(dotnet --version)"
  [[ "$version" == 10.* ]] || die ".NET SDK $version found, 10.0.x needed (global.json pins 10.0.401 with roll-forward)"
  if command -v apt-get >/dev/null; then
    local missing=()
    for package in "${APT_PACKAGES[@]}"; do
      dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if ((${#missing[@]})); then
      log "installing Debian packages: ${missing[*]}"
      local sudo=""
      [[ $(id -u) -eq 0 ]] || sudo="sudo"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    setup_backports
  else
    command -v gcc >/dev/null || die "gcc not found: NativeAOT links with gcc (or clang) and objcopy"
  fi
  log "restoring NuGet packages"
  dotnet restore Wasmrun.sln --nologo -v quiet
  dotnet restore src/Wasmrun -r "$RID" --nologo -v quiet
}

# Installs BACKPORTS_PACKAGES from bookworm-backports, which Debian images do not list: as root, a deb822 source
# with the mirror and key of the image's own bookworm entry; otherwise prints what root has to run.
setup_backports() {
  local missing=() package
  for package in "${BACKPORTS_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  local entry
  entry="$(backports_entry)" || die "no bookworm entry in /etc/apt/sources.list.d/debian.sources to take bookworm-backports' mirror from; install ${missing[*]} from bookworm-backports yourself"
  if [[ $(id -u) -ne 0 ]]; then
    log "not root: to build Go projects as WASI commands (Go 1.21+), run as root:"
    { printf '  cat > %s <<EOF\n%s\nEOF\n' "$BACKPORTS_SOURCES" "$entry"
      printf '  apt-get update && apt-get install -y -t bookworm-backports %s\n' "${missing[*]}"; } >&2
    return 0
  fi
  if [[ "$(cat "$BACKPORTS_SOURCES" 2>/dev/null)" != "$entry" ]]; then
    log "adding bookworm-backports to $BACKPORTS_SOURCES"
    printf '%s\n' "$entry" >"$BACKPORTS_SOURCES"
  fi
  log "installing from bookworm-backports: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t bookworm-backports "${missing[@]}" >/dev/null
}

# The deb822 stanza for bookworm-backports: URIs and Signed-By of debian.sources' stanza that lists bookworm.
backports_entry() {
  awk -v RS= '/(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|$|\n)/ { print; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
    awk '/^URIs:/ { uris = $0 } /^Signed-By:/ { key = $0 }
         END { if (uris == "") exit 1; print "Types: deb"; print uris; print "Suites: bookworm-backports"; print "Components: main"; if (key != "") print key }'
}

# The playground (ui/) is built with npm during the build; the tests install asc and playwright-core with npm too.
require_node() {
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm not found: the playground (ui/) is built with them, and tests use them (node 20 or later)"
  [[ "$(node --version)" =~ ^v([0-9]+) ]] && ((BASH_REMATCH[1] >= 20)) || die "node $(node --version) found, 20 or later needed (assemblyscript 0.28, esbuild 0.28)"
}

# OS mode's runtimes (src/Wasmrun/Os/Runtimes/*/recipe), which the binary embeds: a CPython build takes minutes the
# first time, then the cache keyed by the recipe's content serves it.
verb_runtimes() {
  log "OS mode runtimes"
  src/Wasmrun/Os/Runtimes/build-runtimes.sh artifacts/runtimes
}

# Publishes the AOT binary. Warnings are errors (TreatWarningsAsErrors, also for ILC's trim/AOT analysis).
verb_build() {
  require_node
  verb_runtimes
  log "publishing NativeAOT binary"
  mkdir -p artifacts/logs
  if ! dotnet publish src/Wasmrun -c Release -r "$RID" -o artifacts/bin --nologo -v quiet >artifacts/logs/publish.log 2>&1; then
    grep -E "error|warning" artifacts/logs/publish.log | sort -u >&2 || cat artifacts/logs/publish.log >&2
    die "publish failed (full log: artifacts/logs/publish.log)"
  fi
  # Jint's own warnings stay visible in ILC (see CollapseJintTrimWarnings in the csproj); any other fails the build.
  if grep "warning IL" artifacts/logs/publish.log | grep -v ": Jint\." | grep -q .; then
    grep "warning IL" artifacts/logs/publish.log | grep -v ": Jint\." | sort -u >&2
    die "trim/AOT warnings in the publish (artifacts/logs/publish.log)"
  fi
  log "built $BIN ($(stat -c %s "$BIN") bytes)"
}

# True when the binary is older than any source, project or table file (the runtime recipes are under src/ too), or
# the playground's sources, or when an embedded runtime archive is missing.
stale() {
  [[ ! -x "$BIN" ]] && return 0
  local recipe
  for recipe in src/Wasmrun/Os/Runtimes/*/recipe; do
    [[ -d "$recipe" ]] || continue
    recipe="${recipe%/recipe}"
    [[ -f "artifacts/runtimes/${recipe##*/}.tar.br" ]] || return 0
  done
  [[ -n "$(find src ui/src ui/package.json ui/package-lock.json ui/build.mjs Directory.Build.props global.json \( -name bin -o -name obj \) -prune -o -newer "$BIN" -type f -print -quit)" ]]
}

verb_run() {
  if stale; then verb_setup && verb_build; fi
  if (($#)); then
    exec "$BIN" "$@"
  fi
  log "wasmrun run examples/hello --watch: the playground of a C project; edit examples/hello/main.c and the page follows"
  exec "$BIN" run examples/hello --watch
}

verb_test() {
  verb_setup
  require_node
  verb_runtimes
  log "building (Debug)"
  dotnet build Wasmrun.sln --nologo -v quiet -clp:ErrorsOnly
  log "checking formatting"
  dotnet format Wasmrun.sln --verify-no-changes --no-restore -v quiet || die "formatting differs: run 'dotnet format Wasmrun.sln'"
  verb_build
  log "running tests (spec suites: ${WASMRUN_TESTSUITE_DIR:-../shared/wasm-testsuite} and ${WASMRUN_TESTSUITE3_DIR:-../shared/wasm-testsuite-3.0}, WASI suite: ${WASMRUN_WASI_TESTSUITE_DIR:-../shared/wasi-testsuite})"
  mkdir -p artifacts/logs
  rm -f TestResults/wasi-summary.txt TestResults/differential-summary.txt
  local status=0
  # WASMRUN_REQUIRE_TOOLS=1: a missing WASI toolchain (clang-14/wasi-libc, rustc, node/npm) fails the tests instead of skipping them.
  WASMRUN_BIN="$BIN" WASMRUN_REQUIRE_AOT=1 WASMRUN_REQUIRE_TOOLS=1 TUNIT_DISABLE_HTML_REPORTER=1 \
    dotnet test --project tests/Wasmrun.Tests --no-build 2>&1 | tee artifacts/logs/test.log || status=$?
  if [[ -f TestResults/spec-summary.txt ]]; then
    log "spec suite"
    cat TestResults/spec-summary.txt
  fi
  if [[ -f TestResults/wasi-summary.txt ]]; then
    log "WASI test suite"
    cat TestResults/wasi-summary.txt
  fi
  if [[ -f TestResults/differential-summary.txt ]]; then
    log "differential test against binaryen"
    cat TestResults/differential-summary.txt
  fi
  # TUnit prints a summary block (total/failed/succeeded/skipped); CI wants one line.
  local passed failed skipped
  passed=$(sed -n 's/^ *succeeded: *\([0-9]*\).*/\1/p' artifacts/logs/test.log | tail -1)
  failed=$(sed -n 's/^ *failed: *\([0-9]*\).*/\1/p' artifacts/logs/test.log | tail -1)
  skipped=$(sed -n 's/^ *skipped: *\([0-9]*\).*/\1/p' artifacts/logs/test.log | tail -1)
  # CI keeps only the end of the output: each failed test again, right above the count, with its message (up to 40
  # lines: a browser script's own error and the server's stderr are in it)
  if grep -q '^failed ' artifacts/logs/test.log; then
    log "failed tests"
    awk '/^failed /{n=40} n>0{print; n--; if (/^but found|^  from /) n=0}' artifacts/logs/test.log
  fi
  echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
  if [[ "${passed:-0}" -eq 0 ]]; then
    die "no test passed: zero tests executed counts as a failure"
  fi
  return "$status"
}

verb_bench() {
  if stale; then verb_build; fi
  log "benchmarks (see docs/benchmarks.md)"
  dotnet run --project tests/Wasmrun.Bench -c Release -v quiet -- "$BIN" "$@"
}

verb="${1:-}"
shift || true
case "$verb" in
  setup) verb_setup && require_node ;;
  runtimes) verb_runtimes ;;
  build) verb_build ;;
  test) verb_test ;;
  run) verb_run "$@" ;;
  bench) verb_bench "$@" ;;
  ""|-h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
