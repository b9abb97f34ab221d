// Built-ins WASI preview 1 cannot back (no processes, sockets or threads): they load, and their operations throw ENOSYS.
"use strict";
const { enosys } = require("internal_errors");
const EventEmitter = require("events");

const WHY = {
  child_process: "WASI preview 1 has no processes",
  cluster: "WASI preview 1 has no processes",
  worker_threads: "WASI preview 1 has no threads",
  inspector: "there is no inspector in wasmrun OS mode",
};
const OPS = {
  child_process: ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"],
  cluster: ["fork", "setupPrimary", "setupMaster", "disconnect"],
  dgram: ["createSocket"],
  dns: ["lookup", "resolve", "resolve4", "resolve6", "reverse", "lookupService"],
  http: ["createServer", "request", "get"],
  https: ["createServer", "request", "get"],
  http2: ["createServer", "createSecureServer", "connect"],
  inspector: ["open", "close", "url", "waitForDebugger"],
  net: ["createServer", "connect", "createConnection"],
  tls: ["createServer", "connect", "createSecureContext"],
  worker_threads: [],
};

module.exports = function unsupported(name) {
  const why = WHY[name] || "WASI preview 1 has no network sockets";
  const m = {};
  for (const op of OPS[name]) m[op] = function () { throw enosys(op, `${name}.${op} is not available in wasmrun OS mode: ${why}`); };
  if (name === "net") { m.isIP = (s) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s) ? 4 : /:/.test(s) ? 6 : 0; m.isIPv4 = (s) => m.isIP(s) === 4; m.isIPv6 = (s) => m.isIP(s) === 6; }
  if (name === "http" || name === "https") { m.METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]; m.STATUS_CODES = { 200: "OK", 404: "Not Found", 500: "Internal Server Error" }; }
  if (name === "worker_threads") {
    Object.assign(m, { isMainThread: true, parentPort: null, workerData: null, threadId: 0 });
    m.Worker = class Worker extends EventEmitter { constructor() { super(); throw enosys("Worker", `worker_threads.Worker is not available in wasmrun OS mode: ${why}`); } };
  }
  if (name === "child_process") m.ChildProcess = class ChildProcess extends EventEmitter {};
  if (name === "cluster") Object.assign(m, { isPrimary: true, isMaster: true, isWorker: false, workers: {} });
  return m;
};
