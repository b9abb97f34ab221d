// Uncaught exceptions and unhandled rejections, reported on stderr as Node words them.
"use strict";
const { std } = internal;
const { inspect } = require("util");

// Node shows the throwing line under "file:line"; QuickJS has no columns, so the caret stays at the start.
function sourceLine(e) {
  const m = typeof e.stack === "string" && /\((\/[^:)]+):(\d+)\)/.exec(e.stack);
  if (!m) return "";
  const src = std.loadFile(m[1]);
  const line = src === null ? null : src.split("\n")[m[2] - 1];
  return line == null ? "" : `${m[1]}:${m[2]}\n${line}\n^\n\n`;
}
function report(e) {
  // The layer's own frames (the loader under the entry) say nothing to the user.
  const text = e instanceof Error
    ? sourceLine(e) + inspect(e).replace(/\n    at [^\n]*\((?:native|\/wasmrun\/node\/[^)]*)\)(?=\n|$)/g, "")
    : "Uncaught " + inspect(e);
  std.out.flush();
  std.err.puts(text + "\n\nNode.js " + process.version + "\n");
  std.err.flush();
}
function reportRejections(pending) {
  for (const [p, reason] of pending) {
    pending.delete(p);
    if (process.listenerCount("unhandledRejection")) { internal.runMacrotask(() => process.emit("unhandledRejection", reason, p)); continue; }
    if (reason instanceof Error) { internal.fatal(reason); continue; }
    const e = new Error("This error originated either by throwing inside of an async function without a catch block, " +
      "or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"" + inspect(reason) + "\".");
    e.code = "ERR_UNHANDLED_REJECTION";
    report(e);
    internal.exit(1);
  }
}
module.exports = { report, reportRejections };
