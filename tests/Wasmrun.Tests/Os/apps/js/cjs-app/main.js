// CommonJS fixture: module resolution, fs in the project and in /tmp, path, events, util.format, timer order, exitCode.
const fs = require("fs");
const path = require("node:path");
const os = require("os");
const util = require("util");
const EventEmitter = require("events");
const { greet } = require("greeter");
const config = require("./data/config.json");
const lib = require("./lib");
const a = require("./lib/a");

console.log("argv", process.argv.slice(2));
console.log("main", require.main === module, "lib is main", lib.isMain);
console.log("dirname", __dirname === process.cwd(), path.basename(__filename), process.argv[1] === __filename);
console.log(greet("world"), config.name, config.items.length);
console.log("cycle", a.name, a.fromB, a.bSawA);
console.log("cache", require("./lib") === lib, path.relative(__dirname, require.resolve("greeter")));

// fs in the project directory
const out = path.join(__dirname, "out");
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, "x", "y"), { recursive: true });
fs.writeFileSync(path.join(out, "x", "note.txt"), "line 1\n");
fs.appendFileSync(path.join(out, "x", "note.txt"), "line 2 ✓\n");
console.log(JSON.stringify(fs.readFileSync(path.join(out, "x", "note.txt"), "utf8")));
console.log("bytes", fs.readFileSync(path.join(out, "x", "note.txt")).length, fs.statSync(path.join(out, "x")).isDirectory());
console.log("entries", fs.readdirSync(path.join(out, "x"), { withFileTypes: true }).map((d) => `${d.name}:${d.isDirectory() ? "d" : "f"}`).join(","));
fs.renameSync(path.join(out, "x", "note.txt"), path.join(out, "note2.txt"));
fs.copyFileSync(path.join(out, "note2.txt"), path.join(out, "note3.txt"));
console.log("after rename", fs.readdirSync(out), fs.existsSync(path.join(out, "x", "note.txt")));
try { fs.readFileSync(path.join(out, "missing.txt")); } catch (e) { console.log(e.code, e.syscall, e.message.replace(__dirname, "<app>")); }
try { fs.mkdirSync(out); } catch (e) { console.log(e.code, e.message.replace(__dirname, "<app>")); }
fs.unlinkSync(path.join(out, "note3.txt"));
fs.rmSync(out, { recursive: true });
console.log("removed", fs.existsSync(out));

// fs in the temporary directory
const tmp = path.join(os.tmpdir(), "cjs-app-test.txt");
fs.writeFileSync(tmp, Buffer.from("tmp data", "utf8"));
console.log("tmp", fs.readFileSync(tmp, "utf8"), Buffer.from("tmp data").toString("base64"), Buffer.from("hi").toString("hex"));
fs.unlinkSync(tmp);

// path
console.log(path.join("/a/b", "../c", "./d.txt"), path.resolve("/x", "y", "..", "z"), path.extname("f.tar.gz"), path.normalize("a//b/../c/"));
console.log(path.parse("/home/u/file.txt"), path.format({ dir: "/tmp", name: "f", ext: ".js" }), path.isAbsolute("x"), path.sep);

// events
const em = new EventEmitter();
em.on("ev", (x) => console.log("on", x));
em.prependListener("ev", (x) => console.log("prepended", x));
em.once("ev", (x) => console.log("once", x));
em.emit("ev", 1);
em.emit("ev", 2);
console.log("listeners", em.listenerCount("ev"));
try { em.emit("error", new Error("unhandled boom")); } catch (e) { console.log("error event threw", e.message); }

// util.format and inspect
console.log(util.format("%s is %d years and %i%% done, pi=%f %j %o", "Ann", 42.5, 99.9, "3.14", { a: [1] }, [1]));
console.log({ a: 1, b: "two", c: [1, 2, { d: null }], e: { f: { g: { h: 1 } } } }, [undefined, true], new Map([["k", 1]]), new Set([1]));
console.log(util.inspect("quote's"), util.inspect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]));
console.error("to stderr", 7);

// timer order: sync, nextTick, promise, timeout, immediate, then nested ones
// (each later timer is scheduled from an earlier callback, so the order does not depend on how fast the main script ran)
setTimeout(() => {
  console.log("timeout 0");
  setImmediate(() => {
    console.log("immediate inside timeout");
    const iv = setInterval(() => {
      console.log("interval");
      if (++lib.counter === 2) { clearInterval(iv); setTimeout(() => console.log("timeout 20"), 20); }
    }, 5);
  });
  setTimeout(() => console.log("timeout inside timeout"), 0);
  process.nextTick(() => console.log("tick inside timeout"));
}, 0);
Promise.resolve().then(() => { console.log("promise"); process.nextTick(() => console.log("tick from promise")); });
process.nextTick(() => console.log("tick"));
queueMicrotask(() => console.log("microtask"));
console.log("sync end");

process.on("exit", (code) => console.log("exit event", code));
process.exitCode = 3;
