// Builds ui/dist/: the playground (index.html, app.js, app.css), its workers (session-worker.js for export calls,
// wasi-worker.js for the terminal), the app-mode reload client (reload.js) and the OS page (os.js and os.css, over
// app.css; its shell is templates/pages/os.html), bundled and minified by esbuild.
// `npm run build` type-checks first.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const dist = new URL("./dist/", import.meta.url).pathname;
const shared = {
  bundle: true,
  minify: true,
  target: ["es2022", "chrome111", "firefox113", "safari16.4"],
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning",
};

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await Promise.all([
  build({
    ...shared,
    entryPoints: { app: "src/main.tsx", os: "src/os-page.tsx" },
    outdir: dist,
    format: "esm",
    jsx: "automatic",
    jsxImportSource: "preact",
  }),
  build({ ...shared, entryPoints: { app: "src/app.css", os: "src/os.css" }, outdir: dist }),
  // A classic worker script: module workers need Firefox 114, one past the targets above.
  build({ ...shared, entryPoints: { "wasi-worker": "src/wasi-worker.ts", "session-worker": "src/session-worker.ts" }, outdir: dist, format: "iife" }),
  // A classic script works too, should a page include it without type="module"; an IIFE keeps globals clean.
  build({ ...shared, entryPoints: { reload: "src/reload.ts" }, outdir: dist, format: "iife" }),
  copyFile("src/index.html", `${dist}index.html`),
  copyFile("src/favicon.svg", `${dist}favicon.svg`),
]);
