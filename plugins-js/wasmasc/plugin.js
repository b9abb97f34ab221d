// wasmasc: AssemblyScript to WebAssembly with the project's own asc (node_modules/.bin/asc through npx; installed
// first with the project's package manager when node_modules has no assemblyscript). Targets:
//   wasi (default)  asc --config node_modules/@assemblyscript/wasi-shim/asconfig.json: a WASI command (_start); without
//                   the shim installed, missing() says so and `wasmrun compile` without --target builds wasm instead
//   wasm            asc --bindings esm: OUT/NAME.wasm and NAME.js, ES module bindings that load it
//   web             the wasm build as index.wasm + index.js, and an index.html that loads it
// Entry files: asconfig.json's "entries", else assembly/index.ts.
import { run, which, exists, readFile, writeFile, remove, join, fail, missing, progress, warn } from "wasmrun";

const FLAGS = {
  debug: ["--debug"],
  release: ["-O3"],
  size: ["-Oz"],
};

const SHIM_CONFIG = "./node_modules/@assemblyscript/wasi-shim/asconfig.json";

const DEPENDENCY_LISTS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"];

/** A marker: asconfig.json, or package.json with assemblyscript in a dependency list; a source: assembly/index.ts. */
export function detect() {
  if (exists("asconfig.json")) {
    return { match: "marker", reason: "asconfig.json found" };
  }
  const pkg = packageJson();
  const list = pkg && DEPENDENCY_LISTS.find((field) => typeof pkg[field] === "object" && pkg[field] !== null && "assemblyscript" in pkg[field]);
  if (list) {
    return { match: "marker", reason: `package.json has assemblyscript in ${list}` };
  }
  if (exists("assembly/index.ts")) {
    return { match: "source", reason: "source file assembly/index.ts" };
  }
  return { match: null, reason: "looks for asconfig.json, package.json depending on assemblyscript, assembly/index.ts" };
}

export function build(ctx) {
  installDependencies();
  const entries = entryFiles();
  const web = ctx.target === "web";
  const stem = web ? "index" : ctx.projectName;
  for (const stale of [".wasm", ".js", ".d.ts"]) {
    remove(join(ctx.outputDir, stem + stale));
  }
  if (web) {
    remove(join(ctx.outputDir, "index.html"));
  }
  const wasm = stem + ".wasm";
  const args = ["--no-install", "asc", ...entries, ...FLAGS[ctx.optimization], "-o", join(ctx.outputDir, wasm)];
  if (ctx.target === "wasi") {
    args.push("--config", wasiConfig());
  } else {
    if (exists("asconfig.json")) {
      args.push("--config", "asconfig.json");
    }
    args.push("--bindings", "esm");
  }
  const result = run("npx", args);
  if (result.code !== 0) {
    fail(`asc exited with code ${result.code}`);
  }
  if (ctx.target === "wasi") {
    return { kind: "wasi", wasm };
  }
  const typings = stem + ".d.ts";
  const files = exists(join(ctx.outputDir, typings)) ? [typings] : [];
  if (web) {
    writeFile(join(ctx.outputDir, "index.html"), page(ctx.projectName));
    return { kind: "web", html: "index.html", js: "index.js", wasm, files };
  }
  return { kind: "module", wasm, js: stem + ".js", files };
}

/** The template's `gitignore` becomes `.gitignore` (npm never publishes files named .gitignore). */
export function init() {
  if (exists("gitignore") && !exists(".gitignore")) {
    writeFile(".gitignore", readFile("gitignore"));
    remove("gitignore");
  }
}

function packageJson() {
  if (!exists("package.json")) {
    return null;
  }
  try {
    return JSON.parse(readFile("package.json"));
  } catch {
    return null;
  }
}

/**
 * Runs the project's package manager when node_modules has no assemblyscript: the one its lock file names (pnpm,
 * yarn, bun), else npm (`npm ci` with a package-lock.json, so the lock file is never rewritten).
 */
function installDependencies() {
  if (exists("node_modules/assemblyscript/package.json")) {
    return;
  }
  if (!exists("package.json")) {
    fail("node_modules has no assemblyscript and there is no package.json to install it from: " +
      "npm init -y && npm install --save-dev assemblyscript @assemblyscript/wasi-shim");
  }
  const manager = exists("pnpm-lock.yaml") ? "pnpm"
    : exists("yarn.lock") ? "yarn"
    : exists("bun.lock") || exists("bun.lockb") ? "bun"
    : "npm";
  if (!which(manager)) {
    missing(`${manager} (the project's lock file is ${manager}'s)`, `install ${manager}: https://www.npmjs.com/package/${manager}`);
  }
  const args = manager === "npm"
    ? [exists("package-lock.json") ? "ci" : "install", "--no-audit", "--no-fund"]
    : ["install"];
  progress(`node_modules has no assemblyscript: installing the project's dependencies with ${manager}`);
  const result = run(manager, args);
  if (result.code !== 0) {
    fail(`${manager} ${args[0]} exited with code ${result.code}`);
  }
  if (!exists("node_modules/assemblyscript/package.json")) {
    fail("package.json does not depend on assemblyscript: npm install --save-dev assemblyscript");
  }
}

/** asconfig.json's "entries", else assembly/index.ts. */
function entryFiles() {
  if (exists("asconfig.json")) {
    let config;
    try {
      config = JSON.parse(readFile("asconfig.json"));
    } catch (error) {
      fail(`asconfig.json does not parse: ${error.message}`);
    }
    if (Array.isArray(config.entries) && config.entries.length > 0) {
      return config.entries.map(String);
    }
  }
  if (!exists("assembly/index.ts")) {
    fail('no entry file: create assembly/index.ts, or list the entries in asconfig.json ("entries": ["assembly/main.ts"])');
  }
  return ["assembly/index.ts"];
}

/**
 * The WASI shim's asconfig.json, or the project's when it extends the shim (asc takes one --config). A project
 * asconfig.json that does not extend it is left out of the wasi build, with a warning.
 */
function wasiConfig() {
  if (!exists("node_modules/@assemblyscript/wasi-shim/asconfig.json")) {
    missing("the WASI shim (@assemblyscript/wasi-shim in node_modules) to build the wasi target", "npm install --save-dev @assemblyscript/wasi-shim");
  }
  if (exists("asconfig.json")) {
    const text = readFile("asconfig.json");
    if (/"extends"\s*:\s*"[^"]*wasi-shim/.test(text)) {
      return "asconfig.json";
    }
    warn(`asconfig.json does not extend ${SHIM_CONFIG}, so its options are not used for the wasi target ` +
      `(asc takes one --config); add "extends": "${SHIM_CONFIG}" to use them`);
  }
  return SHIM_CONFIG;
}

function page(name) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${name}</title>
</head>
<body>
  <h1>${name}</h1>
  <p>AssemblyScript compiled to WebAssembly. Its exports are <code>window.wasm</code> in the console:</p>
  <pre id="exports"></pre>
  <script type="module">
    import * as wasm from "./index.js";
    window.wasm = wasm;
    document.getElementById("exports").textContent = Object.keys(wasm).join("\\n");
  </script>
</body>
</html>
`;
}
