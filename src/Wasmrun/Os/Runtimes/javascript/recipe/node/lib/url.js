// node:url: file URL helpers and a small WHATWG URL for absolute URLs (QuickJS 2021 has no URL class).
"use strict";
const enc = (p) => encodeURI(p).replace(/[?#]/g, encodeURIComponent);
class URLSearchParams {
  constructor(init = "") {
    this._list = [];
    if (typeof init === "string") { for (const part of init.replace(/^\?/, "").split("&")) if (part) { const i = part.indexOf("="); const d = (s) => decodeURIComponent(s.replace(/\+/g, " ")); this._list.push(i < 0 ? [d(part), ""] : [d(part.slice(0, i)), d(part.slice(i + 1))]); } }
    else if (init) for (const [k, v] of Array.isArray(init) ? init : Object.entries(init)) this._list.push([String(k), String(v)]);
  }
  get(k) { const e = this._list.find((x) => x[0] === k); return e ? e[1] : null; }
  getAll(k) { return this._list.filter((x) => x[0] === k).map((x) => x[1]); }
  has(k) { return this._list.some((x) => x[0] === k); }
  set(k, v) { const i = this._list.findIndex((x) => x[0] === k); this.delete(k); this._list.splice(i < 0 ? this._list.length : i, 0, [k, String(v)]); }
  append(k, v) { this._list.push([k, String(v)]); }
  delete(k) { this._list = this._list.filter((x) => x[0] !== k); }
  forEach(fn) { for (const [k, v] of this._list) fn(v, k, this); }
  entries() { return this._list.map((x) => x.slice())[Symbol.iterator](); }
  keys() { return this._list.map((x) => x[0])[Symbol.iterator](); }
  values() { return this._list.map((x) => x[1])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  toString() { const e = (s) => encodeURIComponent(s).replace(/%20/g, "+"); return this._list.map(([k, v]) => `${e(k)}=${e(v)}`).join("&"); }
}
class URL {
  constructor(input, base) {
    input = String(input);
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#]*)(?::(\d+))?)?([^?#]*)(\?[^#]*)?(#.*)?$/.exec(input);
    if (!m) {
      if (base === undefined) { const e = new TypeError("Invalid URL"); e.code = "ERR_INVALID_URL"; e.input = input; throw e; }
      const b = new URL(base);
      const path = input.startsWith("/") ? input : b.pathname.replace(/[^/]*$/, "") + input;
      return new URL(`${b.protocol}//${b.host}${require("path").posix.normalize(path.replace(/[?#].*$/, "")).replace(/^\.$/, "/")}${input.match(/[?#].*$/) || ""}`);
    }
    this.protocol = m[1].toLowerCase(); this.username = m[2] || ""; this.password = m[3] || "";
    this.hostname = (m[4] || "").toLowerCase(); this.port = m[5] || "";
    this.pathname = m[6] || (m[4] !== undefined ? "/" : ""); this.search = m[7] && m[7] !== "?" ? m[7] : ""; this.hash = m[8] && m[8] !== "#" ? m[8] : "";
    this.searchParams = new URLSearchParams(this.search);
  }
  get host() { return this.hostname + (this.port ? ":" + this.port : ""); }
  get origin() { return this.protocol === "file:" ? "null" : `${this.protocol}//${this.host}`; }
  get href() { const auth = this.username ? `${this.username}${this.password ? ":" + this.password : ""}@` : ""; return `${this.protocol}${this.hostname || this.protocol === "file:" ? "//" : ""}${auth}${this.host}${this.pathname}${this.search}${this.hash}`; }
  toString() { return this.href; }
  toJSON() { return this.href; }
}
module.exports = {
  URL, URLSearchParams,
  fileURLToPath(u) {
    const s = typeof u === "string" ? u : u.href;
    if (!s.startsWith("file://")) { const e = new TypeError("The URL must be of scheme file"); e.code = "ERR_INVALID_URL_SCHEME"; throw e; }
    return decodeURIComponent(s.slice(7).replace(/^[^/]*/, "").replace(/[?#].*$/, ""));
  },
  pathToFileURL: (p) => new URL("file://" + enc(require("path").resolve(p)) + (p.endsWith("/") && p !== "/" ? "/" : "")),
  format: (u) => String(u.href || u),
  parse(s) { try { const u = new URL(s); return { protocol: u.protocol, host: u.host, hostname: u.hostname, port: u.port || null, pathname: u.pathname, search: u.search || null, query: u.search.slice(1) || null, hash: u.hash || null, href: u.href }; } catch (e) { return { pathname: s, path: s, href: s }; } },
};
