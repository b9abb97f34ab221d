// The ES module hooks the patched qjs calls: resolve names like Node, and give CommonJS files and built-ins an ES module facade.
"use strict";
const { resolveFilename, requireBuiltin, loadModule, isEsm, dirOf, cwd } = internal;

// default = module.exports, plus one named export per identifier key (QuickJS 2021 drops the bindings of
// `export const { a, b } = m`, hence one declaration each).
const IDENT = /^[A-Za-z_$][\w$]*$/;
function facade(id, exportsObj) {
  let src = `const m = globalThis.__wasmrunHooks.require(${JSON.stringify(id)});\nexport default m;\n`;
  for (const n of Object.keys(exportsObj || {})) if (IDENT.test(n) && n !== "default") src += `export const ${n} = m.${n};\n`;
  return src;
}

module.exports = {
  resolve(name, base) {
    if (name === "std" || name === "os") return name;
    const r = resolveFilename(name, base.startsWith("/") ? dirOf(base) : cwd(), true);
    return r.startsWith("/") && !isEsm(r) ? "cjs:" + r : r;
  },
  // undefined: qjs reads the file itself (an ES module); a string: the facade's source.
  load(name) {
    if (name.startsWith("node:")) return facade(name.slice(5), requireBuiltin(name.slice(5)));
    if (name.startsWith("cjs:")) return facade(name.slice(4), loadModule(name.slice(4), null));
    return undefined;
  },
  require: (id) => id[0] === "/" ? loadModule(id, null) : requireBuiltin(id),
};
