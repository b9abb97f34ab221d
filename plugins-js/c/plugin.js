// The built-in C/C++ plugin. Targets: "wasi", the default (clang --target=wasm32-wasi with wasi-libc: a WASI command),
// "wasm" (Emscripten: NAME.wasm + NAME.js glue) and "web" (Emscripten: a page, index.html + index.js + index.wasm).
// A project with a Makefile is built by it instead: see makeBuild below.
import { run, which, exists, glob, env, fail, missing, join, remove, platform } from "wasmrun";

const FLAGS = {
  emcc: { debug: ["-O0", "-g"], release: ["-O2"], size: ["-Os"] },
  clang: { debug: ["-O0", "-g"], release: ["-O2", "-Wl,--strip-debug"], size: ["-Oz", "-Wl,--strip-debug"] },
};

const CPP = [".cc", ".cpp", ".cxx"];

export function build(ctx) {
  const makefile = ["Makefile", "makefile", "GNUmakefile"].find((name) => exists(name));
  if (makefile) {
    return makeBuild(ctx, makefile);
  }
  const sources = sourceFiles();
  if (sources.length === 0) {
    fail("no C or C++ source files at the project root or under src/");
  }
  const cpp = sources.some((file) => CPP.some((extension) => file.endsWith(extension)));
  return ctx.target === "wasi" ? clangBuild(ctx, sources, cpp) : emscriptenBuild(ctx, sources, cpp);
}

/** The project's own sources: the root and src/, never the output or build folders. */
function sourceFiles() {
  const patterns = ["*", "src/**/*"].flatMap((base) => [".c", ...CPP].map((extension) => base + extension));
  return [...new Set(patterns.flatMap((pattern) => glob(pattern)))].sort();
}

function emscriptenBuild(ctx, sources, cpp) {
  const web = ctx.target === "web";
  const stem = web ? "index" : ctx.projectName;
  const out = join(ctx.outputDir, stem + (web ? ".html" : ".js"));
  for (const stale of [".html", ".js", ".wasm"]) {
    remove(join(ctx.outputDir, stem + stale));
  }
  const args = [...FLAGS.emcc[ctx.optimization], ...sources, "-o", out, "-lm"];
  if (web) {
    // Debian's Emscripten 3.1.6 cannot minify HTML offline.
    args.push("-sMINIFY_HTML=0");
  }
  // Debian's Emscripten finds its JS dependencies (acorn) only through NODE_PATH: the user's (programs get it, as
  // granted), or else Debian's folder for them.
  const nodeEnv = env("NODE_PATH") === null && platform.os === "linux" ? { NODE_PATH: "/usr/share/nodejs" } : {};
  const result = run(cpp ? "em++" : "emcc", args, { env: nodeEnv });
  if (result.code !== 0) {
    fail(`${cpp ? "em++" : "emcc"} exited with code ${result.code}`);
  }
  return web
    ? { kind: "web", html: "index.html", js: "index.js", wasm: "index.wasm" }
    : { kind: "module", wasm: stem + ".wasm", js: stem + ".js" };
}

function clangBuild(ctx, sources, cpp) {
  const compiler = cpp ? (which("clang++") ? "clang++" : "clang++-14") : which("clang") ? "clang" : "clang-14";
  if (cpp) {
    requireLibcxx(compiler);
  }
  const wasm = ctx.projectName + ".wasm";
  // There is no exception runtime for wasm32-wasi (clang 14 cannot unwind in WebAssembly), and libc++'s own headers
  // throw (std::vector's length_error): without -fno-exceptions even code that never throws fails to link on an
  // undefined __cxa_throw. With it, libc++ aborts instead, and a `throw` in the project is an error at its line.
  const language = cpp ? ["-fno-exceptions"] : [];
  const result = run(compiler, ["--target=wasm32-wasi", ...language, ...FLAGS.clang[ctx.optimization], ...sources, "-o", join(ctx.outputDir, wasm), "-lm"]);
  if (result.code !== 0) {
    fail(`${compiler} exited with code ${result.code}`);
  }
  return { kind: "wasi", wasm };
}

/**
 * C++ for WASI needs libc++ built for wasm32-wasi, which wasi-libc does not bring: without it clang stops at the first
 * `#include <cstdio>` as if the project's code were wrong. clang prints a library's bare name when its search path
 * has no such file.
 */
function requireLibcxx(compiler) {
  const found = run(compiler, ["--target=wasm32-wasi", "-print-file-name=libc++.a"], { quiet: true }).stdout.trim();
  if (found === "libc++.a" || found === "") {
    missing("the C++ standard library for wasm32-wasi (libc++) to build C++ for target wasi",
      "install it: apt install libc++-14-dev-wasm32 libc++abi-14-dev-wasm32 (Debian, Ubuntu; the version of your clang), or use wasi-sdk (https://github.com/WebAssembly/wasi-sdk)");
  }
}

/**
 * The project's Makefile builds it: make is called with OUT (the output folder), NAME (the project name), TARGET
 * (wasm, wasi or web) and OPT (the optimization flags), and must write OUT/NAME.wasm (and OUT/NAME.js or
 * OUT/index.html when it makes them).
 */
function makeBuild(ctx, makefile) {
  if (!which("make")) {
    missing(`make (the project has a ${makefile})`, "install make: apt install make");
  }
  const wasm = join(ctx.outputDir, ctx.projectName + ".wasm");
  remove(wasm);
  const compiler = ctx.target === "wasi" ? FLAGS.clang : FLAGS.emcc;
  const result = run("make", [
    `OUT=${ctx.outputDir}`,
    `NAME=${ctx.projectName}`,
    `TARGET=${ctx.target}`,
    `OPT=${compiler[ctx.optimization].join(" ")}`,
  ]);
  if (result.code !== 0) {
    fail(`make exited with code ${result.code}`);
  }
  if (!exists(wasm)) {
    fail(`the ${makefile} ran, but wrote no $(OUT)/$(NAME).wasm (${wasm}); see docs/plugins.md`);
  }
  const js = join(ctx.outputDir, ctx.projectName + ".js");
  const html = join(ctx.outputDir, "index.html");
  return { wasm, js: exists(js) ? js : undefined, html: exists(html) ? html : undefined };
}
