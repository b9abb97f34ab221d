// Browser checks against a running `wasmrun run`, in Debian's Chromium driven by playwright-core:
//   node run.mjs SCENARIO URL PROJECT SCREENSHOTS [DATA]
// SCENARIO is one of the functions below; PROJECT is the served project's folder (the live-reload scenarios edit its
// main.c); screenshots go to SCREENSHOTS; DATA is what the scenario needs besides (JSON). Exits 0 when every check
// holds, else prints the failed check and exits 1. Started by tests/Wasmrun.Tests/Server/BrowserTests.cs, which starts
// the server first and says in WASMRUN_BIN, WASMRUN_HOME, WASMRUN_RUN_DIR and WASMRUN_RUN_ARGS (one a line) how, so a
// scenario can stop it and start it again (harness.mjs).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { check, data, project, runScenario, screenshots, sleep, startServer, stopServer, url } from "./harness.mjs";

/** Fills an export card's inputs, clicks Call, and returns the result's status and text once that call ended. */
async function call(page, name, args) {
  const card = page.locator(`[data-export="${name}"]`);
  for (const [index, value] of args.entries()) {
    await card.locator(`[data-param="${index}"]`).fill(value);
  }
  const calls = Number(await card.locator('[data-role="result"]').getAttribute("data-call"));
  await card.locator('[data-action="call"]').click();
  return result(page, name, calls + 1);
}

/** The card's result once its call number `number` (or, without one, any call) has ended. */
async function result(page, name, number) {
  const box = page.locator(`[data-export="${name}"] [data-role="result"]`);
  const ended = ':not([data-status="idle"]):not([data-status="running"])';
  await box.and(page.locator(number === undefined ? ended : `[data-call="${number}"]${ended}`)).waitFor();
  return { status: await box.getAttribute("data-status"), text: (await box.textContent()).trim() };
}

/** Waits until an export card shows this result text (after a rebuild the page re-runs the last call itself). */
async function resultBecomes(page, name, text) {
  await page.locator(`[data-export="${name}"] [data-role="result"] [data-role="value"]`, { hasText: new RegExp(`^${text}$`) }).waitFor({ timeout: 60_000 });
}

/** The error's code frame: the source line marked with ">" and a caret under the column where `word` starts. */
async function codeFrameShows(container, word) {
  const frame = container.locator('[data-role="code-frame"]').first();
  const lines = (await frame.innerText()).split("\n");
  const at = lines.findIndex((line) => line.startsWith(">") && line.includes(word));
  check(at >= 0, `the code frame shows the failing line:\n${lines.join("\n")}`);
  check(lines[at + 1]?.indexOf("^") === lines[at].indexOf(word), `with a caret under '${word}':\n${lines.join("\n")}`);
  check(at > 0 && /^ +\d+ \|/.test(lines[at - 1]), "and the line before it, numbered");
}

async function edit(file, from, to) {
  const path = join(project, file);
  const text = await readFile(path, "utf8");
  if (!text.includes(from)) {
    throw new Error(`${file} has no '${from}' to replace`);
  }
  await writeFile(path, text.replace(from, to));
}

const scenarios = {
  /** A plain module: typed calls from the cards, i64 as BigInt, f64, the console, the memory viewer, both themes. */
  async playground(page) {
    await page.locator('[data-export="add"]').waitFor();
    check((await page.getAttribute('[data-role="build-status"]', "data-status")) === "file", "the status says a file is served");
    let r = await call(page, "add", ["40", "2"]);
    check(r.status === "ok" && r.text === "42", `add(40, 2) = 42 (got ${r.status} ${r.text})`);
    r = await call(page, "factorial", ["20"]);
    check(r.text === "2432902008176640000", `factorial(20) is an exact i64 (got ${r.text})`);
    r = await call(page, "hypotenuse", ["3", "4"]);
    check(r.text === "5", `hypotenuse(3, 4) = 5 (got ${r.text})`);
    r = await call(page, "add", ["forty", "2"]);
    check(r.status === "invalid", `a word for an i32 is refused before calling (got ${r.status})`);
    await page.screenshot({ path: join(screenshots, "playground-light.png"), fullPage: true });

    await page.click('[data-tab="console"]');
    const input = page.locator('[data-role="console-input"]');
    await input.fill("fib(10)");
    await input.press("Enter");
    await page.locator('[data-role="console-log"]', { hasText: "55" }).waitFor();
    check(true, "the console calls fib(10) = 55");
    await input.press("ArrowUp");
    check((await input.inputValue()) === "fib(10)", "the console's history comes back with the up arrow");

    await page.click('[data-tab="memory"]');
    const before = (await page.locator('[data-role="memory-pages"]').textContent()).trim();
    await page.click('[data-action="grow"]');
    await page.locator('[data-role="grow-status"]').waitFor();
    const after = (await page.locator('[data-role="memory-pages"]').textContent()).trim();
    check(Number.parseInt(after) === Number.parseInt(before) + 1, `grow adds a page (${before} -> ${after})`);

    await page.click('[data-tab="info"]');
    check((await page.locator('[data-role="info-exports"]').textContent()).includes("(i32) -> i64"), "module info shows real signatures");
    await page.click('[data-action="theme"]');
    await page.click('[data-tab="playground"]');
    await page.screenshot({ path: join(screenshots, "playground-dark.png"), fullPage: true });
  },

  /** A WASI command built from C: its output in the terminal panel, with arguments. */
  async wasi(page) {
    await page.click('[data-tab="terminal"]');
    await page.locator('[data-role="args"]').fill('Ada "Lovelace"');
    await page.click('[data-action="run"]');
    const terminal = page.locator('[data-role="terminal"]');
    await terminal.locator('[data-stream="exit"]').waitFor();
    const text = await terminal.innerText();
    check(text.includes("Hello, Ada Lovelace! 2 + 3 = 5"), `the program's stdout is in the terminal:\n${text}`);
    check(text.includes("exited with code 0"), "and its exit code");
    await page.screenshot({ path: join(screenshots, "wasi-terminal.png"), fullPage: true });
    await page.click('[data-tab="playground"]');
    const r = await call(page, "add", ["20", "22"]);
    check(r.text === "42", `an export of the WASI command is callable too (got ${r.text})`);
  },

  /** --watch: a saved edit shows its new result in place; a broken build shows the overlay; a fix removes it. */
  async liveReload(page) {
    // A WASI command opens on the terminal; its exports are on the playground tab.
    await page.click('[data-tab="playground"]');
    await page.locator('[data-export="add"]').waitFor();
    let r = await call(page, "add", ["2", "3"]);
    check(r.text === "5", `add(2, 3) = 5 (got ${r.text})`);
    await page.evaluate(() => { window.wasmrunTestMarker = "kept"; });

    await edit("main.c", "return a + b;", "return a + b + 100;");
    await resultBecomes(page, "add", "105");
    check(await page.evaluate(() => window.wasmrunTestMarker === "kept"), "the new result came without a page reload");

    await edit("main.c", "return a + b + 100;", "return a + missing;");
    const overlay = page.locator('[data-role="build-failure"]');
    await overlay.waitFor();
    const errors = await overlay.locator('[data-role="error"]').allInnerTexts();
    check(errors.some((e) => /main\.c:\d+:\d+: .*missing/.test(e)), `the failure shows the compiler's error as FILE:LINE:COL (${errors.join(" | ")})`);
    await codeFrameShows(overlay, "missing");
    await page.screenshot({ path: join(screenshots, "live-reload-overlay.png"), fullPage: true });
    r = await result(page, "add");
    check(r.text === "105", "the last good build stays live beside the errors");
    // Nothing covers the page: the tabs work while the errors are shown.
    await page.click('[data-tab="console"]', { timeout: 5000 });
    check((await page.getAttribute('[data-tab="console"]', "aria-selected")) === "true", "the tabs can be used while the errors are shown");
    await page.click('[data-tab="playground"]', { timeout: 5000 });

    await edit("main.c", "return a + missing;", "return a + b;");
    await overlay.waitFor({ state: "hidden" });
    await resultBecomes(page, "add", "5");
    check(await page.evaluate(() => window.wasmrunTestMarker === "kept"), "fixed: the overlay is gone and add(2, 3) = 5 again, still without a reload");
    await page.screenshot({ path: join(screenshots, "live-reload-recovered.png"), fullPage: true });
  },

  /** A restart that brings a new build: the page reconnects and shows the new module's exports, without a reload. */
  async restart(page) {
    await page.click('[data-tab="playground"]');
    await page.locator('[data-export="add"]').waitFor();
    check((await page.locator('[data-export="twice"]').count()) === 0, "the first build exports no twice");
    await page.evaluate(() => { window.wasmrunTestMarker = "kept"; });
    await stopServer();
    await edit("main.c", "int main(", '__attribute__((export_name("twice"))) int twice(int a) { return 2 * a; }\n\nint main(');
    await startServer();
    await page.locator('[data-export="twice"]').waitFor({ timeout: 30_000 });
    const r = await call(page, "twice", ["21"]);
    check(r.text === "42", `the restarted server's module is the one called: twice(21) = 42 (got ${r.text})`);
    check(await page.evaluate(() => window.wasmrunTestMarker === "kept"), "the new exports came without a page reload");
  },

  /** The server goes away: a banner across the top of the window says so, in view however far the page is scrolled,
   *  and the tab's title too; both go when the server is back. */
  async disconnected(page) {
    await page.locator('[data-export="add"]').waitFor();
    const banner = page.locator('[data-role="disconnected"]');
    check((await banner.count()) === 0, "no disconnected banner while connected");
    await stopServer();
    await banner.waitFor({ timeout: 10_000 });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const box = await banner.boundingBox();
    const { width } = page.viewportSize();
    check(box !== null && box.y >= 0 && box.y < 80 && Math.abs(box.width - width) < 1, `a banner across the top of the window, in view when scrolled (${JSON.stringify(box)})`);
    const text = await banner.innerText();
    check(/disconnected/i.test(text) && /reconnect/i.test(text), `it says the page is disconnected and reconnecting: ${text}`);
    check((await page.title()).includes("disconnected"), `the tab's title says so too: ${await page.title()}`);
    await page.screenshot({ path: join(screenshots, "disconnected.png") });
    await startServer();
    await banner.waitFor({ state: "hidden", timeout: 30_000 });
    check(!(await page.title()).includes("disconnected"), "back: the banner and the title's word are gone");
    const r = await call(page, "add", ["2", "3"]);
    check(r.text === "5", `and the module still answers: add(2, 3) = 5 (got ${r.text})`);
  },

  /** A 420 px wide window: every tab in view, and the module info fits: no table hides columns behind a scroll. */
  async narrow(page) {
    await page.setViewportSize({ width: 420, height: 900 });
    await page.locator('[data-tab="info"]').waitFor();
    const tabs = await page.evaluate(() => {
      const list = document.querySelector('[role="tablist"]');
      const box = list.getBoundingClientRect();
      return {
        scrolls: list.scrollWidth > list.clientWidth + 1,
        hidden: [...list.querySelectorAll('[role="tab"]')]
          .filter((tab) => {
            const r = tab.getBoundingClientRect();
            return r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.right > innerWidth;
          })
          .map((tab) => tab.textContent),
      };
    });
    check(!tabs.scrolls && tabs.hidden.length === 0, `every tab is in view at 420 px (cut off: ${tabs.hidden.join(", ") || "none"})`);
    await page.click('[data-tab="info"]');
    await page.locator('[data-role="info-imports"] table').waitFor();
    const info = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      scrolled: [...document.querySelectorAll('[data-panel="info"] .table-scroll')]
        .filter((box) => box.scrollWidth > box.clientWidth + 1)
        .map((box) => box.closest("[data-role]").dataset.role),
      outside: [...document.querySelectorAll('[data-panel="info"] *')]
        .filter((element) => element.getBoundingClientRect().right > innerWidth + 0.5)
        .map((element) => `${element.tagName.toLowerCase()} ${element.textContent.slice(0, 30)}`),
    }));
    check(info.page <= 420, `the page is no wider than the window (${info.page} px)`);
    check(info.scrolled.length === 0, `no info table hides columns behind a scroll (${info.scrolled.join(", ") || "none"})`);
    check(info.outside.length === 0, `nothing in module info reaches past the window's edge (${info.outside.slice(0, 5).join(" | ") || "none"})`);
    await page.screenshot({ path: join(screenshots, "narrow-info.png"), fullPage: true });
  },

  /** A call that never returns runs away from the page: the page stays responsive, Stop ends the call, and the module
   *  is ready again in a fresh instance. */
  async stop(page) {
    const card = page.locator('[data-export="spin"]');
    await card.locator('[data-action="call"]').click({ timeout: 10_000 });
    const alive = await Promise.race([page.evaluate(() => "alive"), sleep(5000).then(() => "frozen")]);
    check(alive === "alive", `the page answers while spin() runs (${alive})`);
    await card.locator('[data-role="result"][data-status="running"]').waitFor({ timeout: 5000 });
    check((await page.locator('[data-export="add"] [data-action="call"]').isDisabled()), "other calls wait: the instance is busy");
    await page.click('[data-tab="console"]', { timeout: 5000 });
    await page.click('[data-tab="playground"]', { timeout: 5000 });
    await page.screenshot({ path: join(screenshots, "call-running.png"), fullPage: true });
    await card.locator('[data-action="stop"]').click({ timeout: 5000 });
    await card.locator('[data-role="result"][data-status="stopped"]').waitFor({ timeout: 5000 });
    check(true, "Stop ended the call");
    let r = await call(page, "add", ["20", "22"]);
    check(r.status === "ok" && r.text === "42", `the module answers again after the stop (got ${r.status} ${r.text})`);

    // From the console: the same, with the console's own Stop.
    await page.click('[data-tab="console"]');
    const input = page.locator('[data-role="console-input"]');
    await input.fill("spin()");
    await input.press("Enter");
    await page.locator('[data-role="console-stop"]').click({ timeout: 5000 });
    // The card's call logged the first "stopped".
    await page.locator('[data-role="console-log"] [data-kind="error"]', { hasText: "stopped" }).nth(1).waitFor({ timeout: 5000 });
    await input.fill("add(1, 2)");
    await input.press("Enter");
    await page.locator('[data-role="console-log"] [data-role="value"]', { hasText: /^3$/ }).waitFor({ timeout: 5000 });
    check(true, "the console's spin() stopped too, and add(1, 2) = 3 after it");
  },

  /** Results as the CLI prints them (DATA: each call with what `wasmrun exec --invoke` printed): inf, -inf, nan and
   *  its payloads, -0, and the same switch to exponents. In the console too. */
  async values(page) {
    for (const { fn, args, expected } of JSON.parse(data)) {
      const r = await call(page, fn, args);
      check(r.status === "ok" && r.text === expected, `${fn}(${args.join(", ")}) prints ${expected} as the CLI does (got ${r.status} ${r.text})`);
    }
    await page.click('[data-tab="console"]');
    const input = page.locator('[data-role="console-input"]');
    const printed = page.locator('[data-role="console-log"] [data-role="value"]', { hasText: /^-inf$/ });
    const before = await printed.count();
    await input.fill("d(-inf)");
    await input.press("Enter");
    await printed.nth(before).waitFor({ timeout: 5000 });
    check(true, "the console prints d(-inf) as -inf");
  },

  /** An AssemblyScript module whose only import is env.abort: the playground, which provides it, not a plain page. */
  async ascPlayground(page) {
    const state = await (await fetch(new URL("/_wasmrun/api/state", url))).json();
    check(state.mode === "playground", `served as the playground (mode ${state.mode})`);
    await page.locator('[data-export="add"]').waitFor();
    let r = await call(page, "add", ["2", "3"]);
    check(r.status === "ok" && r.text === "5", `add(2, 3) = 5 (got ${r.status} ${r.text})`);
    r = await call(page, "positive", ["-1"]);
    check(r.status === "trap" && /abort: not positive at assembly\/index\.ts:\d+:\d+/.test(r.text), `an assert that fails is an abort with its message and place (got ${r.status} ${r.text})`);
    r = await call(page, "positive", ["7"]);
    check(r.text === "7", `and the module answers on (got ${r.text})`);
    await page.screenshot({ path: join(screenshots, "asc-playground.png"), fullPage: true });
  },

  /** A Go project's page (wasmgo's web target: wasm_exec.js and a launcher): the Go program runs in the page. */
  async goApp(page) {
    await page.locator("#output", { hasText: "Hello, world, from gdemo! 2 + 3 = 5" }).waitFor();
    check(true, "the Go program printed into its page");
    check((await page.locator('script[src="/_wasmrun/reload.js"]').count()) === 1, "the page got the reload client");
    await page.screenshot({ path: join(screenshots, "go-app.png"), fullPage: true });
  },

  /** The project's own page: the injected client reloads it after a rebuild and shows failures in its overlay. */
  async app(page) {
    await page.locator("h1", { hasText: "own page" }).waitFor();
    // A restart starts the generations over: the same generation from another server process is another build.
    await page.evaluate(() => { window.wasmrunTestMarker = "before the restart"; });
    await stopServer();
    await startServer();
    await page.waitForFunction(() => window.wasmrunTestMarker === undefined, null, { timeout: 30_000 });
    await page.locator("h1", { hasText: "own page" }).waitFor();
    check(true, "the page reloaded itself after the server restarted");

    await page.evaluate(() => { window.wasmrunTestMarker = "first load"; });
    await edit("main.c", "return a + b;", "return a + b + 1;");
    await page.waitForFunction(() => window.wasmrunTestMarker === undefined, null, { timeout: 60_000 });
    await page.locator("h1", { hasText: "own page" }).waitFor();
    check(true, "the page reloaded itself after the rebuild");

    await edit("main.c", "return a + b + 1;", "return a + missing;");
    const overlay = page.locator('wasmrun-reload[data-role="overlay"]');
    await overlay.waitFor();
    check((await overlay.locator('[data-role="error"]').allInnerTexts()).some((e) => e.includes("main.c:")), "the app's overlay shows the error");
    await codeFrameShows(overlay, "missing");
    await page.screenshot({ path: join(screenshots, "app-overlay.png"), fullPage: true });
    await edit("main.c", "return a + missing;", "return a + b;");
    await page.waitForFunction(() => !document.querySelector('wasmrun-reload[data-role="overlay"]'), null, { timeout: 60_000 });
    check(true, "fixed: the page reloaded without the overlay");
  },
};

await runScenario(scenarios);
