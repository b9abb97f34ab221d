// wasmrust: Rust to WebAssembly with cargo. Targets:
//   wasi (default)  cargo build --bin BIN for wasm32-wasip1 (wasm32-wasi before Rust 1.78): a WASI command
//   wasm            cargo rustc --lib --crate-type cdylib for wasm32-unknown-unknown: a plain module of the library
//   web             that module through wasm-bindgen --target web (or wasm-pack build --target web), and a page
// The package, its binaries and library and cargo's target folder come from `cargo metadata`; the artifact is copied
// to OUT/NAME.wasm, NAME being the project folder's name.
import { run, which, exists, readFile, writeFile, copyFile, remove, join, fail, missing, debug } from "wasmrun";

export function build(ctx) {
  const cargo = metadata();
  // cargo's own name for the project's Cargo.toml: cargo sees the folder with its symlinks resolved.
  const manifest = JSON.parse(run("cargo", ["locate-project"], { quiet: true }).stdout || "{}").root ?? join(ctx.projectDir, "Cargo.toml");
  const pkg = rootPackage(cargo, manifest, ctx);
  const triple = ctx.target === "wasi" ? wasiTriple() : "wasm32-unknown-unknown";
  requireStd(ctx, triple);

  // Artifacts are copied out of cargo's target folder, so it must be inside the project (the only place the script
  // may read): a workspace member or CARGO_TARGET_DIR elsewhere gets the project's own target/ instead.
  const options = ["--package", pkg.name, "--target", triple, ...(ctx.optimization === "debug" ? [] : ["--release"])];
  let targetDir = cargo.target_directory;
  if (!inside(targetDir, ctx.projectDir) && !inside(targetDir, manifest.replace(/[\\/]Cargo\.toml$/, ""))) {
    targetDir = join(ctx.projectDir, "target");
    debug(`cargo's target folder ${cargo.target_directory} is outside the project; building into ${targetDir}`);
    options.push("--target-dir", targetDir);
  }
  const built = (file) => join(targetDir, triple, ctx.optimization === "debug" ? "debug" : "release", file);
  const env = profileEnv(ctx);
  const wasm = ctx.projectName + ".wasm";

  if (ctx.target === "wasi") {
    const bin = binaryOf(pkg);
    remove(join(ctx.outputDir, wasm));
    cargoRun(["build", "--bin", bin, ...options], env);
    copyFile(built(bin + ".wasm"), join(ctx.outputDir, wasm));
    return { kind: "wasi", wasm };
  }
  const lib = libraryOf(pkg);
  if (ctx.target === "web") {
    return web(ctx, pkg, options, env, () => built(lib + ".wasm"));
  }
  remove(join(ctx.outputDir, wasm));
  cargoRun(["rustc", "--lib", "--crate-type", "cdylib", ...options], env);
  copyFile(built(lib + ".wasm"), join(ctx.outputDir, wasm));
  return { kind: "module", wasm };
}

/** The template's `gitignore` becomes `.gitignore` (npm never publishes files named .gitignore). */
export function init() {
  if (exists("gitignore") && !exists(".gitignore")) {
    writeFile(".gitignore", readFile("gitignore"));
    remove("gitignore");
  }
}

/** `cargo metadata` of the project's own packages (no dependency resolution, so it works offline). */
function metadata() {
  const result = run("cargo", ["metadata", "--no-deps", "--format-version", "1"], { quiet: true });
  if (result.code !== 0) {
    fail(`cargo metadata failed (is Cargo.toml valid?): ${firstLine(result.stderr)}`);
  }
  return JSON.parse(result.stdout);
}

/** The package whose Cargo.toml is at the project root. */
function rootPackage(cargo, manifest, ctx) {
  const pkg = cargo.packages.find((p) => same(p.manifest_path, manifest)) ?? (cargo.packages.length === 1 ? cargo.packages[0] : null);
  if (!pkg) {
    fail(`Cargo.toml at ${ctx.projectDir} has no [package] (a virtual workspace?): compile one member's folder instead, ` +
      `one of ${cargo.packages.map((p) => p.name).join(", ")}`);
  }
  return pkg;
}

/** Rust 1.78 renamed wasm32-wasi to wasm32-wasip1 (and 1.84 removed the old name). */
function wasiTriple() {
  const version = /rustc (\d+)\.(\d+)/.exec(run("rustc", ["--version"], { quiet: true }).stdout);
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [1, 78];
  return major > 1 || minor >= 78 ? "wasm32-wasip1" : "wasm32-wasi";
}

/**
 * Fails clearly when rustc has no standard library for the target (rustup's toolchains come without the wasm32
 * ones), instead of cargo's E0463 halfway through: compiles an empty crate's metadata into the output folder.
 */
function requireStd(ctx, triple) {
  const probe = join(ctx.outputDir, ".wasmrust-probe.rmeta");
  const result = run("rustc", ["--target", triple, "--crate-type", "rlib", "--crate-name", "wasmrust_probe", "--emit", "metadata", "-o", probe, "-"], { quiet: true });
  remove(probe);
  if (result.code === 0) {
    return;
  }
  const version = run("rustc", ["--version"], { quiet: true }).stdout.trim();
  const sysroot = run("rustc", ["--print", "sysroot"], { quiet: true }).stdout.trim();
  const rustup = /[\\/](\.rustup|rustup)[\\/]/.test(sysroot);
  const hint = rustup
    ? `rustup target add ${triple}`
    : `install it for this rustc (Debian, Ubuntu: apt install libstd-rust-dev-wasm32), or use rustup: rustup target add ${triple}`;
  missing(`the ${triple} standard library for ${version} (${sysroot}) to build the ${ctx.target} target ` +
    `(rustc said: ${firstLine(result.stderr)})`, hint);
}

/** cargo's profile for the optimization level: dev for debug, release for release and size. */
function profileEnv(ctx) {
  if (ctx.optimization === "size") {
    return {
      CARGO_PROFILE_RELEASE_OPT_LEVEL: "z",
      CARGO_PROFILE_RELEASE_LTO: "true",
      CARGO_PROFILE_RELEASE_CODEGEN_UNITS: "1",
      CARGO_PROFILE_RELEASE_STRIP: "debuginfo",
    };
  }
  // The wasm32 standard libraries carry their debug info into release builds (a 40 KB program becomes 5 MB); strip
  // it, unless the project configures its release profile itself.
  if (ctx.optimization === "release" && !/^\s*\[profile\.release\]/m.test(readFile("Cargo.toml"))) {
    return { CARGO_PROFILE_RELEASE_STRIP: "debuginfo" };
  }
  return {};
}

function cargoRun(args, env) {
  const result = run("cargo", args, { env });
  if (result.code !== 0) {
    fail(`cargo ${args[0]} exited with code ${result.code}`);
  }
}

/** The binary the wasi target builds: the only one, else default-run, else the one named like the package. */
function binaryOf(pkg) {
  const bins = pkg.targets.filter((t) => t.kind.includes("bin")).map((t) => t.name);
  if (bins.length === 0) {
    fail(`package ${pkg.name} has no binary (src/main.rs or a [[bin]]), and the wasi target builds a WASI command: ` +
      "build its library with --target wasm instead");
  }
  const chosen = bins.length === 1 ? bins[0] : bins.find((b) => b === pkg.default_run) ?? bins.find((b) => b === pkg.name);
  if (!chosen) {
    fail(`package ${pkg.name} has several binaries (${bins.join(", ")}): choose one with default-run in its [package]`);
  }
  return chosen;
}

/** The library's artifact name (cargo writes NAME_WITH_UNDERSCORES.wasm). */
function libraryOf(pkg) {
  const lib = pkg.targets.find((t) => t.kind.some((k) => ["lib", "cdylib", "rlib", "dylib", "staticlib"].includes(k)));
  if (!lib) {
    fail(`package ${pkg.name} has no library (src/lib.rs), and the wasm and web targets build it as a cdylib: ` +
      "add src/lib.rs, or build the WASI command with --target wasi");
  }
  return lib.name.replace(/-/g, "_");
}

/** The web target: wasm-bindgen's ES module glue (index.js, index_bg.wasm) and a page that loads it. */
function web(ctx, pkg, options, env, cdylib) {
  if (!pkg.dependencies.some((d) => d.name === "wasm-bindgen")) {
    fail("the web target needs the wasm-bindgen crate: add it to [dependencies] (cargo add wasm-bindgen) and mark what " +
      "the page calls with #[wasm_bindgen]");
  }
  for (const stale of ["index.html", "index.js", "index_bg.wasm"]) {
    remove(join(ctx.outputDir, stale));
  }
  if (which("wasm-bindgen")) {
    cargoRun(["rustc", "--lib", "--crate-type", "cdylib", ...options], env);
    const debugFlags = ctx.optimization === "debug" ? ["--debug", "--keep-debug"] : [];
    const result = run("wasm-bindgen", ["--target", "web", "--out-dir", ctx.outputDir, "--out-name", "index", "--no-typescript", ...debugFlags, cdylib()]);
    if (result.code !== 0) {
      fail(`wasm-bindgen exited with code ${result.code} (its version must match the wasm-bindgen crate in Cargo.lock)`);
    }
  } else {
    // wasm-pack runs cargo itself (for wasm32-unknown-unknown, into the project's target folder).
    const profile = { debug: "--dev", release: "--release", size: "--release" }[ctx.optimization];
    const result = run("wasm-pack", ["build", "--target", "web", "--out-dir", ctx.outputDir, "--out-name", "index", "--no-typescript", profile], { env });
    if (result.code !== 0) {
      fail(`wasm-pack exited with code ${result.code}`);
    }
  }
  writeFile(join(ctx.outputDir, "index.html"), page(ctx.projectName));
  return { kind: "web", html: "index.html", js: "index.js", wasm: "index_bg.wasm" };
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
  <p>Rust compiled to WebAssembly with wasm-bindgen. Its exports are <code>window.wasm</code> in the console:</p>
  <pre id="exports"></pre>
  <script type="module">
    import init, * as wasm from "./index.js";
    await init();
    window.wasm = wasm;
    document.getElementById("exports").textContent =
      Object.keys(wasm).filter((name) => name !== "default" && name !== "initSync").join("\\n");
  </script>
</body>
</html>
`;
}

function inside(path, folder) {
  const [p, f] = [normal(path), normal(folder)];
  return p === f || p.startsWith(f + "/");
}

function same(a, b) {
  return normal(a) === normal(b);
}

function normal(path) {
  return path.replace(/\\/g, "/").replace(/\/+$/, "");
}

function firstLine(text) {
  return text.split("\n").map((line) => line.trim()).find((line) => line.length > 0) ?? "no message";
}
