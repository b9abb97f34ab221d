// node:events: EventEmitter with Node's semantics (once wrappers, prepend, 'error' without listener throws, newListener/removeListener).
"use strict";

function checkListener(fn) {
  if (typeof fn !== "function") {
    const e = new TypeError(`The "listener" argument must be of type function. Received ${fn === null ? "null" : typeof fn}`);
    e.code = "ERR_INVALID_ARG_TYPE";
    throw e;
  }
}

class EventEmitter {
  constructor(opts) { EventEmitter.init.call(this, opts); }
  static init() {
    if (!this._events || this._events === Object.getPrototypeOf(this)._events) { this._events = Object.create(null); this._eventsCount = 0; }
    this._maxListeners = this._maxListeners || undefined;
  }
  setMaxListeners(n) { this._maxListeners = n; return this; }
  getMaxListeners() { return this._maxListeners === undefined ? EventEmitter.defaultMaxListeners : this._maxListeners; }
  emit(type, ...args) {
    const events = this._events;
    const list = events && events[type];
    if (type === "error" && (!list || !list.length)) {
      const er = args[0];
      if (er instanceof Error) throw er;
      const e = new Error("Unhandled error." + (er === undefined ? "" : ` (${typeof er === "string" ? `'${er}'` : String(er)})`));
      e.code = "ERR_UNHANDLED_ERROR"; e.context = er;
      throw e;
    }
    if (!list || !list.length) return false;
    for (const fn of list.slice()) fn.apply(this, args);
    return true;
  }
  _add(type, fn, prepend) {
    checkListener(fn);
    if (!this._events) EventEmitter.init.call(this);
    if (this._events.newListener) this.emit("newListener", type, fn.listener ? fn.listener : fn);
    const list = this._events[type] || (this._eventsCount++, (this._events[type] = []));
    if (prepend) list.unshift(fn); else list.push(fn);
    const max = this.getMaxListeners();
    if (max > 0 && list.length > max && !list.warned) {
      list.warned = true;
      process.emitWarning(`Possible EventEmitter memory leak detected. ${list.length} ${String(type)} listeners added to ${this.constructor.name}. ` +
        "Use emitter.setMaxListeners() to increase limit");
    }
    return this;
  }
  on(type, fn) { return this._add(type, fn, false); }
  prependListener(type, fn) { return this._add(type, fn, true); }
  once(type, fn) { checkListener(fn); return this.on(type, onceWrapper(this, type, fn)); }
  prependOnceListener(type, fn) { checkListener(fn); return this.prependListener(type, onceWrapper(this, type, fn)); }
  off(type, fn) {
    checkListener(fn);
    const list = this._events && this._events[type];
    if (!list) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === fn || list[i].listener === fn) {
        list.splice(i, 1);
        if (!list.length) { delete this._events[type]; this._eventsCount--; }
        if (this._events.removeListener) this.emit("removeListener", type, fn);
        break;
      }
    }
    return this;
  }
  removeAllListeners(type) {
    if (!this._events) return this;
    if (type === undefined) { this._events = Object.create(null); this._eventsCount = 0; }
    else if (this._events[type]) { delete this._events[type]; this._eventsCount--; }
    return this;
  }
  listeners(type) { const l = this._events && this._events[type]; return l ? l.map((f) => f.listener || f) : []; }
  rawListeners(type) { const l = this._events && this._events[type]; return l ? l.slice() : []; }
  listenerCount(type, fn) {
    const l = this._events && this._events[type];
    if (!l) return 0;
    return fn ? l.filter((f) => f === fn || f.listener === fn).length : l.length;
  }
  eventNames() { return this._events ? Reflect.ownKeys(this._events) : []; }
}
EventEmitter.prototype.addListener = EventEmitter.prototype.on;
EventEmitter.prototype.removeListener = EventEmitter.prototype.off;
EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
EventEmitter.defaultMaxListeners = 10;
EventEmitter.captureRejections = false;
EventEmitter.captureRejectionSymbol = Symbol.for("nodejs.rejection");
EventEmitter.errorMonitor = Symbol("events.errorMonitor");

function onceWrapper(target, type, fn) {
  const state = { fired: false };
  const wrapped = function (...args) {
    if (state.fired) return;
    state.fired = true;
    target.off(type, wrapped);
    return fn.apply(this, args);
  };
  wrapped.listener = fn;
  return wrapped;
}

// events.once(emitter, name): a promise for the next event ('error' rejects).
EventEmitter.once = function (emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (err) => { emitter.off(name, onEvent); reject(err); };
    const onEvent = (...args) => { if (name !== "error") emitter.off("error", onError); resolve(args); };
    emitter.once(name, onEvent);
    if (name !== "error") emitter.once("error", onError);
  });
};
EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);
EventEmitter.EventEmitter = EventEmitter;
module.exports = EventEmitter;
