// wasmgo: Go to WebAssembly. TinyGo when it is installed, otherwise Go itself. Targets:
//   wasi (default)  a WASI command: tinygo -target=wasip1 (-target=wasi before TinyGo 0.30), or GOOS=wasip1 (Go 1.21+:
//                   the go on PATH, else the newest of Debian's /usr/lib/go-1.NN/bin/go); with no such Go it says so
//                   with missing(), and `wasmrun compile` without --target builds wasm instead
//   wasm            a js/wasm module (GOOS=js GOARCH=wasm, or tinygo -target=wasm) with the toolchain's wasm_exec.js
//                   glue and NAME.cjs, which runs the module under Node.js: node dist/NAME.cjs ARGS...
//   web             the same module and glue with an index.html that runs it and shows its output
// The module is OUT/NAME.wasm, NAME being the project folder's name; the main package is the project root.
import { run, which, exists, isDirectory, list, readFile, writeFile, copyFile, remove, join, fail, missing, debug } from "wasmrun";

const GO_FLAGS = {
  debug: ["-gcflags=all=-N -l"],
  release: ["-trimpath"],
  size: ["-trimpath", "-ldflags=-s -w"],
};

const TINYGO_FLAGS = {
  debug: ["-opt=1"],
  release: ["-opt=2", "-no-debug"],
  size: ["-opt=z", "-no-debug"],
};

export function build(ctx) {
  const wasm = ctx.projectName + ".wasm";
  const launcher = ctx.projectName + ".cjs";
  for (const stale of [wasm, launcher, "wasm_exec.js", "index.html"]) {
    remove(join(ctx.outputDir, stale));
  }
  const out = join(ctx.outputDir, wasm);
  const glue = which("tinygo") ? tinygoBuild(ctx, out) : goBuild(ctx, out);
  if (ctx.target === "wasi") {
    return { kind: "wasi", wasm };
  }
  copyFile(glue, join(ctx.outputDir, "wasm_exec.js"));
  if (ctx.target === "web") {
    writeFile(join(ctx.outputDir, "index.html"), page(ctx.projectName, wasm));
    return { kind: "web", html: "index.html", js: "wasm_exec.js", wasm };
  }
  writeFile(join(ctx.outputDir, launcher), nodeLauncher(wasm));
  return { kind: "module", wasm, js: "wasm_exec.js", files: [launcher] };
}

/** The template's `gitignore` becomes `.gitignore` (npm never publishes files named .gitignore). */
export function init() {
  if (exists("gitignore") && !exists(".gitignore")) {
    writeFile(".gitignore", readFile("gitignore"));
    remove("gitignore");
  }
}

/** Go: builds OUT with GOOS=js (or wasip1) and returns the path of its wasm_exec.js (null for wasi). */
function goBuild(ctx, out) {
  let go = "go";
  let [goroot, version, cache] = goEnv(go);
  // Offline and exactly this toolchain: no download of another Go a go.mod asks for, no module proxy.
  const env = { GOARCH: "wasm", GOOS: "js", GOTOOLCHAIN: "local", GOPROXY: "off" };
  if (ctx.target === "wasi") {
    if (!hasWasip1(version)) {
      // Debian keeps its default Go (1.19 in bookworm) as /usr/bin/go and installs newer ones beside it, from
      // bookworm-backports, as /usr/lib/go-1.NN/bin/go: the newest that has wasip1 builds the command.
      const newer = debianGos().find((candidate) => hasWasip1(goEnv(candidate)[1]));
      if (!newer) {
        missing(`Go 1.21 or later, or TinyGo, to build WASI commands (${version} has no GOOS=wasip1)`,
          "install Go 1.21 or later (https://go.dev/dl; on Debian 12: apt install -t bookworm-backports golang-1.23-go) or TinyGo (https://tinygo.org/getting-started/install), or build a js/wasm module with --target wasm");
      }
      debug(`${version} on PATH has no GOOS=wasip1: using ${newer}`);
      go = newer;
      [goroot, version, cache] = goEnv(go);
    }
    env.GOOS = "wasip1";
  }
  // Go keeps its build cache under the user's cache folder; without HOME (CI jobs, services) it has none and refuses
  // to build. Then the cache lives in the project's .go-cache (build.clean), never in a shared temporary folder that
  // another user could fill first.
  if (!cache || cache === "off") {
    env.GOCACHE = join(ctx.projectDir, ".go-cache");
    debug(`Go has no build cache folder (no HOME?): using ${env.GOCACHE}`);
  }
  const result = run(go, ["build", ...GO_FLAGS[ctx.optimization], "-o", out, "."], { env });
  if (result.code !== 0) {
    fail(`go build exited with code ${result.code}`);
  }
  if (ctx.target === "wasi") {
    return null;
  }
  // Go 1.24 moved the glue from misc/wasm to lib/wasm.
  const glue = [join(goroot, "lib", "wasm", "wasm_exec.js"), join(goroot, "misc", "wasm", "wasm_exec.js")].find((file) => exists(file));
  if (!glue) {
    fail(`${version} has no wasm_exec.js in ${goroot}/lib/wasm or ${goroot}/misc/wasm; the module needs it to run`);
  }
  return glue;
}

/** GOROOT, GOVERSION and GOCACHE of the go command at `go` (a name on PATH or a path). */
function goEnv(go) {
  return run(go, ["env", "GOROOT", "GOVERSION", "GOCACHE"], { quiet: true, env: { GOTOOLCHAIN: "local" } }).stdout.split("\n");
}

/** True for Go 1.21 or later, the first with GOOS=wasip1. */
function hasWasip1(version) {
  const [major, minor] = (/go(\d+)\.(\d+)/.exec(version) ?? [0, 0, 0]).slice(1).map(Number);
  return major > 1 || (major === 1 && minor >= 21);
}

/** Debian's versioned Go commands (/usr/lib/go-1.NN/bin/go), newest first. */
function debianGos() {
  if (!isDirectory("/usr/lib")) {
    return [];
  }
  return list("/usr/lib")
    .map((name) => /^go-1\.(\d+)\/$/.exec(name))
    .filter((match) => match)
    .map((match) => Number(match[1]))
    .sort((a, b) => b - a)
    .map((minor) => which(`/usr/lib/go-1.${minor}/bin/go`))
    .filter((path) => path);
}

/** TinyGo: the same, with TinyGo's own wasm_exec.js (it differs from Go's). */
function tinygoBuild(ctx, out) {
  const version = /tinygo version (\d+)\.(\d+)/.exec(run("tinygo", ["version"], { quiet: true }).stdout);
  const wasip1 = version && (Number(version[1]) > 0 || Number(version[2]) >= 30);
  const target = ctx.target === "wasi" ? (wasip1 ? "wasip1" : "wasi") : "wasm";
  const result = run("tinygo", ["build", `-target=${target}`, ...TINYGO_FLAGS[ctx.optimization], "-o", out, "."]);
  if (result.code !== 0) {
    fail(`tinygo build exited with code ${result.code}`);
  }
  if (ctx.target === "wasi") {
    return null;
  }
  const root = run("tinygo", ["env", "TINYGOROOT"], { quiet: true }).stdout.trim();
  const glue = join(root, "targets", "wasm_exec.js");
  if (!root || !exists(glue)) {
    fail(`TinyGo has no targets/wasm_exec.js in its root (${root}); the module needs it to run`);
  }
  return glue;
}

/** Runs the module under Node.js 18+ with real stdout, stderr, files, arguments, environment and exit code, as Go's
 * own misc/wasm/wasm_exec_node.js does (Go 1.19's breaks on Node.js 20: it assigns the read-only globalThis.crypto). */
function nodeLauncher(wasm) {
  return `// Runs ${wasm} (Go compiled for GOOS=js) under Node.js 18 or later: node ${wasm.replace(/\.wasm$/, ".cjs")} [ARGS...]
"use strict";
const fs = require("fs");
const path = require("path");
globalThis.fs ??= fs;
globalThis.require ??= require;
require("./wasm_exec.js");
const go = new Go();
go.argv = [${JSON.stringify(wasm)}, ...process.argv.slice(2)];
go.env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
go.exit = process.exit;
WebAssembly.instantiate(fs.readFileSync(path.join(__dirname, ${JSON.stringify(wasm)})), go.importObject)
  .then((result) => go.run(result.instance))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
`;
}

/** A page that runs the module and shows what it prints (Go's browser glue writes stdout through console.log). */
function page(name, wasm) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${name}</title>
  <script src="wasm_exec.js"></script>
</head>
<body>
  <h1>${name}</h1>
  <pre id="output"></pre>
  <script>
    const output = document.getElementById("output");
    const log = console.log.bind(console);
    console.log = (...parts) => {
      output.textContent += parts.join(" ") + "\\n";
      log(...parts);
    };
    const go = new Go();
    WebAssembly.instantiateStreaming(fetch(${JSON.stringify(wasm)}), go.importObject)
      .then((result) => go.run(result.instance))
      .catch((error) => { output.textContent += "error: " + error + "\\n"; });
  </script>
</body>
</html>
`;
}
