// Boots the Node-compatible layer on QuickJS: globals, process, console, the event loop, CommonJS and ES module loading; then runs the entry.
// Run as: qjs --std /wasmrun/node/main.js ENTRY [ARGS...]. Built-in modules live in lib/ and load on first require.
"use strict";
(function (g) {
  const std = g.std, os = g.os, scriptArgs = g.scriptArgs;
  // Node programs see none of QuickJS's own globals; the layer keeps them in this closure.
  delete g.std; delete g.os; delete g.scriptArgs; delete g.print;
  const HERE = scriptArgs[0].slice(0, scriptArgs[0].lastIndexOf("/"));
  const LIB = HERE + "/lib/";
  // Loaded as main.qbc (the runtime as built): the built-ins are compiled too (compile-layer.js), and their bytecode
  // loads several times faster than their source parses.
  const COMPILED = scriptArgs[0].endsWith(".qbc");

  // --- language polyfills for QuickJS 2021 (ES2020): small and spec-shaped, defined non-enumerable ---
  const def = (o, k, v) => { if (!(k in o)) Object.defineProperty(o, k, { value: v, writable: true, configurable: true }); };
  function at(i) { const n = this.length; i = Math.trunc(i) || 0; if (i < 0) i += n; return i < 0 || i >= n ? undefined : this[i]; }
  function findLast(f, t) { for (let i = this.length - 1; i >= 0; i--) if (f.call(t, this[i], i, this)) return this[i]; }
  function findLastIndex(f, t) { for (let i = this.length - 1; i >= 0; i--) if (f.call(t, this[i], i, this)) return i; return -1; }
  const TypedArray = Object.getPrototypeOf(Uint8Array);
  for (const C of [Array, String, TypedArray]) def(C.prototype, "at", at);
  for (const C of [Array, TypedArray]) { def(C.prototype, "findLast", findLast); def(C.prototype, "findLastIndex", findLastIndex); }
  def(Object, "hasOwn", (o, k) => Object.prototype.hasOwnProperty.call(o, k));

  // Globals whose code is loaded on first use, so a hello world parses none of it.
  function lazyGlobal(name, get) {
    Object.defineProperty(g, name, {
      configurable: true, enumerable: false,
      get() { const v = get(); Object.defineProperty(g, name, { value: v, writable: true, configurable: true }); return v; },
      set(v) { Object.defineProperty(g, name, { value: v, writable: true, configurable: true }); },
    });
  }

  // --- CommonJS ---
  const BUILTINS = new Set(["assert", "buffer", "child_process", "cluster", "dgram", "dns", "events", "fs", "fs/promises",
    "http", "http2", "https", "inspector", "module", "net", "os", "path", "path/posix", "process", "timers", "timers/promises", "tls",
    "tty", "url", "util", "util/types", "worker_threads"]);
  const builtinCache = new Map();
  const moduleCache = Object.create(null);
  const internal = { std, os, requireBuiltin, fatal, nextTick, runMacrotask, loopAlive: () => loopAlive(),
    fsError: (...a) => requireBuiltin("internal_errors").fsError(...a), enosys: (...a) => requireBuiltin("internal_errors").enosys(...a) };
  // Modules WASI preview 1 cannot back: requiring them works, their operations throw ENOSYS.
  const UNSUPPORTED = new Set(["child_process", "cluster", "dgram", "dns", "http", "http2", "https", "inspector", "net", "tls", "worker_threads"]);

  function requireBuiltin(name) {
    let m = builtinCache.get(name);
    if (m) return m.exports;
    m = { exports: {} };
    builtinCache.set(name, m);
    if (UNSUPPORTED.has(name)) return (m.exports = requireBuiltin("internal_unsupported")(name));
    const file = LIB + name.replace("/", "_") + ".js";
    const wrapper = COMPILED ? std.evalBytecode(file.slice(0, -3) + ".qbc") : compile(std.loadFile(file), file);
    wrapper(m.exports, requireBuiltin, m, file, LIB, internal);
    return m.exports;
  }
  function compile(src, file) {
    if (src === null) throw codeError(`Cannot find module '${file}'`, "MODULE_NOT_FOUND");
    // The wrapper shares the first line with the source, so line numbers in stacks stay true.
    return std.evalScript("(function (exports, require, module, __filename, __dirname, internal) {" + src.replace(/^#!.*/, "") + "\n})",
      { filename: file });
  }
  function codeError(msg, code) { const e = new Error(msg); e.code = code; return e; }

  const statKind = (p) => { const [st, err] = os.stat(p); return err ? 0 : (st.mode & os.S_IFMT) === os.S_IFDIR ? 2 : 1; };
  function normalize(p) {
    const out = [];
    for (const s of p.split("/")) { if (s === "" || s === ".") continue; if (s === "..") out.pop(); else out.push(s); }
    return "/" + out.join("/");
  }
  const dirOf = (f) => f.slice(0, f.lastIndexOf("/")) || "/";
  const cwd = () => os.getcwd()[0] || "/";
  const readJson = (f) => { try { return JSON.parse(std.loadFile(f)); } catch (e) { return null; } };

  function asFile(p) {
    if (statKind(p) === 1) return p;
    for (const ext of [".js", ".json", ".mjs", ".cjs"]) if (statKind(p + ext) === 1) return p + ext;
    return null;
  }
  function asDir(p) {
    const pkg = statKind(p + "/package.json") === 1 && readJson(p + "/package.json");
    if (pkg && typeof pkg.main === "string") { const m = normalize(p + "/" + pkg.main); const r = asFile(m) || asIndex(m); if (r) return r; }
    return asIndex(p);
  }
  const asIndex = (p) => { for (const n of ["/index.js", "/index.json", "/index.mjs"]) if (statKind(p + n) === 1) return p + n; return null; };
  // Package "exports": the string form and the "." entry with import/require/node/default conditions.
  function viaExports(dir, sub, esm) {
    const pkg = statKind(dir + "/package.json") === 1 && readJson(dir + "/package.json");
    if (!pkg || pkg.exports == null) return null;
    let e = pkg.exports;
    if (typeof e === "object" && !Array.isArray(e) && Object.keys(e).some((k) => k[0] === ".")) e = e[sub === "" ? "." : "." + sub];
    else if (sub !== "") return null;
    const pick = (v) => typeof v === "string" ? v : Array.isArray(v) ? pick(v[0]) : v && typeof v === "object"
      ? pick(v[esm ? "import" : "require"] ?? v.node ?? v.default) : null;
    const t = pick(e);
    return t ? asFile(normalize(dir + "/" + t)) : null;
  }
  function resolveFilename(req, fromDir, esm) {
    if (req.startsWith("node:")) { if (BUILTINS.has(req.slice(5))) return req; throw codeError(`No such built-in module: ${req}`, "ERR_UNKNOWN_BUILTIN_MODULE"); }
    if (BUILTINS.has(req)) return "node:" + req;
    if (req.startsWith("file://")) req = decodeURIComponent(req.slice(7));
    if (req[0] === "/" || req.startsWith("./") || req.startsWith("../") || req === "." || req === "..") {
      const p = normalize(req[0] === "/" ? req : fromDir + "/" + req);
      const r = asFile(p) || asDir(p);
      if (r) return r;
    } else {
      const parts = req.split("/"), n = req[0] === "@" ? 2 : 1;
      const name = parts.slice(0, n).join("/"), sub = parts.length > n ? "/" + parts.slice(n).join("/") : "";
      for (let d = fromDir; ; d = dirOf(d)) {
        if (!d.endsWith("/node_modules")) {
          const dir = (d === "/" ? "" : d) + "/node_modules/" + name;
          if (statKind(dir) === 2) { const r = viaExports(dir, sub, esm) || asFile(dir + sub) || asDir(dir + sub); if (r) return r; }
        }
        if (d === "/") break;
      }
    }
    const e = codeError(`Cannot find module '${req}'\nRequire stack:\n- ${fromDir}`, "MODULE_NOT_FOUND");
    throw e;
  }

  class Module {
    constructor(id, parent) { this.id = id; this.filename = id; this.path = dirOf(id); this.exports = {}; this.parent = parent; this.loaded = false; this.children = []; this.paths = []; }
    require(req) { return loadModule(resolveFilename(req, this.path, false), this); }
  }
  function makeRequire(mod) {
    const require = (req) => mod.require(req);
    require.resolve = (req) => { const r = resolveFilename(req, mod.path, false); return r.startsWith("node:") ? r.slice(5) : r; };
    require.cache = moduleCache;
    require.main = mainModule;
    return require;
  }
  let mainModule;
  function loadModule(file, parent) {
    if (file.startsWith("node:")) return requireBuiltin(file.slice(5));
    const cached = moduleCache[file];
    if (cached) return cached.exports;
    if (file.endsWith(".mjs")) throw codeError(`require() of ES Module ${file} not supported.`, "ERR_REQUIRE_ESM");
    const mod = new Module(file, parent || null);
    if (!parent) mainModule = mod;
    else parent.children.push(mod);
    moduleCache[file] = mod;
    try {
      const src = std.loadFile(file);
      if (file.endsWith(".json")) {
        try { mod.exports = JSON.parse(src); } catch (e) { e.message = file + ": " + e.message; throw e; }
      } else {
        compile(src, file).call(mod.exports, mod.exports, makeRequire(mod), mod, file, mod.path);
      }
    } catch (e) { delete moduleCache[file]; throw e; }
    mod.loaded = true;
    return mod.exports;
  }
  internal.Module = Module; internal.makeRequire = makeRequire; internal.moduleCache = moduleCache;
  internal.resolveFilename = resolveFilename; internal.loadModule = loadModule;

  // --- ES modules, through the module hooks of the patched qjs ---
  function isEsm(file) {
    if (file.endsWith(".mjs")) return true;
    if (!file.endsWith(".js")) return false;
    for (let d = dirOf(file); ; d = dirOf(d)) {
      if (statKind(d + "/package.json") === 1) { const p = readJson(d + "/package.json"); return !!p && p.type === "module"; }
      if (d === "/" || d.endsWith("/node_modules")) return false;
    }
  }
  internal.isEsm = isEsm; internal.dirOf = dirOf; internal.cwd = cwd;
  // Resolving and loading for import goes to lib/internal_esm.js, read on the first import only.
  const esm = () => requireBuiltin("internal_esm");
  Object.defineProperty(g, "__wasmrunHooks", {
    enumerable: false,
    value: Object.freeze({
      get resolve() { return esm().resolve; },
      get load() { return esm().load; },
      get require() { return esm().require; },
      rejection(promise, reason, handled) {
        if (handled) pendingRejections.delete(promise); else { pendingRejections.set(promise, reason); arm(0); }
      },
    }),
  });

  // --- the event loop: Node's order on top of QuickJS's timer loop ---
  // QuickJS runs all promise jobs, then one due os.setTimeout callback, and repeats. Every macrotask here
  // (a timer, an immediate, a round of nextTicks) is one such callback, so promise jobs run after each.
  const ticks = [];
  const timers = [];                  // sorted by (_when, _id)
  const timersById = new Map();
  let immediates = [];
  const pendingRejections = new Map();
  let loopNow = Number(os.hrtime()) / 1e6;
  let timerSeq = 0, phase = 0, checkQueue = null, armed = null, armedAt = Infinity, exiting = false, waking = false, idle = false;
  const nowMs = () => Number(os.hrtime()) / 1e6;

  function arm(at) {
    if (armed !== null) { if (at >= armedAt) return; os.clearTimeout(armed); }
    armedAt = at;
    armed = os.setTimeout(pump, at <= 0 ? 0 : Math.max(0, Math.ceil(at - nowMs())));
  }
  function nextTick(fn, ...args) {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
    ticks.push([fn, args]);
    if (!inTicks) arm(0);
  }
  let inTicks = false;
  function runTicks() {
    inTicks = true;
    try {
      while (ticks.length) {
        const [fn, args] = ticks.shift();
        try { fn(...args); } catch (e) { fatal(e); }
      }
    } finally { inTicks = false; }
  }
  function runMacrotask(fn, self, args) {
    try { fn.apply(self, args); } catch (e) { fatal(e); }
    runTicks();
  }
  function pump() {
    armed = null; armedAt = Infinity;
    const confirmIdle = idle;
    idle = false;
    if (waking) { waking = false; loopNow = nowMs(); }
    if (ticks.length) runTicks();
    else if (pendingRejections.size) reportRejections();
    else if (phase === 0) {
      const t = timers[0];
      if (t && t._when <= loopNow) {
        removeTimer(t);
        if (t._repeat) { t._when = nowMs() + t._ms; insertTimer(t); } else timersById.delete(t._id);
        runMacrotask(t._fn, t, t._args);
      } else { phase = 1; checkQueue = immediates; immediates = []; }
    }
    if (phase === 1 && armed === null && !ticks.length && !pendingRejections.size) {
      const im = checkQueue.shift();
      if (im) { im._queued = false; runMacrotask(im._fn, im, im._args); }
      if (!checkQueue.length) { phase = 0; loopNow = nowMs(); }
    }
    if (armed === null) reschedule(confirmIdle);
  }
  function reschedule(confirmIdle) {
    if (ticks.length || pendingRejections.size || phase === 1 || immediates.length) return arm(0);
    if (timers.length && timers[0]._when <= loopNow) return arm(0);
    if (timers.some((t) => t._ref)) { phase = 0; waking = true; return arm(timers[0]._when); }
    if (immediates.length) return arm(0);
    // Nothing queued here, but the callback just run may have resolved promises whose jobs schedule more:
    // QuickJS runs those jobs before the next pump, which then confirms the loop is empty.
    if (!confirmIdle) { idle = true; return arm(0); }
    finish();
  }
  function loopAlive() { return ticks.length > 0 || immediates.some((i) => i._ref) || timers.some((t) => t._ref); }
  function finish() {
    if (!process.listenerCount("beforeExit")) return exit(process.exitCode | 0);
    runMacrotask(() => process.emit("beforeExit", process.exitCode | 0));
    if (armed !== null) return;
    // Promise jobs from the handler run before this check; only new loop work keeps the process alive.
    armedAt = 0;
    armed = os.setTimeout(() => { armed = null; armedAt = Infinity; if (loopAlive() || pendingRejections.size) reschedule(); else exit(process.exitCode | 0); }, 0);
  }

  function insertTimer(t) {
    let lo = 0, hi = timers.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (timers[mid]._when <= t._when) lo = mid + 1; else hi = mid; }
    timers.splice(lo, 0, t);
  }
  function removeTimer(t) { const i = timers.indexOf(t); if (i >= 0) timers.splice(i, 1); }
  class Timeout {
    constructor(fn, ms, args, repeat) {
      ms = Number(ms);
      if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
      this._fn = fn; this._ms = ms; this._args = args; this._repeat = repeat; this._ref = true; this._id = ++timerSeq;
      this._when = loopNow + ms;
      insertTimer(this); timersById.set(this._id, this);
      arm(this._when);
    }
    ref() { this._ref = true; return this; }
    unref() { this._ref = false; return this; }
    hasRef() { return this._ref; }
    refresh() { if (timersById.has(this._id)) { removeTimer(this); this._when = nowMs() + this._ms; insertTimer(this); } return this; }
    close() { clearTimer(this); return this; }
    [Symbol.toPrimitive]() { return this._id; }
  }
  function clearTimer(t) {
    if (typeof t === "number" || typeof t === "string") t = timersById.get(Number(t));
    if (t instanceof Timeout && timersById.delete(t._id)) removeTimer(t);
  }
  class Immediate {
    constructor(fn, args) { this._fn = fn; this._args = args; this._ref = true; this._queued = true; immediates.push(this); arm(0); }
    ref() { this._ref = true; return this; }
    unref() { this._ref = false; return this; }
    hasRef() { return this._ref; }
  }
  const checkFn = (fn) => { if (typeof fn !== "function") { const e = new TypeError(`The "callback" argument must be of type function. Received ${fn === undefined ? "undefined" : typeof fn}`); e.code = "ERR_INVALID_ARG_TYPE"; throw e; } };
  const timerApi = {
    setTimeout(fn, ms, ...args) { checkFn(fn); return new Timeout(fn, ms, args, false); },
    setInterval(fn, ms, ...args) { checkFn(fn); return new Timeout(fn, ms, args, true); },
    setImmediate(fn, ...args) { checkFn(fn); return new Immediate(fn, args); },
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    clearImmediate(im) {
      if (!(im instanceof Immediate) || !im._queued) return;
      im._queued = false;
      for (const q of [immediates, checkQueue || []]) { const i = q.indexOf(im); if (i >= 0) q.splice(i, 1); }
    },
  };
  Object.assign(g, timerApi);
  g.queueMicrotask = (fn) => { checkFn(fn); Promise.resolve().then(() => { try { fn(); } catch (e) { fatal(e); } }); };
  internal.timers = timerApi;

  // --- process ---
  const env = std.getenviron();
  const entryArg = scriptArgs[1];
  let emitter = null;
  const events = () => emitter || (emitter = new (requireBuiltin("events"))());
  const write = (f) => (chunk, enc, cb) => {
    if (typeof chunk === "string") f.puts(chunk);
    else if (chunk instanceof Uint8Array) f.write(chunk.buffer, chunk.byteOffset, chunk.length);
    else { const e = new TypeError('The "chunk" argument must be of type string or an instance of Buffer or Uint8Array'); e.code = "ERR_INVALID_ARG_TYPE"; throw e; }
    f.flush();
    const done = typeof enc === "function" ? enc : cb;
    if (done) nextTick(done);
    return true;
  };
  const stream = (f, fd) => ({
    fd, write: write(f), isTTY: os.isatty(fd) || undefined, writable: true, columns: 80,
    end(chunk, enc, cb) { if (chunk != null && typeof chunk !== "function") this.write(chunk, enc, cb); return this; },
    on() { return this; }, once() { return this; }, off() { return this; }, removeListener() { return this; }, emit() { return false; },
    cork() {}, uncork() {}, getColorDepth: () => 1, hasColors: () => false,
  });
  const process = {
    title: "node", version: "v20.0.0", arch: "wasm32", platform: "wasi", pid: 1, ppid: 0, execPath: "/usr/bin/node",
    versions: { node: "20.0.0", quickjs: "2021-03-27", modules: "115", v8: "0.0" },
    release: { name: "node" }, features: {}, config: { variables: {} },
    argv: ["/usr/bin/node"].concat(entryArg ? [null] : [], scriptArgs.slice(2)), argv0: "node", execArgv: [],
    env, exitCode: undefined,
    cwd,
    chdir(d) {
      const err = os.chdir(String(d));
      if (err) throw internal.fsError(-err, "chdir", String(d));
    },
    exit(code) {
      if (code !== undefined) process.exitCode = code;
      exit(process.exitCode | 0);
    },
    abort() { std.exit(134); },
    nextTick,
    hrtime: Object.assign((prev) => {
      const t = os.hrtime();
      let s = Number(t / 1000000000n), ns = Number(t % 1000000000n);
      if (prev) { s -= prev[0]; ns -= prev[1]; if (ns < 0) { s--; ns += 1e9; } }
      return [s, ns];
    }, { bigint: () => os.hrtime() }),
    uptime: () => (Number(os.hrtime()) / 1e6 - startMs) / 1000,
    memoryUsage: Object.assign(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => 0 }),
    cpuUsage: () => ({ user: 0, system: 0 }),
    umask: () => 0o22, getuid: () => 0, getgid: () => 0, geteuid: () => 0, getegid: () => 0,
    kill() { throw internal.enosys("kill"); },
    emitWarning(w) { std.err.puts(`(node:1) ${typeof w === "string" ? "Warning: " + w : w.name + ": " + w.message}\n`); },
    listenerCount: (n) => emitter ? emitter.listenerCount(n) : 0,
    emit: (n, ...a) => emitter ? emitter.emit(n, ...a) : false,
    stdout: stream(std.out, 1), stderr: stream(std.err, 2),
  };
  const startMs = Number(os.hrtime()) / 1e6;
  for (const m of ["on", "addListener", "once", "off", "removeListener", "removeAllListeners", "prependListener",
    "prependOnceListener", "listeners", "rawListeners", "eventNames", "setMaxListeners", "getMaxListeners"]) {
    process[m] = function (...a) { const r = events()[m](...a); return r === emitter ? process : r; };
  }
  Object.defineProperty(process, "stdin", { configurable: true, enumerable: true, get() {
    const s = requireBuiltin("internal_stdin");
    Object.defineProperty(process, "stdin", { value: s, configurable: true, enumerable: true });
    return s;
  } });
  g.process = process;
  g.global = g;
  lazyGlobal("Buffer", () => requireBuiltin("buffer").Buffer);
  lazyGlobal("TextEncoder", () => requireBuiltin("util").TextEncoder);
  lazyGlobal("TextDecoder", () => requireBuiltin("util").TextDecoder);
  lazyGlobal("structuredClone", () => requireBuiltin("internal_clone"));
  lazyGlobal("URL", () => requireBuiltin("url").URL);
  lazyGlobal("URLSearchParams", () => requireBuiltin("url").URLSearchParams);

  // --- console: plain strings go straight out; anything else goes through util.format ---
  const format = (args) => {
    if (args.every((a) => typeof a === "string") && !(args.length && args[0].includes("%"))) return args.join(" ");
    return requireBuiltin("util").format(...args);
  };
  let indent = "";
  const out = (f) => (...args) => { let s = format(args); if (indent) s = indent + s.split("\n").join("\n" + indent); f.puts(s + "\n"); f.flush(); };
  const log = out(std.out), err = out(std.err);
  g.console = { log, info: log, debug: log, error: err, warn: err };
  // The rest of console (dir, trace, group, count, time, table, assert) loads on first use.
  for (const m of ["dir", "trace", "table", "assert", "group", "groupCollapsed", "groupEnd", "count", "countReset", "time", "timeLog", "timeEnd"])
    g.console[m] = (...a) => requireBuiltin("internal_console")[m](...a);
  internal.format = format; internal.log = log; internal.err = err; internal.indent = (d) => { indent = d < 0 ? indent.slice(2) : indent + "  "; };

  // --- fatal errors and exit, worded like Node's ---
  function exit(code) {
    if (!exiting) {
      exiting = true;
      process.exitCode = code;
      try { process.emit("exit", code); } catch (e) { report(e); code = 7; }
      code = process.exitCode | 0;
    }
    std.out.flush(); std.err.flush();
    std.exit(code);
  }
  const report = (e) => requireBuiltin("internal_report").report(e);
  function fatal(e) {
    if (exiting) { report(e); std.exit(7); }
    if (process.listenerCount("uncaughtException")) { process.emit("uncaughtException", e, "uncaughtException"); return; }
    report(e);
    exit(1);
  }
  const reportRejections = () => requireBuiltin("internal_report").reportRejections(pendingRejections);
  internal.exit = (c) => exit(c);

  // --- run the entry ---
  if (!entryArg) { std.err.puts("usage: qjs --std " + scriptArgs[0] + " ENTRY [ARGS...]\n"); std.exit(9); }
  let entry;
  try { entry = resolveFilename(entryArg[0] === "/" ? entryArg : "./" + entryArg, cwd(), false); }
  catch (e) { e.message = `Cannot find module '${normalize(entryArg[0] === "/" ? entryArg : cwd() + "/" + entryArg)}'`; report(e); std.exit(1); }
  process.argv[1] = entry;
  process.mainModule = undefined;
  if (isEsm(entry)) {
    import(entry).catch((e) => fatal(e));
  } else {
    try { loadModule(entry, null); process.mainModule = mainModule; } catch (e) { fatal(e); }
  }
  runTicks();
  if (armed === null) arm(0);
})(globalThis);
