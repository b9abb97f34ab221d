// waspy: Python to WebAssembly with waspy (https://github.com/anistark/waspy). Target wasm: OUT/NAME.wasm, a plain
// module whose exports are the project's Python functions (and OUT/NAME.html, waspy's page for trying them).
//
// Untested: no waspy command exists to test with. waspy is a Rust library; its only command-line front end is the
// project compiler among its examples (examples/project_compiler.rs), which the install hint builds and installs as
// `waspy`. This script runs it with the command line that program reads: `waspy PROJECT_DIR OUTPUT.wasm`.
import { run, exists, readFile, writeFile, remove, join, fail } from "wasmrun";

export function build(ctx) {
  const wasm = ctx.projectName + ".wasm";
  const html = ctx.projectName + ".html";
  for (const stale of [wasm, html]) {
    remove(join(ctx.outputDir, stale));
  }
  const result = run("waspy", [ctx.projectDir, join(ctx.outputDir, wasm)]);
  if (result.code !== 0) {
    fail(`waspy exited with code ${result.code}`);
  }
  // The project compiler reports some problems (a missing folder) on stderr and still exits with 0.
  if (!exists(join(ctx.outputDir, wasm))) {
    fail(`waspy wrote no ${wasm}: ${firstLine(result.stderr + "\n" + result.stdout)}`);
  }
  return { kind: "module", wasm, files: exists(join(ctx.outputDir, html)) ? [html] : [] };
}

/** The template's `gitignore` becomes `.gitignore` (npm never publishes files named .gitignore). */
export function init() {
  if (exists("gitignore") && !exists(".gitignore")) {
    writeFile(".gitignore", readFile("gitignore"));
    remove("gitignore");
  }
}

function firstLine(text) {
  return text.split("\n").map((line) => line.trim()).find((line) => line.length > 0) ?? "it said nothing";
}
