// The top bar: project and file, the build's plugin/target/optimization, the build status badge, the light/dark
// theme toggle (default from the system, remembered in localStorage), and a banner across it while the server is lost.
import { useState } from "preact/hooks";
import type { Playground } from "../playground";
import { formatBytes } from "../playground";

type Theme = "light" | "dark";

const THEME_KEY = "wasmrun.theme";

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null; // storage disabled: fall back to the system preference
  }
}

const systemTheme = (): Theme => (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset["theme"] = theme;
}

export const initialTheme = (): Theme => storedTheme() ?? systemTheme();

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => (document.documentElement.dataset["theme"] as Theme | undefined) ?? initialTheme());
  const next: Theme = theme === "dark" ? "light" : "dark";
  const toggle = () => {
    applyTheme(next);
    setTheme(next);
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  };
  return (
    <button type="button" class="icon-button" data-action="theme" aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`} onClick={toggle}>
      <span aria-hidden="true">{theme === "dark" ? "☀" : "☾"}</span>
    </button>
  );
}

function StatusBadge({ pg }: { pg: Playground }) {
  const build = pg.state?.build ?? null;
  const status = pg.building !== null || build?.status === "building" ? "building" : (build?.status ?? "file");
  let text: string;
  let title: string | undefined;
  switch (status) {
    case "building":
      text = "building…";
      title = pg.building?.length ? `changed: ${pg.building.join(", ")}` : undefined;
      break;
    case "built": {
      const seconds = build!.seconds;
      text = seconds === null ? "built" : `built in ${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
      title = build!.from_cache ? "from the build cache" : undefined;
      break;
    }
    case "failed":
      text = "failed";
      title = build!.message;
      break;
    default:
      text = pg.state?.watch ? "watching file" : "file";
      title = "a .wasm file served as it is, without a build";
  }
  const disconnected = pg.connection === "disconnected";
  return (
    <span
      class="badge"
      role="status"
      data-role="build-status"
      data-status={status}
      data-connection={pg.connection}
      title={disconnected ? "the connection to the wasmrun server is lost; reconnecting" : title}
    >
      <span class="dot" aria-hidden="true" />
      {disconnected ? "disconnected" : text}
    </span>
  );
}

// The badge alone was easy to miss: a page that silently stopped following the server looks like a page whose
// edits do nothing. The banner spans the sticky top bar, so it stays in view however far the page is scrolled.
export function DisconnectedBanner({ consequence = "Until then edits are not picked up; the module loaded here still runs." }: { consequence?: string }) {
  return (
    <div class="disconnected" role="alert" data-role="disconnected">
      <strong>Disconnected from the wasmrun server.</strong> Reconnecting… {consequence}
    </div>
  );
}

export function Header({ pg }: { pg: Playground }) {
  const state = pg.state;
  const build = state?.build;
  return (
    <header class="topbar">
      {pg.connection === "disconnected" && <DisconnectedBanner />}
      <div class="brand">
        <span class="logo" aria-hidden="true">
          wasm<b>run</b>
        </span>
        <h1 data-role="project">{state?.name ?? "wasmrun"}</h1>
        {state?.module && (
          <span class="file" data-role="file" title={formatBytes(state.module.size)}>
            {state.module.file}
          </span>
        )}
      </div>
      <div class="topbar-end">
        {build && (
          <ul class="chips" aria-label="build">
            {build.plugin && <li title="plugin">{build.plugin}</li>}
            {build.target && <li title="target">{build.target}</li>}
            {build.optimization && <li title="optimization">{build.optimization}</li>}
          </ul>
        )}
        <StatusBadge pg={pg} />
        <ThemeToggle />
      </div>
    </header>
  );
}
