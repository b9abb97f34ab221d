// {{name}}: a WebAssembly program in AssemblyScript.
//   wasmrun compile                          builds dist/{{projectName}}.wasm, a WASI command (with @assemblyscript/wasi-shim)
//   wasmrun exec dist/{{projectName}}.wasm Ada       runs it
//   wasmrun compile --target wasm            builds a plain module instead, with ES module bindings (dist/{{projectName}}.js)

// Exported too, so a page or `wasmrun exec --invoke` can call it.
export function add(a: i32, b: i32): i32 {
  return a + b;
}

export function greeting(who: string): string {
  return `Hello, ${who}, from {{name}}! 2 + 3 = ${add(2, 3)}`;
}

// The command: top-level code runs in _start. The WASI shim defines ASC_WASI; a plain module has no process.
if (isDefined(ASC_WASI)) {
  const who = process.argv.length > 1 ? process.argv[1] : "world";
  console.log(greeting(who));
  if (who == "error") process.exit(1);
}
