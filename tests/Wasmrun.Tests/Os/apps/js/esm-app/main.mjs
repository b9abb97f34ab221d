// ES module fixture: relative imports, node: and bare built-ins, CommonJS interop, import.meta.url, async order, dynamic import.
import fs from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "url";
import { EventEmitter } from "events";
import square, { add } from "./lib/math.js";
import legacy from "./lib/legacy.cjs";

const here = dirname(fileURLToPath(import.meta.url));
console.log("url", import.meta.url.startsWith("file:///"), import.meta.url.endsWith("/main.mjs"), here === process.cwd());
console.log("math", add(2, 3), square(4), legacy.kind, legacy.twice(21));
fs.writeFileSync(join(here, "esm-out.txt"), "written by esm\n");
console.log("fs", fs.readFileSync(join(here, "esm-out.txt"), "utf8").trim(), fs.existsSync(join(here, "nope")));
fs.unlinkSync(join(here, "esm-out.txt"));
const em = new EventEmitter();
em.on("x", (v) => console.log("event", v));
em.emit("x", [1, "a"]);
import("./lib/math.js").then((m) => console.log("dynamic", m.add(1, 1), m.default === square));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => { await sleep(10); console.log("after sleep"); })();
console.log("argv", process.argv.length, process.argv.slice(2));
