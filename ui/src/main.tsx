// The playground page: mounts the app, lays out the header and the tabbed panels (playground, console, terminal,
// memory, module info), and re-renders on every change of the Playground model.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Console } from "./components/Console";
import { ExportCard } from "./components/ExportCard";
import { BuildFailure } from "./components/BuildFailure";
import { applyTheme, Header, initialTheme } from "./components/Header";
import { Info } from "./components/Info";
import { Memory } from "./components/Memory";
import { TabPanels, Tabs } from "./components/Tabs";
import { Terminal } from "./components/Terminal";
import { Playground } from "./playground";

type TabId = "playground" | "console" | "terminal" | "memory" | "info";

const TAB_LABELS: Record<TabId, string> = {
  playground: "Playground",
  console: "Console",
  terminal: "Terminal",
  memory: "Memory",
  info: "Module info",
};

function Cards({ pg }: { pg: Playground }) {
  const program = pg.program;
  if (!program) return <p class="muted">{pg.state && !pg.state.module ? "No module yet: waiting for the first good build." : "Loading the module…"}</p>;
  if (program.functions.length === 0) {
    return (
      <p class="muted">
        {program.info.entry.kind === "command"
          ? `This module exports no functions besides ${program.info.entry.export}: run it in the Terminal tab.`
          : "This module exports no functions."}
      </p>
    );
  }
  return (
    <div class="cards">
      {program.functions.map((fn) => (
        <ExportCard key={fn.name} pg={pg} fn={fn} />
      ))}
    </div>
  );
}

function App({ pg }: { pg: Playground }) {
  const [, setRevision] = useState(0);
  useEffect(() => pg.subscribe(() => setRevision(pg.revision)), []);
  const [chosen, setChosen] = useState<TabId | null>(null);

  const program = pg.program;
  const isCommand = program?.info.entry.kind === "command";
  const tabs: TabId[] = isCommand ? ["playground", "console", "terminal", "memory", "info"] : ["playground", "console", "memory", "info"];
  // A command's natural first view is its terminal; after that the user's choice holds while it exists.
  const active: TabId = chosen && tabs.includes(chosen) ? chosen : isCommand ? "terminal" : "playground";

  const disconnected = pg.connection === "disconnected";
  useEffect(() => {
    if (pg.state) document.title = `${disconnected ? "(disconnected) " : ""}${pg.state.name} · wasmrun`;
  }, [pg.state?.name, disconnected]);

  const panel = (tab: TabId) => {
    switch (tab) {
      case "playground":
        return <Cards pg={pg} />;
      case "console":
        return <Console pg={pg} />;
      case "terminal":
        return <Terminal pg={pg} />;
      case "memory":
        return <Memory pg={pg} />;
      case "info":
        return program ? <Info info={program.info} /> : <p class="muted">Loading the module…</p>;
    }
  };

  return (
    <>
      <Header pg={pg} />
      <main class="main">
        {pg.problem && (
          <div class="banner" role="alert" data-role="problem">
            {pg.problem}
          </div>
        )}
        {pg.failure && <BuildFailure build={pg.failure} live={pg.session !== null} onDismiss={() => pg.dismissFailure()} />}
        <Tabs tabs={tabs} labels={TAB_LABELS} active={active} onSelect={setChosen} />
        <TabPanels tabs={tabs} active={active} panel={panel} />
      </main>
    </>
  );
}

applyTheme(initialTheme());
const playground = new Playground();
render(<App pg={playground} />, document.getElementById("app")!);
playground.start();
