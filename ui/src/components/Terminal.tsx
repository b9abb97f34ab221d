// The terminal of a WASI command: arguments, environment and stdin, Run and Stop (the program runs in a worker),
// and stdout and stderr as they are written, then the exit code.
import { Component } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Playground, TerminalLine } from "../playground";

// Output is rendered in blocks of BLOCK lines, keyed by their place in the whole run's output. A render then redoes
// only the blocks that changed (the last, and the first when old lines are dropped), and a flood that replaces every
// line compares a few dozen blocks. Preact looks for each new keyed child among the old ones: with 5000 keyed lines
// and none matching, that search was the largest script cost of a flood (measured: 12% of the page's time).
const BLOCK = 100;

interface BlockProps {
  lines: TerminalLine[];
  // Changes whenever the block shows something new: a line added or dropped, or the open last line grown.
  version: string;
}

class Block extends Component<BlockProps> {
  override shouldComponentUpdate(next: BlockProps): boolean {
    return next.version !== this.props.version;
  }

  override render() {
    return this.props.lines.map((line) => (
      <div key={line.id} class={`term-line ${line.kind}`} data-stream={line.kind}>
        {line.text}
      </div>
    ));
  }
}

function blocks(output: TerminalLine[], dropped: number) {
  const result = [];
  for (let start = 0; start < output.length; ) {
    const number = Math.floor((dropped + start) / BLOCK);
    const end = Math.min(output.length, (number + 1) * BLOCK - dropped);
    const lines = output.slice(start, end);
    result.push(<Block key={number} lines={lines} version={`${lines[0]!.id} ${lines.length} ${lines.at(-1)!.text.length}`} />);
    start = end;
  }
  return result;
}

export function Terminal({ pg }: { pg: Playground }) {
  const [args, setArgs] = useState("");
  const [env, setEnv] = useState("");
  const [stdin, setStdin] = useState("");
  const outputRef = useRef<HTMLDivElement>(null);
  // Follow the output only while the view is at its end, so scrolling up to read is not undone by the next line.
  const follow = useRef(true);
  // The first line is the command line; the rest is output, less what was dropped at the scrollback limit.
  const [command, ...output] = pg.terminal;

  useLayoutEffect(() => {
    follow.current = true;
  }, [command?.id]);

  useLayoutEffect(() => {
    const view = outputRef.current;
    if (view && follow.current) view.scrollTop = view.scrollHeight;
  });

  const run = () => {
    pg.run({ args, env, stdin });
    // Ctrl+C and Escape stop from the output, like in a terminal.
    if (pg.running) outputRef.current?.focus();
  };

  return (
    <div
      class="terminal-panel"
      onKeyDown={(event) => {
        if (event.key === "Escape" && pg.running) {
          event.preventDefault();
          pg.stop();
        }
      }}
    >
      <form
        class="run-form"
        onSubmit={(event) => {
          event.preventDefault();
          run();
        }}
      >
        <label for="terminal-args">Arguments</label>
        <input
          id="terminal-args"
          class="mono"
          data-role="args"
          value={args}
          placeholder={'file.txt "two words"'}
          autocomplete="off"
          spellcheck={false}
          onInput={(event) => setArgs(event.currentTarget.value)}
        />
        <div class="run-actions">
          <button type="submit" class="primary" data-action="run" disabled={!pg.program || pg.running}>
            {pg.running ? "Running…" : "Run"}
          </button>
          <button type="button" data-action="stop" disabled={!pg.running} title="Stop the program (Esc, or Ctrl+C in the output)" onClick={() => pg.stop()}>
            Stop
          </button>
        </div>
        <label for="terminal-env">Environment</label>
        <input
          id="terminal-env"
          class="mono wide"
          data-role="env"
          value={env}
          placeholder={'NAME=value GREETING="hello there"'}
          autocomplete="off"
          spellcheck={false}
          onInput={(event) => setEnv(event.currentTarget.value)}
        />
        <label for="terminal-stdin">Stdin</label>
        <textarea
          id="terminal-stdin"
          class="mono wide"
          data-role="stdin"
          value={stdin}
          rows={2}
          placeholder="What the program reads from stdin (Ctrl+Enter runs)"
          spellcheck={false}
          onInput={(event) => setStdin(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              run();
            }
          }}
        />
      </form>
      <p class="hint">
        Runs <code>_start</code> in a fresh instance in a worker, with an empty directory <code>/</code>; stdin ends after the text above. Esc or
        Ctrl+C stops it.
      </p>
      <div
        class="terminal mono"
        data-role="terminal"
        role="log"
        aria-label="Program output"
        tabIndex={0}
        ref={outputRef}
        onScroll={(event) => {
          const output = event.currentTarget;
          follow.current = output.scrollHeight - output.scrollTop - output.clientHeight < 4;
        }}
        onKeyDown={(event) => {
          // Ctrl+C copies while text is selected, as in most terminals; otherwise it interrupts.
          if (event.ctrlKey && event.key.toLowerCase() === "c" && pg.running && document.getSelection()?.isCollapsed !== false) {
            event.preventDefault();
            pg.stop();
          }
        }}
      >
        {command ? (
          <div class="term-line command" data-stream="command">
            {command.text}
          </div>
        ) : (
          <p class="muted">Press Run to start the program.</p>
        )}
        {pg.terminalDropped > 0 && <div class="term-line dropped">… {pg.terminalDropped} earlier lines not shown</div>}
        {blocks(output, pg.terminalDropped)}
      </div>
    </div>
  );
}
