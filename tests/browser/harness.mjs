// What every browser script here shares: the command line (SCENARIO URL PROJECT SCREENSHOTS [DATA]), checks, the
// server stopped and started again as a user would (`wasmrun stop`, then the first server's command line on its port:
// WASMRUN_BIN, WASMRUN_HOME, WASMRUN_RUN_DIR and WASMRUN_RUN_ARGS, one a line), and the run of one scenario in Debian's
// Chromium driven by playwright-core, which fails on any page error, console error or request outside the server.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";

export const [scenario, url, project, screenshots, data] = process.argv.slice(2);
export const origin = new URL(url).origin;

export function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
  console.log(`ok: ${message}`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const serverEnv = { ...process.env, WASMRUN_HOME: process.env.WASMRUN_HOME, NO_COLOR: "1", PATH: `/usr/bin:${process.env.PATH}` };
const restartedServers = [];
// Once the server was stopped on purpose, the page's reconnect attempts fail in its console until it is back.
let serverWasStopped = false;

/** `wasmrun stop`, then waits until the port refuses connections. */
export async function stopServer() {
  serverWasStopped = true;
  execFileSync(process.env.WASMRUN_BIN, ["stop", "--all"], { env: serverEnv, stdio: "pipe" });
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(100)) {
    try {
      await fetch(url);
    } catch {
      return;
    }
  }
  throw new Error("the server still answers 20 s after wasmrun stop");
}

/** `wasmrun run` (or `wasmrun os`) again with the first server's arguments, on its port; resolves once it serves. */
export async function startServer() {
  const args = process.env.WASMRUN_RUN_ARGS.split("\n");
  const port = args.indexOf("--port");
  args.splice(port, 2, "--port", new URL(url).port, "--strict-port");
  const server = spawn(process.env.WASMRUN_BIN, args, { cwd: process.env.WASMRUN_RUN_DIR, env: serverEnv, stdio: ["ignore", "pipe", "pipe"] });
  restartedServers.push(server);
  let output = "";
  await new Promise((resolve, reject) => {
    const collect = (chunk) => {
      output += chunk;
      if (output.includes("  http://")) resolve();
    };
    server.stdout.on("data", collect);
    server.stderr.on("data", collect);
    server.on("exit", (code) => reject(new Error(`wasmrun ${args.join(" ")} exited with code ${code}:\n${output}`)));
  });
}

/** Runs the scenario named on the command line in a fresh page at URL; exits 1 when a check fails. */
export async function runScenario(scenarios) {
  const run = scenarios[scenario];
  if (!run) {
    console.error(`unknown scenario '${scenario}': one of ${Object.keys(scenarios).join(", ")}`);
    process.exit(2);
  }
  await mkdir(screenshots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(30_000);
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !(serverWasStopped && /ERR_CONNECTION_REFUSED|WebSocket connection to/.test(message.text()))) {
        problems.push(`console error: ${message.text()}`);
      }
    });
    // Everything is embedded: a request anywhere but the server itself is a defect.
    page.on("request", (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith("data:") && !request.url().startsWith("blob:")) {
        problems.push(`request outside the server: ${request.url()}`);
      }
    });
    await page.goto(url);
    await run(page);
    // The broken build on purpose logs nothing as an error; anything else is a defect.
    check(problems.length === 0, `no page errors, console errors or outside requests${problems.length ? ":\n" + problems.join("\n") : ""}`);
  } catch (error) {
    console.error(error.stack ?? String(error));
    process.exitCode = 1;
  } finally {
    await browser.close();
    for (const server of restartedServers) server.kill();
  }
}
