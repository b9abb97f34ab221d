// node:fs over QuickJS's std/os (POSIX calls on WASI): the sync API, callback and promise forms of it, Node's error codes and messages.
"use strict";
const { std, os, timers } = internal;
const { fsError, enosys, invalidArgType } = require("internal_errors");
const { Buffer } = require("buffer");

const constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, COPYFILE_EXCL: 1, COPYFILE_FICLONE: 2, COPYFILE_FICLONE_FORCE: 4,
  O_RDONLY: os.O_RDONLY, O_WRONLY: os.O_WRONLY, O_RDWR: os.O_RDWR, O_CREAT: os.O_CREAT, O_EXCL: os.O_EXCL, O_TRUNC: os.O_TRUNC, O_APPEND: os.O_APPEND,
  S_IFMT: os.S_IFMT, S_IFREG: os.S_IFREG, S_IFDIR: os.S_IFDIR, S_IFLNK: os.S_IFLNK };

function toPath(p, name = "path") {
  if (typeof p === "string") return p;
  if (p instanceof Uint8Array) return Buffer.from(p).toString();
  if (p && typeof p === "object" && p.href && p.protocol === "file:") return decodeURIComponent(p.pathname);
  throw invalidArgType(name, "of type string or an instance of Buffer or URL", p);
}
const encodingOf = (o) => typeof o === "string" ? o : o && o.encoding;
// QuickJS's os functions return a negative errno, or [value, positive errno].
const check = (r, syscall, p, dest) => { if (r < 0) throw fsError(-r, syscall, p, dest); return r; };
function statRaw(p, syscall, link) {
  const [st, err] = link ? os.lstat(p) : os.stat(p);
  if (err) throw fsError(err, syscall, p);
  return st;
}

class Stats {
  constructor(st) {
    Object.assign(this, { dev: st.dev, mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, rdev: st.rdev, blksize: 4096, ino: st.ino,
      size: st.size, blocks: st.blocks, atimeMs: st.atime, mtimeMs: st.mtime, ctimeMs: st.ctime, birthtimeMs: st.ctime,
      atime: new Date(st.atime), mtime: new Date(st.mtime), ctime: new Date(st.ctime), birthtime: new Date(st.ctime) });
  }
  isFile() { return (this.mode & os.S_IFMT) === os.S_IFREG; }
  isDirectory() { return (this.mode & os.S_IFMT) === os.S_IFDIR; }
  isSymbolicLink() { return (this.mode & os.S_IFMT) === os.S_IFLNK; }
  isFIFO() { return (this.mode & os.S_IFMT) === os.S_IFIFO; }
  isCharacterDevice() { return (this.mode & os.S_IFMT) === os.S_IFCHR; }
  isBlockDevice() { return (this.mode & os.S_IFMT) === os.S_IFBLK; }
  isSocket() { return (this.mode & os.S_IFMT) === os.S_IFSOCK; }
}
class Dirent {
  constructor(name, dir, mode) { this.name = name; this.parentPath = dir; this.path = dir; this._mode = mode; }
}
for (const m of ["isFile", "isDirectory", "isSymbolicLink", "isFIFO", "isCharacterDevice", "isBlockDevice", "isSocket"])
  Dirent.prototype[m] = function () { return Stats.prototype[m].call({ mode: this._mode }); };
Object.defineProperty(Dirent.prototype, "_mode", { writable: true, enumerable: false, value: 0 });

function statSync(p, opts, link) {
  p = toPath(p);
  const [st, err] = link ? os.lstat(p) : os.stat(p);
  if (err) { if (opts && opts.throwIfNoEntry === false && err === 44) return undefined; throw fsError(err, link ? "lstat" : "stat", p); }
  return new Stats(st);
}

function readFd(fd) {
  const chunks = [];
  let total = 0;
  for (;;) {
    const ab = new ArrayBuffer(65536);
    const n = check(os.read(fd, ab, 0, ab.byteLength), "read");
    if (n === 0) break;
    chunks.push(new Uint8Array(ab, 0, n)); total += n;
  }
  return Buffer.concat(chunks, total);
}
const FLAGS = { r: "r", "r+": "r+", rs: "r", "rs+": "r+", w: "w", wx: "wx", "w+": "w+", "wx+": "wx+", a: "a", ax: "ax", "a+": "a+", "ax+": "ax+", as: "a", "as+": "a+" };
function openStd(p, flag, syscall = "open") {
  const err = {};
  const f = std.open(p, FLAGS[flag] || "r", err);
  if (!f) {
    // fopen's "w" on a directory reports EISDIR as Node does; a missing parent gives ENOENT.
    throw fsError(err.errno, syscall, p);
  }
  return f;
}
function readFileSync(p, opts) {
  const enc = encodingOf(opts);
  if (typeof p === "number") { const b = readFd(p); return enc ? b.toString(enc) : b; }
  p = toPath(p);
  const f = openStd(p, (opts && opts.flag) || "r");
  try {
    const st = statRaw(p, "fstat");
    if ((st.mode & os.S_IFMT) === os.S_IFDIR) throw fsError(31, "read");
    // utf8 is decoded in C by readAsString: far faster than JS decoding under the interpreter.
    if (enc === "utf8" || enc === "utf-8") return f.readAsString();
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < st.size) { const r = f.read(buf.buffer, buf.byteOffset + n, st.size - n); if (r <= 0) break; n += r; }
    const out = n < st.size ? buf.subarray(0, n) : buf;
    return enc ? out.toString(enc) : out;
  } finally { f.close(); }
}
function writeData(f, data, enc) {
  if (typeof data === "string" && (!enc || /^utf-?8$/i.test(enc))) f.puts(data);
  else {
    const b = typeof data === "string" ? Buffer.from(data, enc) : ArrayBuffer.isView(data) ? data : Buffer.from(String(data));
    f.write(b.buffer, b.byteOffset, b.byteLength);
  }
}
function writeFileSync(p, data, opts, defaultFlag = "w") {
  if (typeof p === "number") { const b = typeof data === "string" ? Buffer.from(data, encodingOf(opts)) : data; check(os.write(p, b.buffer, b.byteOffset, b.byteLength), "write"); return; }
  p = toPath(p);
  const f = openStd(p, (opts && opts.flag) || defaultFlag);
  try { writeData(f, data, encodingOf(opts)); f.flush(); if (f.error()) throw fsError(29, "write", p); } finally { f.close(); }
}
function mkdirSync(p, opts) {
  p = toPath(p);
  const recursive = typeof opts === "object" && opts && opts.recursive;
  const mode = typeof opts === "object" && opts && opts.mode !== undefined ? opts.mode : typeof opts === "number" ? opts : 0o777;
  if (!recursive) { check(os.mkdir(p, mode), "mkdir", p); return undefined; }
  const abs = require("path").resolve(p);
  let first;
  let cur = "";
  for (const part of abs.split("/").slice(1)) {
    cur += "/" + part;
    const [st, err] = os.stat(cur);
    if (!err) { if ((st.mode & os.S_IFMT) !== os.S_IFDIR) throw fsError(54, "mkdir", p); continue; }
    const r = os.mkdir(cur, mode);
    if (r < 0 && r !== -20) throw fsError(-r, "mkdir", p);
    if (first === undefined) first = cur;
  }
  return first;
}
function readdirSync(p, opts) {
  p = toPath(p);
  const [names, err] = os.readdir(p);
  if (err) throw fsError(err, "scandir", p);
  const list = names.filter((n) => n !== "." && n !== "..").sort();
  if (opts && opts.withFileTypes) return list.map((n) => new Dirent(n, p, statRaw(p + "/" + n, "lstat", true).mode));
  if (encodingOf(opts) === "buffer") return list.map((n) => Buffer.from(n));
  return list;
}
function rmSync(p, opts) {
  p = toPath(p);
  const [st, err] = os.lstat(p);
  if (err) { if (opts && opts.force && err === 44) return; throw fsError(err, "rm", p); }
  if ((st.mode & os.S_IFMT) === os.S_IFDIR) {
    if (!(opts && opts.recursive)) {
      const e = new Error(`Path is a directory: rm returned EISDIR (is a directory) ${p}`);
      Object.assign(e, { code: "ERR_FS_EISDIR", errno: 21, syscall: "rm", path: p }); e.name = "SystemError";
      throw e;
    }
    for (const n of readdirSync(p)) rmSync(p + "/" + n, opts);
    check(os.remove(p), "rmdir", p);
  } else check(os.remove(p), "rm", p);
}
function rmdirSync(p, opts) {
  p = toPath(p);
  if (opts && opts.recursive) return rmSync(p, { recursive: true, force: true });
  if ((statRaw(p, "rmdir", true).mode & os.S_IFMT) !== os.S_IFDIR) throw fsError(54, "rmdir", p);
  check(os.remove(p), "rmdir", p);
}
function unlinkSync(p) {
  p = toPath(p);
  // remove() would also delete an empty directory; unlink must not.
  if ((statRaw(p, "unlink", true).mode & os.S_IFMT) === os.S_IFDIR) throw fsError(31, "unlink", p);
  check(os.remove(p), "unlink", p);
}
function copyFileSync(src, dest, mode) {
  src = toPath(src, "src"); dest = toPath(dest, "dest");
  if (mode & constants.COPYFILE_EXCL && !os.stat(dest)[1]) throw fsError(20, "copyfile", src, dest);
  let data;
  try { data = readFileSync(src); } catch (e) { throw fsError(e.code === "ENOENT" ? 44 : 29, "copyfile", src, dest); }
  try { writeFileSync(dest, data); } catch (e) { throw Object.assign(e, { message: e.message.replace(/open '.*'$/, `copyfile '${src}' -> '${dest}'`), syscall: "copyfile", path: src, dest }); }
}
function accessSync(p, mode) { statRaw(toPath(p), "access"); void mode; }
function existsSync(p) { try { return os.stat(toPath(p))[1] === 0; } catch (e) { return false; } }
function realpathSync(p) { p = toPath(p); const [r, err] = os.realpath(p); if (err) throw fsError(err, "realpath", p); return r; }
realpathSync.native = realpathSync;
function readlinkSync(p) { p = toPath(p); const [r, err] = os.readlink(p); if (err) throw fsError(err, "readlink", p); return r; }
function openSync(p, flags = "r", mode = 0o666) {
  p = toPath(p);
  const F = { r: os.O_RDONLY, "r+": os.O_RDWR, w: os.O_WRONLY | os.O_CREAT | os.O_TRUNC, wx: os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL,
    "w+": os.O_RDWR | os.O_CREAT | os.O_TRUNC, a: os.O_WRONLY | os.O_CREAT | os.O_APPEND, ax: os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL, "a+": os.O_RDWR | os.O_CREAT | os.O_APPEND };
  return check(os.open(p, typeof flags === "number" ? flags : F[flags], mode), "open", p);
}
function writeSync(fd, data, a, b) {
  const buf = typeof data === "string" ? Buffer.from(data, typeof b === "string" ? b : "utf8") : data;
  const off = typeof data === "string" ? 0 : a || 0, len = typeof data === "string" ? buf.length : b === undefined ? buf.byteLength - off : b;
  return check(os.write(fd, buf.buffer, buf.byteOffset + off, len), "write");
}
function readSync(fd, buf, off = 0, len = buf.byteLength - off, pos = null) {
  if (typeof off === "object" && off) ({ offset: off = 0, length: len = buf.byteLength - off, position: pos = null } = off);
  if (pos !== null && pos !== undefined) os.seek(fd, pos, std.SEEK_SET);
  return check(os.read(fd, buf.buffer, buf.byteOffset + off, len), "read");
}
const renameSync = (a, b) => { a = toPath(a, "oldPath"); b = toPath(b, "newPath"); check(os.rename(a, b), "rename", a, b); };

const fs = {
  constants, Stats, Dirent,
  readFileSync, writeFileSync, appendFileSync: (p, d, o) => writeFileSync(p, d, o, "a"),
  existsSync, accessSync, statSync: (p, o) => statSync(p, o, false), lstatSync: (p, o) => statSync(p, o, true),
  mkdirSync, readdirSync, rmSync, rmdirSync, unlinkSync, renameSync, copyFileSync, realpathSync, readlinkSync,
  symlinkSync: (t, p) => { check(os.symlink(toPath(t, "target"), toPath(p)), "symlink", t, p); },
  utimesSync: (p, a, m) => { const ms = (t) => t instanceof Date ? t.getTime() : t * 1000; check(os.utimes(toPath(p), ms(a), ms(m)), "utime", p); },
  chmodSync: (p) => { statRaw(toPath(p), "chmod"); },
  chownSync: (p) => { statRaw(toPath(p), "chown"); },
  truncateSync: (p, len = 0) => { const b = readFileSync(p); writeFileSync(p, Buffer.concat([b.subarray(0, len), Buffer.alloc(Math.max(0, len - b.length))])); },
  mkdtempSync: (prefix) => { for (;;) { const p = prefix + Math.random().toString(36).slice(2, 8); if (os.mkdir(p, 0o700) === 0) return p; } },
  openSync, closeSync: (fd) => { check(os.close(fd), "close"); }, readSync, writeSync,
  fstatSync() { throw enosys("fstat", "use fs.statSync with the path"); },
  fsyncSync() {}, fdatasyncSync() {},
  watch() { throw enosys("watch", "WASI preview 1 has no file-change notifications"); },
  watchFile() { throw enosys("watch", "WASI preview 1 has no file-change notifications"); },
  createReadStream() { throw enosys("createReadStream", "streams are not in wasmrun's Node layer yet; use readFileSync"); },
  createWriteStream() { throw enosys("createWriteStream", "streams are not in wasmrun's Node layer yet; use writeFileSync/appendFileSync"); },
};

// Callback and promise forms run the sync call as a later macrotask, as Node completes I/O on a later loop turn.
const later = (fn) => timers.setImmediate(fn);
const ASYNC = ["readFile", "writeFile", "appendFile", "access", "stat", "lstat", "mkdir", "readdir", "rm", "rmdir", "unlink", "rename",
  "copyFile", "realpath", "readlink", "symlink", "utimes", "chmod", "chown", "truncate", "mkdtemp", "open", "close"];
const promises = {};
for (const name of ASYNC) {
  const sync = fs[name + "Sync"];
  fs[name] = function (...args) {
    const cb = args.pop();
    if (typeof cb !== "function") throw invalidArgType("cb", "of type function", cb);
    later(() => { let r; try { r = sync(...args); } catch (e) { cb(e); return; } cb(null, r); });
  };
  promises[name] = (...args) => new Promise((resolve, reject) => later(() => { try { resolve(sync(...args)); } catch (e) { reject(e); } }));
}
fs.exists = (p, cb) => later(() => cb(existsSync(p)));
fs.read = (fd, buf, off, len, pos, cb) => later(() => { let n; try { n = readSync(fd, buf, off, len, pos); } catch (e) { cb(e); return; } cb(null, n, buf); });
fs.write = (fd, data, ...rest) => { const cb = rest.pop(); later(() => { let n; try { n = writeSync(fd, data, ...rest); } catch (e) { cb(e); return; } cb(null, n, data); }); };
delete promises.close; delete promises.open;
promises.constants = constants;
fs.promises = promises;
module.exports = fs;
