// Node-shaped system errors (code, errno, syscall, path) from WASI errno values, and the ENOSYS error for what WASI cannot do.
"use strict";
// WASI preview-1 errno -> [Node code, libuv errno (negative Linux value), libuv message]
const WASI = {
  1: ["E2BIG", -7, "argument list too long"], 2: ["EACCES", -13, "permission denied"], 8: ["EBADF", -9, "bad file descriptor"],
  10: ["EBUSY", -16, "resource busy or locked"], 20: ["EEXIST", -17, "file already exists"], 28: ["EINVAL", -22, "invalid argument"],
  29: ["EIO", -5, "i/o error"], 31: ["EISDIR", -21, "illegal operation on a directory"], 32: ["ELOOP", -40, "too many symbolic links encountered"],
  33: ["EMFILE", -24, "too many open files"], 37: ["ENAMETOOLONG", -36, "name too long"], 44: ["ENOENT", -2, "no such file or directory"],
  48: ["ENOMEM", -12, "not enough memory"], 51: ["ENOSPC", -28, "no space left on device"], 52: ["ENOSYS", -38, "function not implemented"],
  54: ["ENOTDIR", -20, "not a directory"], 55: ["ENOTEMPTY", -39, "directory not empty"], 58: ["ENOTSUP", -95, "operation not supported on socket"],
  63: ["EPERM", -1, "operation not permitted"], 64: ["EPIPE", -32, "broken pipe"], 69: ["EROFS", -30, "read-only file system"],
  75: ["EXDEV", -18, "cross-device link not permitted"],
  // ENOTCAPABLE: a write into a read-only mount; Node would see the mount as read-only.
  76: ["EROFS", -30, "read-only file system"],
};

// errno: a positive WASI errno, as QuickJS's os functions return negated.
function fsError(errno, syscall, path, dest) {
  const [code, uv, text] = WASI[errno] || ["EIO", -5, "i/o error (WASI errno " + errno + ")"];
  let msg = `${code}: ${text}, ${syscall}`;
  if (path !== undefined) msg += ` '${path}'`;
  if (dest !== undefined) msg += ` -> '${dest}'`;
  const e = new Error(msg);
  e.errno = uv; e.code = code; e.syscall = syscall;
  if (path !== undefined) e.path = path;
  if (dest !== undefined) e.dest = dest;
  return e;
}

function enosys(syscall, why) {
  const e = new Error(`ENOSYS: function not implemented, ${syscall}` + (why ? ` (${why})` : ""));
  e.errno = -38; e.code = "ENOSYS"; e.syscall = syscall;
  return e;
}

function invalidArgType(name, expected, actual) {
  const got = actual === null ? "null" : actual === undefined ? "undefined" : typeof actual === "object"
    ? "an instance of " + ((actual.constructor && actual.constructor.name) || "Object") : `type ${typeof actual} (${String(actual).slice(0, 25)})`;
  const e = new TypeError(`The "${name}" argument must be ${expected}. Received ${got}`);
  e.code = "ERR_INVALID_ARG_TYPE";
  return e;
}

module.exports = { fsError, enosys, invalidArgType };
