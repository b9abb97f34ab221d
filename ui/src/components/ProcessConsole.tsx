// The console of the chosen process: its stdout and stderr as they arrive (stderr marked), a line of stdin (Enter
// sends it with its newline) and end of file. The view follows the output while it is scrolled to the end.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { OsModel } from "../os";

export function ProcessConsole({ os }: { os: OsModel }) {
  const [line, setLine] = useState("");
  const outputRef = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  const pid = os.selected;
  const process = pid === null ? undefined : os.processes.get(pid);
  const runs = pid === null ? [] : os.output(pid);
  const last = runs.at(-1);

  useLayoutEffect(() => {
    follow.current = true;
  }, [pid]);

  useLayoutEffect(() => {
    const view = outputRef.current;
    if (view && follow.current) view.scrollTop = view.scrollHeight;
  }, [pid, runs.length, last?.text.length]);

  if (pid === null || !process) {
    return (
      <section class="process-console" aria-label="Console">
        <p class="muted">Choose a process to see its console.</p>
      </section>
    );
  }
  const running = process.state === "running";
  return (
    <section class="process-console" aria-label={`Console of pid ${pid}`} data-role="console" data-pid={pid}>
      <h2 class="console-title">
        <span class="mono">{process.command}</span> <span class="muted">pid {pid}</span>{" "}
        <span class="state" data-state={process.state}>
          {process.state}
        </span>
      </h2>
      <pre
        class="terminal process-output"
        data-role="output"
        role="log"
        aria-label={`Output of pid ${pid}`}
        tabIndex={0}
        ref={outputRef}
        onScroll={(event) => {
          const view = event.currentTarget;
          follow.current = view.scrollTop + view.clientHeight >= view.scrollHeight - 4;
        }}
      >
        {runs.length === 0 && <span class="muted">{running ? "No output yet." : "It wrote nothing."}</span>}
        {runs.map((run) => (
          <span key={run.id} class={`out ${run.stream}`} data-stream={run.stream} title={run.stream === "stderr" ? "stderr" : undefined}>
            {run.text}
          </span>
        ))}
        {!running && process.reason && (
          <span class="out ended" data-stream="exit">
            {`\n[${process.reason}]`}
          </span>
        )}
      </pre>
      <form
        class="prompt stdin-form"
        onSubmit={(event) => {
          event.preventDefault();
          void os.input(pid, `${line}\n`);
          setLine("");
        }}
      >
        <label for="os-stdin" class="stdin-label">
          stdin
        </label>
        <input
          id="os-stdin"
          class="mono"
          data-role="stdin"
          aria-label={`Standard input of pid ${pid}`}
          value={line}
          placeholder={running ? "a line for the process; Enter sends it" : "the process has ended"}
          autocomplete="off"
          spellcheck={false}
          disabled={!running}
          onInput={(event) => setLine(event.currentTarget.value)}
        />
        <button type="submit" data-action="send" disabled={!running}>
          Send
        </button>
        <button type="button" data-action="eof" disabled={!running} aria-label={`Close the standard input of pid ${pid} (end of file)`} onClick={() => void os.closeInput(pid)}>
          EOF
        </button>
      </form>
    </section>
  );
}
