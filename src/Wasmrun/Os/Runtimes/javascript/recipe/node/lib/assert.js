// node:assert: ok/equal/strictEqual/deepStrictEqual/throws/rejects and friends, with AssertionError shaped like Node's.
"use strict";
const { inspect } = require("util");

class AssertionError extends Error {
  constructor(opts) {
    super(opts.message !== undefined ? String(opts.message) : `${inspect(opts.actual)} ${opts.operator} ${inspect(opts.expected)}`);
    this.name = "AssertionError";
    Object.assign(this, { generatedMessage: opts.message === undefined, code: "ERR_ASSERTION", actual: opts.actual, expected: opts.expected, operator: opts.operator });
  }
}
function fail(actual, expected, message, operator, defaultMsg) {
  if (message instanceof Error) throw message;
  const e = new AssertionError({ actual, expected, operator, message: message !== undefined ? message : defaultMsg });
  e.generatedMessage = message === undefined;
  throw e;
}

function isDeepEqual(a, b, strict, seen = new Map()) {
  if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
  if (ArrayBuffer.isView(a)) { if (a.length !== b.length) return false; for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && (strict || a[i] != b[i])) return false; }
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !isDeepEqual(v, b.get(k), strict, seen)) return false;
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    for (const v of a) if (!b.has(v) && ![...b].some((w) => isDeepEqual(v, w, strict, seen))) return false;
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !isDeepEqual(a[k], b[k], strict, seen)) return false;
  return true;
}

function matches(err, expected, message) {
  if (expected === undefined) return;
  if (typeof expected === "function") {
    if (expected.prototype !== undefined && err instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) fail(err, expected, message, "throws", `The error is expected to be an instance of "${expected.name}". Received "${err && err.constructor && err.constructor.name}"`);
    if (expected.call({}, err) === true) return;
    fail(err, expected, message, "throws", "The validation function is expected to return \"true\". Received false");
  }
  if (expected instanceof RegExp) { if (expected.test(String(err))) return; fail(err, expected, message, "throws", `The input did not match the regular expression ${expected}. Input:\n\n${inspect(String(err))}\n`); }
  if (typeof expected === "object") {
    for (const k of Object.keys(expected)) {
      const ok = expected[k] instanceof RegExp && typeof err[k] === "string" ? expected[k].test(err[k]) : isDeepEqual(err[k], expected[k], true);
      if (!ok) fail(err, expected, message, "throws", `Expected values to be strictly deep-equal:\n+ actual - expected\n\n  Comparison {\n+   ${k}: ${inspect(err[k])}\n-   ${k}: ${inspect(expected[k])}\n  }`);
    }
  }
}

function assert(value, message) { if (!value) fail(value, true, message, "==", arguments.length === 0 ? "No value argument passed to `assert.ok()`" : "The expression evaluated to a falsy value:\n\n  assert(" + inspect(value) + ")\n"); }
Object.assign(assert, {
  AssertionError,
  ok(value, message) { if (!value) fail(value, true, message, "==", arguments.length === 0 ? "No value argument passed to `assert.ok()`" : "The expression evaluated to a falsy value:\n\n  assert.ok(" + inspect(value) + ")\n"); },
  fail(message = "Failed") { fail(undefined, undefined, message, "fail"); },
  equal(a, b, m) { if (!(a == b || (a !== a && b !== b))) fail(a, b, m, "==", `${inspect(a)} == ${inspect(b)}`); },
  notEqual(a, b, m) { if (a == b || (a !== a && b !== b)) fail(a, b, m, "!=", `${inspect(a)} != ${inspect(b)}`); },
  strictEqual(a, b, m) { if (!Object.is(a, b)) fail(a, b, m, "strictEqual", `Expected values to be strictly equal:\n\n${inspect(a)} !== ${inspect(b)}\n`); },
  notStrictEqual(a, b, m) { if (Object.is(a, b)) fail(a, b, m, "notStrictEqual", `Expected "actual" to be strictly unequal to: ${inspect(b)}`); },
  deepEqual(a, b, m) { if (!isDeepEqual(a, b, false)) fail(a, b, m, "deepEqual", `Expected values to be loosely deep-equal:\n\n${inspect(a)}\n\nshould loosely deep-equal\n\n${inspect(b)}`); },
  deepStrictEqual(a, b, m) { if (!isDeepEqual(a, b, true)) fail(a, b, m, "deepStrictEqual", `Expected values to be strictly deep-equal:\n${inspect(a)}\n\nshould equal\n\n${inspect(b)}`); },
  notDeepEqual(a, b, m) { if (isDeepEqual(a, b, false)) fail(a, b, m, "notDeepEqual", `"actual" deepEqual "expected"`); },
  notDeepStrictEqual(a, b, m) { if (isDeepEqual(a, b, true)) fail(a, b, m, "notDeepStrictEqual", `Expected "actual" not to be strictly deep-equal to: ${inspect(b)}`); },
  throws(fn, expected, message) {
    if (typeof expected === "string") { message = expected; expected = undefined; }
    try { fn(); } catch (e) { matches(e, expected, message); return; }
    fail(undefined, expected, message, "throws", "Missing expected exception" + (expected && expected.name ? ` (${expected.name}).` : "."));
  },
  doesNotThrow(fn, message) { try { fn(); } catch (e) { fail(e, undefined, typeof message === "string" ? message : undefined, "doesNotThrow", `Got unwanted exception.\nActual message: "${e && e.message}"`); } },
  async rejects(p, expected, message) {
    if (typeof expected === "string") { message = expected; expected = undefined; }
    try { await (typeof p === "function" ? p() : p); } catch (e) { matches(e, expected, message); return; }
    fail(undefined, expected, message, "rejects", "Missing expected rejection" + (expected && expected.name ? ` (${expected.name}).` : "."));
  },
  async doesNotReject(p, message) { try { await (typeof p === "function" ? p() : p); } catch (e) { fail(e, undefined, message, "doesNotReject", `Got unwanted rejection.\nActual message: "${e && e.message}"`); } },
  match(s, re, m) { if (!re.test(s)) fail(s, re, m, "match", `The input did not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`); },
  doesNotMatch(s, re, m) { if (re.test(s)) fail(s, re, m, "doesNotMatch", `The input was expected to not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`); },
  ifError(v) { if (v !== null && v !== undefined) throw v instanceof Error ? v : new AssertionError({ message: `ifError got unwanted exception: ${inspect(v)}`, actual: v, operator: "ifError" }); },
});
assert.strict = assert;
module.exports = assert;
