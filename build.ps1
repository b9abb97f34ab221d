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

function Log([string]$Message) { Write-Host "==> $Message" -ForegroundColor White }
function Fail([string]$Message) { Write-Error "error: $Message"; exit 1 }

function Show-Usage {
    @"
usage: .\build.ps1 <verb> [args]

  setup        check prerequisites (.NET SDK 10; on Windows, NativeAOT also needs Visual Studio's C++ build tools)
  build        publish the NativeAOT binary to artifacts/bin/$Exe
  test         everything CI runs: setup, build, format check, AOT publish, all tests (ends with "N passed, N failed, N skipped")
  run [ARGS]   set up and build if needed, then run wasmrun ARGS; with no ARGS, serve the bundled example project
               (examples/hello, C) in the playground at http://127.0.0.1:8420/ with live reload (Ctrl+C stops it)
  bench        build, then measure startup, decode+validate+translate throughput, the C kernels and WASI programs
               against native code (see docs/benchmarks.md)
"@
}

function Invoke-Setup {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail ".NET SDK not found: install .NET SDK 10.0 (https://dot.net)" }
    $version = dotnet --version
    if (-not $version.StartsWith("10.")) { Fail ".NET SDK $version found, 10.0.x needed" }
    Log "restoring NuGet packages"
    dotnet restore Wasmrun.sln -v quiet
    if ($LASTEXITCODE -ne 0) { Fail "restore failed" }
    dotnet restore src/Wasmrun -r $Rid -v quiet
    if ($LASTEXITCODE -ne 0) { Fail "restore failed" }
}

function Invoke-Build {
    Log "publishing NativeAOT binary"
    New-Item -ItemType Directory -Force artifacts/logs | Out-Null
    dotnet publish src/Wasmrun -c Release -r $Rid -o artifacts/bin -v quiet *> artifacts/logs/publish.log
    if ($LASTEXITCODE -ne 0) {
        Get-Content artifacts/logs/publish.log | Select-String "error|warning" | Write-Host
        Fail "publish failed (full log: artifacts/logs/publish.log)"
    }
    # Jint's own warnings stay visible in ILC (see CollapseJintTrimWarnings in the csproj); any other fails the build.
    $ilWarnings = Select-String -Path artifacts/logs/publish.log -Pattern "warning IL" | Where-Object { $_.Line -notmatch ": Jint\." }
    if ($ilWarnings) { $ilWarnings | Write-Host; Fail "trim/AOT warnings in the publish (artifacts/logs/publish.log)" }
    Log "built $Bin ($((Get-Item $Bin).Length) bytes)"
}

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
    Log "building (Debug)"
    dotnet build Wasmrun.sln -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { Fail "build failed" }
    Log "checking formatting"
    dotnet format Wasmrun.sln --verify-no-changes --no-restore -v quiet
    if ($LASTEXITCODE -ne 0) { Fail "formatting differs: run 'dotnet format Wasmrun.sln'" }
    Invoke-Build
    Log "running tests"
    $env:WASMRUN_BIN = $Bin
    $env:WASMRUN_REQUIRE_AOT = "1"
    $env:TUNIT_DISABLE_HTML_REPORTER = "1"
    Remove-Item -ErrorAction SilentlyContinue TestResults/wasi-summary.txt
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
    "setup" { Invoke-Setup }
    "build" { Invoke-Build }
    "test" { Invoke-Test }
    "run" { Invoke-Run $Rest }
    "bench" { Invoke-Bench $Rest }
    { $_ -in "", "-h", "--help", "help" } { Show-Usage }
    default { Show-Usage; exit 2 }
}
