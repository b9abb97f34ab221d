// node:module: createRequire and the list of built-ins.
"use strict";
const { Module, makeRequire, resolveFilename } = internal;
function createRequire(from) {
  let file = typeof from === "string" ? from : from && from.href;
  if (file.startsWith("file://")) file = decodeURIComponent(file.slice(7));
  const m = new Module(file.endsWith("/") ? file + "noop.js" : file, null);
  return makeRequire(m);
}
Module.createRequire = createRequire;
Module.builtinModules = ["assert", "buffer", "child_process", "cluster", "dgram", "dns", "events", "fs", "fs/promises", "http", "http2", "https",
  "inspector", "module", "net", "os", "path", "path/posix", "process", "timers", "timers/promises", "tls", "tty", "url", "util", "util/types", "worker_threads"];
Module.isBuiltin = (n) => Module.builtinModules.includes(n.replace(/^node:/, ""));
Module._cache = internal.moduleCache;
Module._resolveFilename = (req, parent) => resolveFilename(req, parent ? parent.path : process.cwd(), false);
Module.Module = Module;
module.exports = Module;
