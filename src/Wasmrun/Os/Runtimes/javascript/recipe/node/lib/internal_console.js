// The less used console methods; log/info/debug/error/warn are defined in main.js.
"use strict";
const { format, log, err, indent } = internal;
const counts = new Map(), times = new Map();
const nowMs = () => Number(internal.os.hrtime()) / 1e6;
const elapsed = (l) => `${l}: ${(nowMs() - times.get(l)).toFixed(3)}ms`;
module.exports = {
  dir: (o, opts) => log(require("util").inspect(o, opts)),
  trace: (...a) => err(new Error(format(a)).stack.replace(/^Error/, "Trace")),
  table: (d) => log(d),
  assert: (v, ...a) => { if (!v) err(a.length ? "Assertion failed: " + format(a) : "Assertion failed"); },
  group: (...a) => { if (a.length) log(...a); indent(1); },
  groupCollapsed: (...a) => { if (a.length) log(...a); indent(1); },
  groupEnd: () => indent(-1),
  count: (l = "default") => { counts.set(l, (counts.get(l) || 0) + 1); log(`${l}: ${counts.get(l)}`); },
  countReset: (l = "default") => counts.delete(l),
  time: (l = "default") => times.set(l, nowMs()),
  timeLog: (l = "default", ...a) => log(elapsed(l), ...a),
  timeEnd: (l = "default") => { log(elapsed(l)); times.delete(l); },
};
