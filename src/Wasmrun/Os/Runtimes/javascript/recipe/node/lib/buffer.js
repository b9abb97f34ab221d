// node:buffer: Buffer as a Uint8Array subclass with the common encodings (utf8, hex, base64, base64url, latin1, ascii, utf16le).
"use strict";
const { _utf8Encode: utf8Encode, _utf8Decode: utf8Decode } = require("util");
const { invalidArgType } = require("internal_errors");
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64INV = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64INV[B64.charCodeAt(i)] = i;
B64INV[45] = 62; B64INV[95] = 63; // base64url's "-" and "_"

function normEnc(enc) {
  const e = String(enc || "utf8").toLowerCase();
  switch (e) {
    case "utf8": case "utf-8": return "utf8";
    case "hex": case "base64": case "base64url": case "ascii": case "latin1": return e;
    case "binary": return "latin1";
    case "ucs2": case "ucs-2": case "utf16le": case "utf-16le": return "utf16le";
  }
  const err = new TypeError(`Unknown encoding: ${enc}`); err.code = "ERR_UNKNOWN_ENCODING"; throw err;
}
function encode(str, enc) {
  switch (normEnc(enc)) {
    case "utf8": return utf8Encode(str);
    case "hex": { const n = str.length >> 1, out = new Uint8Array(n); let i = 0;
      for (; i < n; i++) { const v = parseInt(str.substr(i * 2, 2), 16); if (Number.isNaN(v)) break; out[i] = v; }
      return out.slice(0, i); }
    case "base64": case "base64url": {
      const out = new Uint8Array((str.length * 3) >> 2); let bits = 0, acc = 0, n = 0;
      for (let i = 0; i < str.length; i++) { const c = str.charCodeAt(i), v = c < 128 ? B64INV[c] : -1; if (v < 0) continue; acc = (acc << 6) | v; bits += 6; if (bits >= 8) { bits -= 8; out[n++] = (acc >> bits) & 255; } }
      return out.slice(0, n); }
    case "ascii": case "latin1": { const out = new Uint8Array(str.length); for (let i = 0; i < str.length; i++) out[i] = str.charCodeAt(i); return out; }
    case "utf16le": { const out = new Uint8Array(str.length * 2); for (let i = 0; i < str.length; i++) { const c = str.charCodeAt(i); out[2 * i] = c & 255; out[2 * i + 1] = c >> 8; } return out; }
  }
}
function decode(b, enc, start, end) {
  switch (normEnc(enc)) {
    case "utf8": return utf8Decode(b, start, end);
    case "hex": { let s = ""; for (let i = start; i < end; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16); return s; }
    case "base64": case "base64url": {
      const url = normEnc(enc) === "base64url", abc = url ? B64.slice(0, 62) + "-_" : B64;
      let s = "", i = start;
      for (; i + 2 < end; i += 3) { const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2]; s += abc[v >> 18] + abc[(v >> 12) & 63] + abc[(v >> 6) & 63] + abc[v & 63]; }
      if (end - i === 1) s += abc[b[i] >> 2] + abc[(b[i] & 3) << 4] + (url ? "" : "==");
      else if (end - i === 2) { const v = (b[i] << 8) | b[i + 1]; s += abc[v >> 10] + abc[(v >> 4) & 63] + abc[(v & 15) << 2] + (url ? "" : "="); }
      return s; }
    case "ascii": { let s = ""; for (let i = start; i < end; i++) s += String.fromCharCode(b[i] & 127); return s; }
    case "latin1": { let s = ""; for (let i = start; i < end; i++) s += String.fromCharCode(b[i]); return s; }
    case "utf16le": { let s = ""; for (let i = start; i + 1 < end; i += 2) s += String.fromCharCode(b[i] | (b[i + 1] << 8)); return s; }
  }
}

class Buffer extends Uint8Array {
  static from(v, encOrOffset, length) {
    if (typeof v === "string") return fromBytes(encode(v, encOrOffset));
    if (v instanceof ArrayBuffer) return new Buffer(v, encOrOffset || 0, length === undefined ? v.byteLength - (encOrOffset || 0) : length);
    if (ArrayBuffer.isView(v)) return fromBytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice());
    if (Array.isArray(v) || (v && typeof v.length === "number")) { const b = new Buffer(v.length); for (let i = 0; i < v.length; i++) b[i] = v[i]; return b; }
    if (v && v.type === "Buffer" && Array.isArray(v.data)) return Buffer.from(v.data);
    throw invalidArgType("first argument", "of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object", v);
  }
  static alloc(n, fill, enc) { const b = new Buffer(n); if (fill !== undefined && fill !== 0) b.fill(fill, 0, n, enc); return b; }
  static allocUnsafe(n) { return new Buffer(n); }
  static allocUnsafeSlow(n) { return new Buffer(n); }
  static isBuffer(b) { return b instanceof Buffer; }
  static isEncoding(e) { try { normEnc(e); return typeof e === "string"; } catch (x) { return false; } }
  static byteLength(s, enc) {
    if (typeof s !== "string") return s.byteLength;
    return normEnc(enc) === "utf8" ? utf8Encode(s).length : encode(s, enc).length;
  }
  static concat(list, total) {
    if (total === undefined) total = list.reduce((n, b) => n + b.length, 0);
    const out = Buffer.alloc(total);
    let off = 0;
    for (const b of list) { if (off >= total) break; const part = b.length > total - off ? b.subarray(0, total - off) : b; out.set(part, off); off += part.length; }
    return out;
  }
  static compare(a, b) { return a.compare(b); }
  toString(enc, start = 0, end = this.length) { start = Math.max(0, start | 0); end = Math.min(this.length, end === undefined ? this.length : end | 0); return end <= start ? "" : decode(this, enc, start, end); }
  toJSON() { return { type: "Buffer", data: Array.from(this) }; }
  equals(o) { if (!(o instanceof Uint8Array)) throw invalidArgType("otherBuffer", "an instance of Buffer or Uint8Array", o); return this.compare(o) === 0; }
  compare(o) {
    const n = Math.min(this.length, o.length);
    for (let i = 0; i < n; i++) if (this[i] !== o[i]) return this[i] < o[i] ? -1 : 1;
    return this.length === o.length ? 0 : this.length < o.length ? -1 : 1;
  }
  // Node's slice shares memory, unlike Uint8Array's.
  slice(start, end) { return this.subarray(start, end); }
  subarray(start, end) { const u = Uint8Array.prototype.subarray.call(this, start, end); return new Buffer(u.buffer, u.byteOffset, u.length); }
  write(str, offset = 0, length, enc) {
    if (typeof offset === "string") { enc = offset; offset = 0; } else if (typeof length === "string") { enc = length; length = undefined; }
    const bytes = encode(str, enc), n = Math.min(bytes.length, this.length - offset, length === undefined ? Infinity : length);
    this.set(bytes.subarray(0, n), offset);
    return n;
  }
  fill(v, start = 0, end = this.length, enc) {
    if (typeof start === "string") { enc = start; start = 0; end = this.length; }
    if (typeof v === "number") return Uint8Array.prototype.fill.call(this, v & 255, start, end);
    const bytes = typeof v === "string" ? encode(v, enc) : v;
    if (!bytes.length) return Uint8Array.prototype.fill.call(this, 0, start, end);
    for (let i = start, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
    return this;
  }
  indexOf(v, from = 0, enc) {
    if (typeof v === "number") return Uint8Array.prototype.indexOf.call(this, v, from);
    const n = typeof v === "string" ? encode(v, enc) : v;
    if (from < 0) from = Math.max(0, this.length + from);
    outer: for (let i = from; i <= this.length - n.length; i++) { for (let j = 0; j < n.length; j++) if (this[i + j] !== n[j]) continue outer; return i; }
    return -1;
  }
  includes(v, from, enc) { return this.indexOf(v, from, enc) !== -1; }
  copy(target, tStart = 0, sStart = 0, sEnd = this.length) { const part = this.subarray(sStart, sEnd).subarray(0, target.length - tStart); target.set(part, tStart); return part.length; }
  readUInt8(o = 0) { return this[o]; }
  readUInt16LE(o = 0) { return this[o] | (this[o + 1] << 8); }
  readUInt16BE(o = 0) { return (this[o] << 8) | this[o + 1]; }
  readUInt32LE(o = 0) { return new DataView(this.buffer, this.byteOffset).getUint32(o, true); }
  readUInt32BE(o = 0) { return new DataView(this.buffer, this.byteOffset).getUint32(o, false); }
  readInt32LE(o = 0) { return new DataView(this.buffer, this.byteOffset).getInt32(o, true); }
  readInt32BE(o = 0) { return new DataView(this.buffer, this.byteOffset).getInt32(o, false); }
  writeUInt8(v, o = 0) { this[o] = v; return o + 1; }
  writeUInt16LE(v, o = 0) { new DataView(this.buffer, this.byteOffset).setUint16(o, v, true); return o + 2; }
  writeUInt32LE(v, o = 0) { new DataView(this.buffer, this.byteOffset).setUint32(o, v, true); return o + 4; }
  writeUInt32BE(v, o = 0) { new DataView(this.buffer, this.byteOffset).setUint32(o, v, false); return o + 4; }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    const hex = Array.from(this.subarray(0, 50), (b) => (b < 16 ? "0" : "") + b.toString(16)).join(" ");
    return `<Buffer${hex ? " " + hex : ""}${this.length > 50 ? ` ... ${this.length - 50} more bytes` : ""}>`;
  }
}
for (const [a, b] of [["readUint8", "readUInt8"], ["readUint16LE", "readUInt16LE"], ["readUint16BE", "readUInt16BE"], ["readUint32LE", "readUInt32LE"], ["readUint32BE", "readUInt32BE"], ["writeUint8", "writeUInt8"], ["writeUint32LE", "writeUInt32LE"]])
  Buffer.prototype[a] = Buffer.prototype[b];
Buffer.poolSize = 8192;
const fromBytes = (u) => new Buffer(u.buffer, u.byteOffset, u.length);

module.exports = { Buffer, kMaxLength: 2 ** 31 - 1, constants: { MAX_LENGTH: 2 ** 31 - 1, MAX_STRING_LENGTH: 2 ** 30 - 25 },
  atob: (s) => decode(encode(s, "base64"), "latin1", 0, encode(s, "base64").length), btoa: (s) => decode(encode(s, "latin1"), "base64", 0, s.length) };
