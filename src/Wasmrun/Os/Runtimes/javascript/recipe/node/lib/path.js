// node:path, POSIX flavour (the only one a WASI guest sees); path.posix is the same object, path.win32 is absent.
"use strict";
const { invalidArgType } = require("internal_errors");
const check = (p, name = "path") => { if (typeof p !== "string") throw invalidArgType(name, "of type string", p); };

// Folds "." and ".." segments; leading ".." are kept for relative paths.
function normalizeString(p, allowAbove) {
  const out = [];
  for (const s of p.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") { if (out.length && out[out.length - 1] !== "..") out.pop(); else if (allowAbove) out.push(".."); }
    else out.push(s);
  }
  return out.join("/");
}

const path = {
  sep: "/",
  delimiter: ":",
  resolve(...args) {
    let resolved = "", abs = false;
    for (let i = args.length - 1; i >= -1 && !abs; i--) {
      const p = i >= 0 ? args[i] : process.cwd();
      check(p, `paths[${i}]`);
      if (p === "") continue;
      resolved = p + "/" + resolved;
      abs = p[0] === "/";
    }
    const n = normalizeString(resolved, !abs);
    return abs ? "/" + n : n || ".";
  },
  normalize(p) {
    check(p);
    if (p === "") return ".";
    const abs = p[0] === "/", trail = p[p.length - 1] === "/";
    let n = normalizeString(p, !abs);
    if (n === "" && !abs) n = ".";
    if (n !== "" && trail) n += "/";
    return abs ? "/" + n : n;
  },
  isAbsolute(p) { check(p); return p.length > 0 && p[0] === "/"; },
  join(...args) {
    for (const a of args) check(a);
    const joined = args.filter((a) => a !== "").join("/");
    return joined === "" ? "." : path.normalize(joined);
  },
  relative(from, to) {
    check(from, "from"); check(to, "to");
    if (from === to) return "";
    from = path.resolve(from); to = path.resolve(to);
    if (from === to) return "";
    const f = from === "/" ? [] : from.slice(1).split("/"), t = to === "/" ? [] : to.slice(1).split("/");
    let i = 0;
    while (i < f.length && i < t.length && f[i] === t[i]) i++;
    return f.slice(i).map(() => "..").concat(t.slice(i)).join("/");
  },
  toNamespacedPath: (p) => p,
  dirname(p) {
    check(p);
    if (p === "") return ".";
    let end = p.length;
    while (end > 1 && p[end - 1] === "/") end--;
    const i = p.lastIndexOf("/", end - 1);
    if (i === -1) return ".";
    if (i === 0) return "/";
    let j = i;
    while (j > 1 && p[j - 1] === "/") j--;
    return p.slice(0, j);
  },
  basename(p, ext) {
    check(p);
    if (ext !== undefined) check(ext, "ext");
    let end = p.length;
    while (end > 0 && p[end - 1] === "/") end--;
    if (end === 0) return "";
    let b = p.slice(p.lastIndexOf("/", end - 1) + 1, end);
    if (ext !== undefined && ext !== b && b.endsWith(ext)) b = b.slice(0, b.length - ext.length);
    return b;
  },
  extname(p) {
    check(p);
    const b = path.basename(p);
    const i = b.lastIndexOf(".");
    return i <= 0 || (i === 1 && b === "..") ? "" : b.slice(i);
  },
  parse(p) {
    check(p);
    const root = p[0] === "/" ? "/" : "";
    const base = path.basename(p), ext = path.extname(p);
    let dir = path.dirname(p);
    if (dir === "." && !p.includes("/")) dir = "";
    return { root, dir, base, ext, name: ext ? base.slice(0, base.length - ext.length) : base };
  },
  format(o) {
    if (o === null || typeof o !== "object") throw invalidArgType("pathObject", "of type object", o);
    const dir = o.dir || o.root;
    const base = o.base || (o.name || "") + (o.ext ? (o.ext[0] === "." ? "" : ".") + o.ext : "");
    return !dir ? base : dir === o.root ? dir + base : dir + "/" + base;
  },
};
path.posix = path;
module.exports = path;
