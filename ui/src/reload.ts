// The reload client injected into the project's own page in app mode: reloads on a new build, shows a small
// corner badge while building or disconnected, and a failed build's errors in an overlay. Both live in shadow
// roots so the app's CSS cannot reach them; nothing is added to the page's globals.
import { buildKey, failureItems, type BuildState } from "./api";
import { connectLive } from "./live";

// The host elements sit in the page's DOM, where its rules reach them; `!important` in :host wins over those
// (the inner context wins for important declarations), so a page's `* { display: none }` cannot hide these.
const hostCss = (place: string): string =>
  `:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483647!important;${place}}` +
  `*{box-sizing:border-box;font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}`;

const BADGE_CSS = `${hostCss("right:12px!important;bottom:12px!important")}
div{padding:4px 10px;border-radius:999px;background:#1f2430;color:#e8ebf2;box-shadow:0 2px 8px #0004;opacity:.92}`;

const OVERLAY_CSS = `${hostCss("inset:0!important")}
.backdrop{position:absolute;inset:0;background:#0008;display:flex;align-items:flex-start;justify-content:center;padding:8vh 16px}
.box{background:#fff;color:#1b1f27;max-width:860px;width:100%;max-height:80vh;overflow:auto;border-radius:10px;border-top:4px solid #d13b3b;padding:18px 22px;box-shadow:0 12px 40px #0006}
h2{margin:0;font-size:17px;font-weight:650;color:#b42323}
header{display:flex;justify-content:space-between;align-items:center;gap:12px}
button{cursor:pointer;border:1px solid #c9ced8;background:#f4f5f8;color:inherit;border-radius:6px;padding:4px 12px}
button:focus-visible{outline:2px solid #3b6fd1;outline-offset:2px}
p{margin:8px 0 0;color:#5b6372}
ol+p{margin-top:12px}
ol{margin:14px 0 0;padding:0;list-style:none}
li{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word;padding:6px 10px;margin-top:6px;background:#fbeaea;border-radius:6px}
pre{font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre;tab-size:4;overflow-x:auto;margin:8px 0 2px;padding:8px 10px;background:#fff;border-radius:4px}`;

// The build this page is (api.ts buildKey), from the first state.
let loaded: string | null = null;
let badge: { element: HTMLElement; text: HTMLElement } | null = null;
let overlay: HTMLElement | null = null;
let building = false;
let connected = true;

function attach(css: string, role: string): { element: HTMLElement; root: ShadowRoot } {
  const element = document.createElement("wasmrun-reload");
  element.setAttribute("data-role", role);
  const root = element.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = css;
  root.append(style);
  (document.body ?? document.documentElement).append(element);
  return { element, root };
}

function showBadge(): void {
  const text = !connected ? "wasmrun: disconnected" : building ? "wasmrun: building…" : null;
  if (!text) {
    badge?.element.remove();
    badge = null;
    return;
  }
  if (!badge) {
    const { element, root } = attach(BADGE_CSS, "reload-badge");
    const text = document.createElement("div");
    text.setAttribute("role", "status");
    root.append(text);
    badge = { element, text };
  }
  badge.text.textContent = text;
}

function closeOverlay(): void {
  overlay?.remove();
  overlay = null;
  document.removeEventListener("keydown", onKey, true);
}

function onKey(event: KeyboardEvent): void {
  if (event.key === "Escape") closeOverlay();
}

function showOverlay(build: BuildState): void {
  closeOverlay();
  const { element, root } = attach(OVERLAY_CSS, "overlay");
  const backdrop = document.createElement("div");
  backdrop.className = "backdrop";
  const box = document.createElement("div");
  box.className = "box";
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-modal", "true");
  box.setAttribute("aria-label", "Build failed");
  const header = document.createElement("header");
  const title = document.createElement("h2");
  title.textContent = "Build failed";
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Dismiss";
  close.setAttribute("data-action", "dismiss");
  close.addEventListener("click", closeOverlay);
  header.append(title, close);
  const parts: HTMLElement[] = [header];
  if (build.message && (build.errors ?? []).length > 0) {
    const message = document.createElement("p");
    message.textContent = build.message;
    parts.push(message);
  }
  const list = document.createElement("ol");
  for (const { line, frame } of failureItems(build)) {
    const item = document.createElement("li");
    item.setAttribute("data-role", "error");
    item.textContent = line;
    if (frame) {
      const code = document.createElement("pre");
      code.setAttribute("data-role", "code-frame");
      code.textContent = frame;
      item.append(code);
    }
    list.append(item);
  }
  const note = document.createElement("p");
  note.textContent = "This page is the last good build. Fix the error and save: the page reloads when it builds.";
  box.append(...parts, list, note);
  backdrop.append(box);
  root.append(backdrop);
  overlay = element;
  document.addEventListener("keydown", onKey, true);
  close.focus();
}

connectLive({
  event(event) {
    switch (event.type) {
      case "building":
        building = true;
        showBadge();
        return;
      case "built":
        location.reload();
        return;
      case "failed":
      case "state": {
        const state = event.state;
        // The first state tells which build this page is; a different one after a reconnect (a rebuild while
        // disconnected, or a restarted server) means it is stale.
        if (loaded === null) loaded = buildKey(state);
        else if (buildKey(state) !== loaded) {
          location.reload();
          return;
        }
        building = state.build?.status === "building";
        showBadge();
        if (state.build?.status === "failed") showOverlay(state.build);
        else closeOverlay();
      }
    }
  },
  connected() {
    connected = true;
    showBadge();
  },
  disconnected() {
    connected = false;
    showBadge();
  },
});
