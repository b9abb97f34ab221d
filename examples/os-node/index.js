// `wasmrun os run examples/os-node -- NAME`: require, fs, path and process, as `node index.js NAME` would run it.
const fs = require("fs");
const path = require("path");
const { greet } = require("./lib/greet");

const words = fs.readFileSync(path.join(__dirname, "words.txt"), "utf8").trim().split(/\s+/);
console.log(greet(process.argv[2] || "world", words.length));
console.log(`cwd ${process.cwd()}, platform ${process.platform}`);
setTimeout(() => console.log("and a timer, last"), 10);
Promise.resolve().then(() => console.log("a promise, first"));
