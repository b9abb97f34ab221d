// process.stdin: a readable that reads fd 0 to its end once 'data' or 'readable' is listened to (blocking reads; WASI has no async stdin).
"use strict";
const EventEmitter = require("events");
const { os, timers } = internal;
const { Buffer } = require("buffer");

class Stdin extends EventEmitter {
  constructor() { super(); this.fd = 0; this.isTTY = !!os.isatty(0) || undefined; this._enc = null; this._started = false; this._chunks = null; }
  setEncoding(enc) { this._enc = enc; return this; }
  on(type, fn) {
    super.on(type, fn);
    if ((type === "data" || type === "readable" || type === "end") && !this._started) { this._started = true; timers.setImmediate(() => this._pump()); }
    return this;
  }
  resume() { if (!this._started) { this._started = true; timers.setImmediate(() => this._pump()); } return this; }
  pause() { return this; }
  read() { const c = this._chunks; this._chunks = null; return c ? (this._enc ? c.toString(this._enc) : c) : null; }
  _pump() {
    const ab = new ArrayBuffer(65536);
    const n = os.read(0, ab, 0, ab.byteLength);
    if (n <= 0) { timers.setImmediate(() => { this.emit("end"); this.emit("close"); }); return; }
    const chunk = Buffer.from(ab, 0, n);
    if (this.listenerCount("readable")) { this._chunks = chunk; this.emit("readable"); }
    this.emit("data", this._enc ? chunk.toString(this._enc) : chunk);
    timers.setImmediate(() => this._pump());
  }
  [Symbol.asyncIterator]() {
    const self = this;
    let done = false;
    return { next() { if (done) return Promise.resolve({ done: true }); const ab = new ArrayBuffer(65536); const n = os.read(0, ab, 0, ab.byteLength);
      if (n <= 0) { done = true; return Promise.resolve({ done: true }); } const c = Buffer.from(ab, 0, n); return Promise.resolve({ value: self._enc ? c.toString(self._enc) : c, done: false }); },
    [Symbol.asyncIterator]() { return this; } };
  }
}
Stdin.prototype.addListener = Stdin.prototype.on;
module.exports = new Stdin();
