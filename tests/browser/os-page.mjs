// Browser checks of the OS page against a running `wasmrun os`, in Debian's Chromium driven by playwright-core:
//   node os-page.mjs SCENARIO URL PROJECT SCREENSHOTS
// Most scenarios run a folder with echo.wasm (tests/Wasmrun.Tests/Os/Page/OsPageTests.cs compiles it): a WASI command
// that writes /tmp/hello.txt and /app/out.txt, says "ready" on stderr, echoes each line of stdin ("echo: LINE"), says
// "stdin closed" at end of file and then waits until it is killed; `runtimes` runs a JavaScript and Python project.
// Controls are found by their roles and names.
import { join } from "node:path";
import { check, runScenario, screenshots, startServer, stopServer } from "./harness.mjs";

/** The console's output of a process, once it contains `text`; past the timeout the error says what the page showed
 *  instead (the console, the process table, whether the socket was connected), so a failure under load names its cause. */
async function outputShows(page, pid, text, timeout = 20_000) {
  const output = page.getByRole("log", { name: `Output of pid ${pid}`, exact: true });
  try {
    await output.filter({ hasText: text }).waitFor({ timeout });
  } catch (error) {
    const shown = async (selector) => (await page.locator(selector).allInnerTexts()).join(" | ").replace(/\s+/g, " ");
    const connection = await page.locator("[data-connection]").first().getAttribute("data-connection").catch(() => "unknown");
    throw new Error(`pid ${pid}'s output did not show "${text}" within ${timeout} ms (${error.message.split("\n")[0]});
  socket: ${connection}
  console: ${await shown('[data-role="console"], .process-console')}
  processes: ${await shown('table[aria-label="Processes"] tbody tr')}`);
  }
  return output;
}

/** The process table's row of a pid, once its state is `state`. */
async function rowInState(page, pid, state) {
  const row = page.getByRole("table", { name: "Processes", exact: true }).locator(`tr[data-pid="${pid}"][data-state="${state}"]`);
  await row.waitFor({ timeout: 20_000 });
  return row;
}

const scenarios = {
  /** Live output, stdin echoed back, a second process from the command line, end of file, a kill, the kernel log's
   *  filters, and the file browser showing a file the process wrote. */
  async console(page) {
    await rowInState(page, 1, "running");
    const output = await outputShows(page, 1, "echo started with 1 args");
    await output.locator('[data-stream="stderr"]', { hasText: "echo: ready on stderr" }).waitFor();
    check(true, "the console shows pid 1's stdout, and its stderr marked as stderr");
    check((await page.locator('[data-role="network-note"]').innerText()).includes("no network"), "the page says processes have no network");

    const stdin = page.getByLabel("Standard input of pid 1", { exact: true });
    await stdin.fill("hello from the page");
    await stdin.press("Enter");
    await outputShows(page, 1, "echo: hello from the page");
    check((await stdin.inputValue()) === "", "a line typed into stdin is echoed back by the process, and the field is cleared");

    await page.getByLabel("Command", { exact: true }).fill("echo.wasm second word");
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await rowInState(page, 2, "running");
    await outputShows(page, 2, "echo started with 3 args");
    check(true, "a command started from the page is pid 2 and its console is shown");
    await page.getByRole("button", { name: "Close the standard input of pid 2 (end of file)", exact: true }).click();
    await outputShows(page, 2, "stdin closed; waiting");
    check(true, "EOF closes the process's stdin");

    await page.getByRole("button", { name: /^Show the console of pid 1/ }).click();
    await outputShows(page, 1, "echo: hello from the page");
    await page.screenshot({ path: join(screenshots, "os-page.png") });
    await page.getByRole("button", { name: "Kill pid 1", exact: true }).click();
    const killed = await rowInState(page, 1, "killed");
    check((await killed.locator('[data-role="state"]').innerText()).trim() === "killed", "Kill ends pid 1: its state is killed");
    check((await killed.innerText()).includes("137"), `and its exit status is 137 (${(await killed.innerText()).replace(/\s+/g, " ")})`);
    check(await page.getByRole("button", { name: "Kill pid 1", exact: true }).isDisabled(), "a killed process cannot be killed again");
    await rowInState(page, 2, "running");

    await page.getByRole("tab", { name: "Kernel log", exact: true }).click();
    const log = page.getByRole("log", { name: "Kernel log", exact: true });
    await log.filter({ hasText: "kill requested" }).waitFor();
    await page.locator('[data-role="log-kind"]').selectOption("spawn");
    const spawns = await log.locator("[data-kind]").filter({ has: page.locator(".kind") }).allInnerTexts();
    check(spawns.length === 2 && spawns.every((entry) => entry.includes("spawn")), `filtered by kind: the two spawns (${spawns.join(" | ")})`);
    await page.locator('[data-role="log-kind"]').selectOption("");
    await page.locator('[data-role="log-pid"]').selectOption("2");
    const second = await log.locator(".log-entry").allInnerTexts();
    check(second.length > 0 && second.every((entry) => entry.includes("pid 2")), `filtered by pid: pid 2's entries only (${second.length})`);

    await page.getByRole("tab", { name: "Files", exact: true }).click();
    await page.getByRole("button", { name: "Open folder tmp", exact: true }).click();
    await page.getByRole("button", { name: "View hello.txt", exact: true }).click();
    const viewer = page.getByRole("region", { name: "Contents of /tmp/hello.txt", exact: true });
    await viewer.filter({ hasText: "written by the echo process" }).waitFor();
    check(true, "the file browser shows /tmp/hello.txt, which the process wrote");
    const download = page.getByRole("link", { name: "Download hello.txt", exact: true });
    check((await download.getAttribute("href")).includes("download=1"), "with a download link");
    await page.getByLabel("Upload a file into /tmp").setInputFiles({ name: "uploaded.txt", mimeType: "text/plain", buffer: Buffer.from("from the browser\n") });
    await page.getByRole("table", { name: "Files in /tmp", exact: true }).locator('tr[data-name="uploaded.txt"]').waitFor();
    await page.getByRole("button", { name: "View uploaded.txt", exact: true }).click();
    await page.getByRole("region", { name: "Contents of /tmp/uploaded.txt", exact: true }).filter({ hasText: "from the browser" }).waitFor();
    check(true, "a file uploaded into /tmp is listed and viewed");
    await page.getByRole("button", { name: "Up to the parent folder", exact: true }).click();
    await page.getByRole("button", { name: "Open folder app", exact: true }).click();
    await page.getByRole("button", { name: "View out.txt", exact: true }).click();
    await page.getByRole("region", { name: "Contents of /app/out.txt", exact: true }).filter({ hasText: "app file" }).waitFor();
    check(true, "and /app/out.txt, written into the project");
    await page.screenshot({ path: join(screenshots, "os-files.png"), fullPage: true });
  },

  /** The embedded runtimes behind the page (the project is in OsPageTests.cs): pid 1 is the project's Node-style index.js, with
   *  stdout, stderr and stdin through the page; `python main.py` started from the command line reads the file pid 1
   *  wrote into the kernel's shared /tmp, takes stdin, and exits 0 at end of input; the file browser shows the file. */
  async runtimes(page) {
    await rowInState(page, 1, "running");
    const node = await outputShows(page, 1, "node ready in /app", 60_000);
    await node.locator('[data-stream="stderr"]', { hasText: "node: a warning on stderr" }).waitFor();
    check(true, "pid 1 runs index.js in the JavaScript runtime, in /app, with its stderr marked");
    const nodeStdin = page.getByLabel("Standard input of pid 1", { exact: true });
    await nodeStdin.fill("shout this");
    await nodeStdin.press("Enter");
    await outputShows(page, 1, "node got SHOUT THIS");
    check(true, "a line typed into stdin reaches process.stdin's data event");

    await page.getByLabel("Command", { exact: true }).fill("python main.py --reverse");
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await rowInState(page, 2, "running");
    await outputShows(page, 2, "python 3.11 read node's note: written by node", 60_000);
    check(true, "`python main.py` from the command line is pid 2 and reads what pid 1 wrote into /tmp");
    const pythonStdin = page.getByLabel("Standard input of pid 2", { exact: true });
    await pythonStdin.fill("abc def");
    await pythonStdin.press("Enter");
    await outputShows(page, 2, "python got fed cba");
    await page.getByRole("button", { name: "Close the standard input of pid 2 (end of file)", exact: true }).click();
    await outputShows(page, 2, "python: end of input after 1 lines");
    const exited = await rowInState(page, 2, "exited");
    check((await exited.innerText()).includes("0"), `at end of input pid 2 exits with status 0 (${(await exited.innerText()).replace(/\s+/g, " ")})`);
    const count = (await page.locator('[data-role="process-count"]').innerText()).trim();
    check(count === "1 running, 2 started", `the kernel status counts the end at once (${count})`);
    await page.screenshot({ path: join(screenshots, "os-runtimes.png") });
    await rowInState(page, 1, "running");

    await page.getByRole("tab", { name: "Files", exact: true }).click();
    await page.getByRole("button", { name: "Open folder tmp", exact: true }).click();
    await page.getByRole("button", { name: "View note.json", exact: true }).click();
    await page.getByRole("region", { name: "Contents of /tmp/note.json", exact: true }).filter({ hasText: "written by node" }).waitFor();
    check(true, "the file browser shows /tmp/note.json, which the JavaScript process wrote");
  },

  /** The server stops and starts again on its port: the page says it is disconnected, reconnects by itself and shows
   *  the new kernel (its pid 1 without the old one's output), without a reload. */
  async restart(page) {
    await rowInState(page, 1, "running");
    const stdin = page.getByLabel("Standard input of pid 1", { exact: true });
    await stdin.fill("before the restart");
    await stdin.press("Enter");
    await outputShows(page, 1, "echo: before the restart");
    await page.evaluate(() => {
      window.wasmrunTestMarker = "kept";
    });
    await stopServer();
    await page.locator('[data-role="disconnected"]').waitFor({ timeout: 10_000 });
    check(true, "the page says it lost the server");
    await startServer();
    await page.locator('[data-role="disconnected"]').waitFor({ state: "hidden", timeout: 30_000 });
    const output = page.getByRole("log", { name: "Output of pid 1", exact: true });
    await output.filter({ hasNotText: "before the restart" }).filter({ hasText: "echo started" }).waitFor({ timeout: 20_000 });
    check(await page.evaluate(() => window.wasmrunTestMarker === "kept"), "reconnected without a reload, showing the new kernel's pid 1");
    await page.getByLabel("Standard input of pid 1", { exact: true }).fill("after the restart");
    await page.getByLabel("Standard input of pid 1", { exact: true }).press("Enter");
    await outputShows(page, 1, "echo: after the restart");
    check(true, "and the new pid 1 takes stdin");
  },
};

await runScenario(scenarios);
