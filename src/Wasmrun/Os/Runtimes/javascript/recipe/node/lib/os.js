// node:os for a WASI guest: platform 'wasi', arch 'wasm32', fixed facts where WASI cannot tell (one CPU, no network interfaces).
"use strict";
const env = process.env;
module.exports = {
  EOL: "\n", devNull: "/dev/null",
  platform: () => "wasi", type: () => "WASI", arch: () => "wasm32", machine: () => "wasm32", release: () => "preview1", version: () => "WASI preview 1",
  endianness: () => "LE",
  tmpdir: () => (env.TMPDIR || env.TMP || env.TEMP || "/tmp").replace(/(.)\/$/, "$1"),
  homedir: () => env.HOME || "/",
  hostname: () => env.HOSTNAME || "wasmrun",
  userInfo: () => ({ uid: 0, gid: 0, username: env.USER || "user", homedir: env.HOME || "/", shell: null }),
  cpus: () => [{ model: "wasm32", speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }],
  availableParallelism: () => 1,
  totalmem: () => 4 * 1024 ** 3, freemem: () => 4 * 1024 ** 3,
  loadavg: () => [0, 0, 0], uptime: () => process.uptime(),
  networkInterfaces: () => ({}),
  constants: { signals: {}, errno: {}, priority: {} },
  getPriority: () => 0, setPriority() {},
};
