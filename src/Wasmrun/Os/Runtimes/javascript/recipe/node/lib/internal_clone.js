// structuredClone for plain data: primitives, plain objects, arrays, Date, RegExp, Map, Set, ArrayBuffer and views, Error; keeps cycles.
"use strict";
module.exports = function structuredClone(value) {
  const seen = new Map();
  const clone = (v) => {
    if (typeof v !== "object" || v === null) {
      if (typeof v === "function" || typeof v === "symbol") { const e = new Error(`${String(v)} could not be cloned.`); e.name = "DataCloneError"; throw e; }
      return v;
    }
    if (seen.has(v)) return seen.get(v);
    let out;
    if (v instanceof Date) out = new Date(v.getTime());
    else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v)) { const C = Object.getPrototypeOf(Object.getPrototypeOf(v)) === Object.getPrototypeOf(Uint8Array) ? v.constructor : Uint8Array; out = new C(clone(v.buffer), v.byteOffset, v.length); }
    else if (v instanceof Map) { out = new Map(); seen.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
    else if (v instanceof Set) { out = new Set(); seen.set(v, out); for (const x of v) out.add(clone(x)); return out; }
    else if (v instanceof Error) { out = new (globalThis[v.name] || Error)(v.message); out.stack = v.stack; }
    else out = Array.isArray(v) ? [] : {};
    seen.set(v, out);
    if (!(v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v) || v instanceof ArrayBuffer)) for (const k of Object.keys(v)) out[k] = clone(v[k]);
    return out;
  };
  return clone(value);
};
