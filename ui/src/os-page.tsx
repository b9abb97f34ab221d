// The OS page (`wasmrun os`): the kernel's status in the top bar, then panels for the processes (table, start, the
// chosen one's console), the files and the kernel log; re-renders on every change of the OsModel. Its shell is
// templates/pages/os.html.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { FileBrowser } from "./components/FileBrowser";
import { applyTheme, DisconnectedBanner, initialTheme, ThemeToggle } from "./components/Header";
import { KernelLog } from "./components/KernelLog";
import { ProcessConsole } from "./components/ProcessConsole";
import { ProcessTable, StartForm } from "./components/ProcessTable";
import { TabPanels, Tabs } from "./components/Tabs";
import { formatSeconds, formatSize, OsModel } from "./os";

type TabId = "processes" | "files" | "log";

const TAB_LABELS: Record<TabId, string> = {
  processes: "Processes",
  files: "Files",
  log: "Kernel log",
};

function KernelStatus({ os }: { os: OsModel }) {
  const status = os.status;
  if (!status) return null;
  // The table's states move the moment a process changes; the status ticks once a second.
  const running = [...os.processes.values()].filter((p) => p.state === "running").length;
  const started = Math.max(status.total, os.processes.size);
  return (
    <dl class="kernel-status" aria-label="Kernel status" data-role="kernel-status">
      <div>
        <dt>uptime</dt>
        <dd data-role="uptime">{formatSeconds(status.uptime_seconds)}</dd>
      </div>
      <div>
        <dt>processes</dt>
        <dd data-role="process-count">
          {running} running, {started} started
        </dd>
      </div>
      <div>
        <dt>memory</dt>
        <dd data-role="memory">{formatSize(status.memory_bytes)}</dd>
      </div>
    </dl>
  );
}

function OsHeader({ os }: { os: OsModel }) {
  const kernel = os.kernel;
  const disconnected = os.connection === "disconnected";
  return (
    <header class="topbar">
      {disconnected && <DisconnectedBanner consequence="The processes shown may have changed; the page catches up when the server is back." />}
      <div class="brand">
        <span class="logo" aria-hidden="true">
          wasm<b>run</b> os
        </span>
        <h1 data-role="project">{kernel?.name ?? "wasmrun os"}</h1>
        {kernel && (
          <span class="file" data-role="entry" title={`${kernel.language} project`}>
            {kernel.entry}
          </span>
        )}
      </div>
      <div class="topbar-end">
        <KernelStatus os={os} />
        <span class="badge" data-role="connection" data-connection={os.connection} data-status={disconnected ? "failed" : os.connection === "connected" ? "built" : "building"}>
          <span class="dot" aria-hidden="true" />
          {os.connection}
        </span>
        <ThemeToggle />
      </div>
    </header>
  );
}

function App({ os }: { os: OsModel }) {
  const [, setRevision] = useState(0);
  useEffect(() => os.subscribe(() => setRevision(os.revision)), []);
  const [active, setActive] = useState<TabId>("processes");
  const tabs: TabId[] = ["processes", "files", "log"];

  const panel = (tab: TabId) => {
    switch (tab) {
      case "processes":
        return (
          <div class="os-processes">
            <StartForm os={os} />
            <ProcessTable os={os} />
            <ProcessConsole os={os} />
          </div>
        );
      case "files":
        return <FileBrowser os={os} />;
      case "log":
        return <KernelLog os={os} />;
    }
  };

  return (
    <>
      <OsHeader os={os} />
      <main class="main">
        {os.problem && (
          <div class="banner" role="alert" data-role="problem">
            {os.problem}{" "}
            <button type="button" class="link" onClick={() => os.dismissProblem()}>
              Dismiss
            </button>
          </div>
        )}
        <p class="note network-note" data-role="network-note">
          Processes have no network: WASI preview 1 gives them no sockets. They see only /app (the project), /tmp and their runtime's files.
        </p>
        <Tabs tabs={tabs} labels={TAB_LABELS} active={active} onSelect={setActive} />
        <TabPanels tabs={tabs} active={active} panel={panel} />
      </main>
    </>
  );
}

applyTheme(initialTheme());
const os = new OsModel();
render(<App os={os} />, document.getElementById("app")!);
os.start();
