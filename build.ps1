# Wasmrun's entry point on Windows, mirroring build.sh: .\build.ps1 setup|build|test|run|bench (see README.md).
param(
    [Parameter(Position = 0)][string]$Verb = "",
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot

$Rid = if ($IsLinux) { "linux-x64" } elseif ($IsMacOS) { "osx-arm64" } else { "win-x64" }
$Exe = if ($IsLinux -or $IsMacOS) { "wasmrun" } else { "wasmrun.exe" }
$Bin = Join-Path $PSScriptRoot "artifacts/bin/$Exe"
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"
$env:DOTNET_NOLOGO = "1"
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = "1"

# Debian packages the build and the tests use (build.sh's list): the NativeAOT linker (gcc, binutils); the toolchains
# the WASI and plugin tests build real programs with (clang-14 + wasi-libc, and its libc++ for C++; Emscripten, rustc
# 1.63 + cargo + its wasm32 std, Go 1.19, make); Chromium, which the browser tests drive (playwright-core from npm);
# GNU time and wrk, which the benchmarks use.
$AptPackages = @("gcc", "binutils", "make", "clang-14", "lld-14", "wasi-libc", "libclang-rt-14-dev-wasm32", "libc++-14-dev-wasm32",
    "libc++abi-14-dev-wasm32", "rustc", "cargo", "libstd-rust-dev-wasm32", "emscripten", "golang-go", "chromium", "time", "wrk")

function Log([string]$Message) { Write-Host "==> $Message" -ForegroundColor White }
function Fail([string]$Message) { [Console]::Error.WriteLine("error: $Message"); exit 1 }

function Show-Usage {
    @"
usage: .\build.ps1 <verb> [args]

  setup        check and install prerequisites (.NET SDK, node, Debian packages where apt-get exists; on Windows,
               NativeAOT needs Visual Studio's C++ build tools); safe to repeat
  build        publish the NativeAOT binary to artifacts/bin/$Exe
  test         everything CI runs: setup, build, format check, AOT publish, all tests (ends with "N passed, N failed, N skipped")
  run [ARGS]   set up and build if needed, then run wasmrun ARGS; with no ARGS, serve the bundled example project
               (examples/hello, C) in the playground at http://127.0.0.1:8420/ with live reload (Ctrl+C stops it)
  bench [server] [--baseline OLD]
               build, then measure startup, decode+validate+translate throughput, the C kernels and WASI programs
               against native code (see docs/benchmarks.md); --baseline times another wasmrun binary beside ours
"@
}

function Invoke-Setup {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail ".NET SDK not found: install .NET SDK 10.0 (https://dot.net) and run .\build.ps1 setup again" }
    $version = dotnet --version
    if (-not $version.StartsWith("10.")) { Fail ".NET SDK $version found, 10.0.x needed (global.json pins 10.0.401 with roll-forward)" }
    if (Get-Command apt-get -ErrorAction SilentlyContinue) {
        $missing = @($AptPackages | Where-Object { dpkg -s $_ *> $null; $LASTEXITCODE -ne 0 })
        if ($missing.Count -gt 0) {
            Log "installing Debian packages: $($missing -join ' ')"
            # as root directly, otherwise through sudo; env carries DEBIAN_FRONTEND past sudo
            $asRoot = if ((id -u) -eq "0") { "env" } else { "sudo" }
            & $asRoot apt-get update -qq
            if ($LASTEXITCODE -ne 0) { Fail "apt-get update failed" }
            & $asRoot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends @missing > $null
            if ($LASTEXITCODE -ne 0) { Fail "apt-get install failed: $($missing -join ' ')" }
        }
    }
    elseif ($IsLinux -or $IsMacOS) {
        if (-not (Get-Command gcc -ErrorAction SilentlyContinue)) { Fail "gcc not found: NativeAOT links with gcc (or clang) and objcopy" }
    }
    else {
        $vswhere = Join-Path ${env:ProgramFiles(x86)} "Microsoft Visual Studio/Installer/vswhere.exe"
        $cpp = if (Test-Path $vswhere) { & $vswhere -latest -products * -requires Microsoft.VisualStudio.Component.VC.Tools.x86.x64 -property installationPath }
        if (-not $cpp) { Fail "Visual Studio's C++ build tools not found: NativeAOT links with them (Visual Studio Installer: 'Desktop development with C++')" }
    }
    Log "restoring NuGet packages"
    dotnet restore Wasmrun.sln --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { Fail "restore failed" }
    dotnet restore src/Wasmrun -r $Rid --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { Fail "restore failed" }
}

# The playground (ui/) is built with npm during the build; the tests install asc and playwright-core with npm too.
function Assert-Node {
    if (-not (Get-Command node -ErrorAction SilentlyContinue) -or -not (Get-Command npm -ErrorAction SilentlyContinue)) {
        Fail "node and npm not found: the playground (ui/) is built with them, and tests use them (node 20 or later)"
    }
    $nodeVersion = node --version
    if (-not ($nodeVersion -match '^v(\d+)') -or [int]$Matches[1] -lt 20) { Fail "node $nodeVersion found, 20 or later needed (assemblyscript 0.28, esbuild 0.28)" }
}

# Publishes the AOT binary. Warnings are errors (TreatWarningsAsErrors, also for ILC's trim/AOT analysis).
function Invoke-Build {
    Assert-Node
    Log "publishing NativeAOT binary"
    New-Item -ItemType Directory -Force artifacts/logs | Out-Null
    dotnet publish src/Wasmrun -c Release -r $Rid -o artifacts/bin --nologo -v quiet *> artifacts/logs/publish.log
    if ($LASTEXITCODE -ne 0) {
        $problems = Select-String -Path artifacts/logs/publish.log -Pattern "error|warning" | ForEach-Object { $_.Line } | Sort-Object -Unique
        if ($problems) { $problems | ForEach-Object { [Console]::Error.WriteLine($_) } } else { Get-Content artifacts/logs/publish.log | ForEach-Object { [Console]::Error.WriteLine($_) } }
        Fail "publish failed (full log: artifacts/logs/publish.log)"
    }
    # Jint's own warnings stay visible in ILC (see CollapseJintTrimWarnings in the csproj); any other fails the build.
    $ilWarnings = Select-String -Path artifacts/logs/publish.log -Pattern "warning IL" | Where-Object { $_.Line -notmatch ": Jint\." }
    if ($ilWarnings) {
        $ilWarnings | ForEach-Object { $_.Line } | Sort-Object -Unique | ForEach-Object { [Console]::Error.WriteLine($_) }
        Fail "trim/AOT warnings in the publish (artifacts/logs/publish.log)"
    }
    Log "built $Bin ($((Get-Item $Bin).Length) bytes)"
}

# True when the binary is older than any source, project or table file, or the playground's sources.
function Test-Stale {
    if (-not (Test-Path $Bin)) { return $true }
    $built = (Get-Item $Bin).LastWriteTimeUtc
    $newer = Get-ChildItem src, ui/src, ui/package.json, ui/package-lock.json, ui/build.mjs, Directory.Build.props, global.json -Recurse -File |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1
    return $null -ne $newer
}

function Invoke-Run([string[]]$Arguments) {
    if (Test-Stale) { Invoke-Setup; Invoke-Build }
    if ($Arguments.Count -gt 0) { & $Bin @Arguments; exit $LASTEXITCODE }
    # The dev server on the bundled C project (clang with wasi-libc builds it; Ctrl+C stops it)
    Log "wasmrun run examples/hello --watch: the playground of a C project; edit examples/hello/main.c and the page follows"
    & $Bin run examples/hello --watch
    exit $LASTEXITCODE
}

function Invoke-Test {
    Invoke-Setup
    Assert-Node
    Log "building (Debug)"
    dotnet build Wasmrun.sln --nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { Fail "build failed" }
    Log "checking formatting"
    dotnet format Wasmrun.sln --verify-no-changes --no-restore -v quiet
    if ($LASTEXITCODE -ne 0) { Fail "formatting differs: run 'dotnet format Wasmrun.sln'" }
    Invoke-Build
    $specSuite = if ($env:WASMRUN_TESTSUITE_DIR) { $env:WASMRUN_TESTSUITE_DIR } else { "../shared/wasm-testsuite" }
    $wasiSuite = if ($env:WASMRUN_WASI_TESTSUITE_DIR) { $env:WASMRUN_WASI_TESTSUITE_DIR } else { "../shared/wasi-testsuite" }
    Log "running tests (spec suite: $specSuite, WASI suite: $wasiSuite)"
    New-Item -ItemType Directory -Force artifacts/logs | Out-Null
    Remove-Item -ErrorAction SilentlyContinue TestResults/wasi-summary.txt
    $env:WASMRUN_BIN = $Bin
    $env:WASMRUN_REQUIRE_AOT = "1"
    # WASMRUN_REQUIRE_TOOLS=1: a missing WASI toolchain (clang-14/wasi-libc, rustc, node/npm) fails the tests instead of skipping them.
    $env:WASMRUN_REQUIRE_TOOLS = "1"
    $env:TUNIT_DISABLE_HTML_REPORTER = "1"
    dotnet test --project tests/Wasmrun.Tests --no-build 2>&1 | Tee-Object -FilePath artifacts/logs/test.log
    $status = $LASTEXITCODE
    if (Test-Path TestResults/spec-summary.txt) { Log "spec suite"; Get-Content TestResults/spec-summary.txt }
    if (Test-Path TestResults/wasi-summary.txt) { Log "WASI test suite"; Get-Content TestResults/wasi-summary.txt }
    $log = Get-Content artifacts/logs/test.log
    $count = { param($name) ($log | Select-String "^\s*$($name):\s*(\d+)" | Select-Object -Last 1).Matches.Groups[1].Value }
    $passed = & $count "succeeded"; $failed = & $count "failed"; $skipped = & $count "skipped"
    Write-Host "$([int]$passed) passed, $([int]$failed) failed, $([int]$skipped) skipped"
    if ([int]$passed -eq 0) { Fail "no test passed: zero tests executed counts as a failure" }
    exit $status
}

function Invoke-Bench([string[]]$Arguments) {
    if (Test-Stale) { Invoke-Build }
    Log "benchmarks (see docs/benchmarks.md)"
    dotnet run --project tests/Wasmrun.Bench -c Release -v quiet -- $Bin @Arguments
    exit $LASTEXITCODE
}

switch ($Verb) {
    "setup" { Invoke-Setup; Assert-Node }
    "build" { Invoke-Build }
    "test" { Invoke-Test }
    "run" { Invoke-Run $Rest }
    "bench" { Invoke-Bench $Rest }
    { $_ -in "", "-h", "--help", "help" } { Show-Usage }
    default { Show-Usage; exit 2 }
}
