// The console: the log of calls and program output, and a prompt for the command language (see commands.ts),
// with Up/Down walking the history, and Stop while a call runs.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Playground } from "../playground";
import { Values } from "./Value";

export function Console({ pg }: { pg: Playground }) {
  const [text, setText] = useState("");
  // Position in the history while walking it with Up/Down; null while editing a fresh line.
  const [cursor, setCursor] = useState<number | null>(null);
  const [draft, setDraft] = useState("");
  const logRef = useRef<HTMLDivElement>(null);
  const last = pg.log.at(-1)?.id;

  useLayoutEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [last]);

  const walk = (step: -1 | 1) => {
    const history = pg.history;
    if (history.length === 0) return;
    const from = cursor ?? history.length;
    const to = Math.max(0, Math.min(history.length, from + step));
    if (cursor === null) setDraft(text);
    setCursor(to === history.length ? null : to);
    setText(to === history.length ? draft : (history[to] ?? ""));
  };

  return (
    <div class="console">
      <div class="console-log mono" data-role="console-log" role="log" aria-label="Console output" tabIndex={0} ref={logRef}>
        {pg.log.length === 0 && <p class="muted">Calls and their results appear here. Type help for the commands.</p>}
        {pg.log.map((line) => (
          <div key={line.id} class={`log-line ${line.kind}`} data-kind={line.kind}>
            {line.values ? <Values values={line.values} /> : line.text}
          </div>
        ))}
      </div>
      <form
        class="prompt"
        onSubmit={(event) => {
          event.preventDefault();
          pg.execute(text);
          setText("");
          setCursor(null);
        }}
      >
        <label for="console-input" class="prompt-mark" title="Console command">
          <span aria-hidden="true">›</span>
          <span class="visually-hidden">Console command</span>
        </label>
        <input
          id="console-input"
          class="mono"
          data-role="console-input"
          value={text}
          placeholder="add(40, 2)   memory.size()   exports   help"
          autocomplete="off"
          spellcheck={false}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setCursor(null);
          }}
          onKeyDown={(event) => {
            if (event.key === "ArrowUp" || event.key === "ArrowDown") {
              event.preventDefault();
              walk(event.key === "ArrowUp" ? -1 : 1);
            }
          }}
        />
        <button type="submit">Send</button>
        {pg.calling && (
          <button type="button" data-role="console-stop" title="Stop the call: the module is instantiated afresh" onClick={() => pg.stopCall()}>
            Stop {pg.calling.name}()
          </button>
        )}
      </form>
    </div>
  );
}
