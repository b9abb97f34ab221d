// Errors fixture: operations WASI cannot do fail with ENOSYS (and can be caught), then an uncaught throw ends the process with exit 1.
const { spawn, execSync } = require("child_process");
const http = require("http");

for (const [what, fn] of [["spawn", () => spawn("ls", ["-l"])], ["execSync", () => execSync("echo hi")], ["createServer", () => http.createServer(() => {})]]) {
  try {
    fn();
    console.log(what, "works (real Node)");
  } catch (e) {
    console.log(what, e.code, e instanceof Error, e.message);
  }
}

function fail() {
  throw new Error("boom from fixture");
}
setTimeout(() => console.log("never printed"), 1000);
fail();
