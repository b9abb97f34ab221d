// The peer for OS mode's benchmark: runs a WASI command under node's own WASI (preview 1), as OS mode runs it under
// Wasmrun. usage: node node-wasi.mjs [--dir GUEST=HOST]... [--env K=V]... MODULE.wasm [ARGS...]
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";

const args = process.argv.slice(2);
const preopens = {};
const env = {};
while (args[0] === "--dir" || args[0] === "--env") {
  const [flag, value] = args.splice(0, 2);
  const at = value.indexOf("=");
  (flag === "--dir" ? preopens : env)[value.slice(0, at)] = value.slice(at + 1);
}
const [file, ...rest] = args;
const wasi = new WASI({ version: "preview1", args: [file, ...rest], env, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
