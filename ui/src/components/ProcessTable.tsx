// The OS page's process table: pid, parent, command line, state, CPU time, memory and how it ended, a Kill and a
// Restart button per process, and a command line to start another; choosing a process shows its console.
import { useState } from "preact/hooks";
import type { OsProcessView } from "../api";
import { formatSeconds, formatSize, type OsModel } from "../os";

function Ending({ process }: { process: OsProcessView }) {
  if (process.state === "running") return <span class="muted">—</span>;
  return (
    <span title={process.reason ?? undefined}>
      {process.exit_status !== null ? `${process.exit_status}` : ""}
      {process.reason && process.cause !== "exit" ? <span class="muted"> ({process.reason})</span> : null}
    </span>
  );
}

export function StartForm({ os }: { os: OsModel }) {
  const [command, setCommand] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="start-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!command.trim()) return;
        setBusy(true);
        void os.spawn(command).then((reply) => {
          setBusy(false);
          if (reply.ok) setCommand("");
        });
      }}
    >
      <label for="os-command">Command</label>
      <input
        id="os-command"
        class="mono"
        data-role="command"
        value={command}
        placeholder="node tool.js   python main.py   app.wasm ARGS"
        autocomplete="off"
        spellcheck={false}
        onInput={(event) => setCommand(event.currentTarget.value)}
      />
      <button type="submit" class="primary" data-action="start" disabled={busy || os.connection !== "connected"}>
        Start
      </button>
    </form>
  );
}

export function ProcessTable({ os }: { os: OsModel }) {
  const processes = [...os.processes.values()].sort((a, b) => a.pid - b.pid);
  return (
    <div class="table-scroll">
      <table class="grid-table processes" data-role="processes" aria-label="Processes">
        <thead>
          <tr>
            <th scope="col">PID</th>
            <th scope="col">Parent</th>
            <th scope="col">Command</th>
            <th scope="col">State</th>
            <th scope="col">CPU</th>
            <th scope="col">Memory</th>
            <th scope="col">Exit</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {processes.length === 0 && (
            <tr>
              <td colSpan={8} class="muted">
                No processes yet.
              </td>
            </tr>
          )}
          {processes.map((process) => {
            const running = process.state === "running";
            const selected = process.pid === os.selected;
            return (
              <tr key={process.pid} data-pid={process.pid} data-state={process.state} class={selected ? "selected" : undefined} aria-current={selected ? "true" : undefined}>
                <td class="mono">{process.pid}</td>
                <td class="mono">{process.parent_pid === 0 ? "kernel" : process.parent_pid}</td>
                <td>
                  <button type="button" class="link mono" data-action="select" aria-label={`Show the console of pid ${process.pid}: ${process.command}`} onClick={() => os.select(process.pid)}>
                    {process.command}
                  </button>
                </td>
                <td>
                  <span class="state" data-role="state" data-state={process.state}>
                    {process.state}
                  </span>
                </td>
                <td class="mono">{formatSeconds(process.cpu_seconds)}</td>
                <td class="mono">{formatSize(process.memory_bytes)}</td>
                <td>
                  <Ending process={process} />
                </td>
                <td class="actions">
                  <button type="button" data-action="kill" aria-label={`Kill pid ${process.pid}`} disabled={!running} onClick={() => void os.kill(process.pid)}>
                    Kill
                  </button>
                  <button type="button" data-action="restart" aria-label={`Restart pid ${process.pid}`} onClick={() => void os.restart(process.pid)}>
                    Restart
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
