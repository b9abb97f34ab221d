// For `./build.sh bench`: save-to-reloaded latency of `wasmrun run --watch` in a real browser.
//   node reload-latency.mjs URL PROJECT ROUNDS
// The served project is a C WASI command whose main.c exports `add`. Each round writes main.c with a new constant
// and times, from just before the write, until the playground shows add(2, 3)'s new result (the page rebuilds,
// re-instantiates and re-runs the call by itself). Prints one JSON object: each round's milliseconds and the build
// time the server reported for it (state.build.seconds).
import { chromium } from "playwright-core";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const [url, project, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? 10);
const source = join(project, "main.c");
const original = await readFile(source, "utf8");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.click('[data-tab="playground"]');
  const card = page.locator('[data-export="add"]');
  await card.locator('[data-param="0"]').fill("2");
  await card.locator('[data-param="1"]').fill("3");
  await card.locator('[data-action="call"]').click();
  await card.locator('[data-role="value"]', { hasText: /^5$/ }).waitFor();
  const samples = [];
  for (let round = 1; round <= rounds; round++) {
    const expected = String(5 + round * 1000);
    // Watched inside the page (a MutationObserver, not Playwright's polling, which backs off to 500 ms steps); both
    // clocks are this machine's wall clock.
    const shown = page.evaluate((value) => new Promise((resolve) => {
      const done = () => document.querySelector('[data-export="add"] [data-role="value"]')?.textContent.trim() === value;
      new MutationObserver((_, observer) => {
        if (done()) {
          observer.disconnect();
          resolve(Date.now());
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }), expected);
    const started = Date.now();
    await writeFile(source, original.replace("return a + b;", `return a + b + ${round * 1000};`));
    const milliseconds = (await shown) - started;
    const state = await (await fetch(new URL("/_wasmrun/api/state", url))).json();
    samples.push({ milliseconds, build: state.build.seconds * 1000, cached: state.build.from_cache });
  }
  console.log(JSON.stringify({ samples }));
} finally {
  await writeFile(source, original);
  await browser.close();
}
