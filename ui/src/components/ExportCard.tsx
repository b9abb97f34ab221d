// One exported function: a typed input per parameter, Call (or Enter), Stop while its call runs, and the typed
// result, trap or error.
import { useState } from "preact/hooks";
import type { Outcome, Playground } from "../playground";
import { signatureText, type ExportedFunction } from "../wasm";
import { Values } from "./Value";

const PLACEHOLDER: Record<string, string> = { i32: "0", i64: "0", f32: "0.0", f64: "0.0" };

function Result({ id, outcome, calls }: { id: string; outcome: Outcome | null; calls: number }) {
  let body;
  switch (outcome?.status) {
    case undefined:
      body = <span class="muted">not called yet</span>;
      break;
    case "running":
      body = <span class="muted">running…</span>;
      break;
    case "stopped":
      body = "stopped: the module was instantiated afresh";
      break;
    case "ok":
      body = outcome.values.length === 0 ? <span class="muted">done, no result</span> : <Values values={outcome.values} />;
      break;
    case "trap":
      body = `trap: ${outcome.message}`;
      break;
    case "exit":
      body = `exited with code ${outcome.code}`;
      break;
    case "error":
      body = `error: ${outcome.message}`;
      break;
    case "invalid":
      body = outcome.message;
      break;
  }
  return (
    <output id={id} class="call-result" data-role="result" data-status={outcome?.status ?? "idle"} data-call={calls} aria-live="polite">
      {body}
    </output>
  );
}

export function ExportCard({ pg, fn }: { pg: Playground; fn: ExportedFunction }) {
  const params = fn.signature.params;
  const [texts, setTexts] = useState<string[]>(() => params.map(() => ""));
  const card = pg.card(fn.name);
  const outcome = card.outcome;
  const invalidParam = outcome?.status === "invalid" ? outcome.param : null;
  const id = `export-${fn.name.replace(/[^\w-]/g, "_")}`;
  // The session answers one call at a time: the others wait until this one ends or is stopped.
  const ready = pg.session !== null && pg.calling === null;
  const running = pg.calling?.name === fn.name;

  // A rebuild can change the parameter count; keep what was typed for the parameters that remain.
  const values = params.map((_, index) => texts[index] ?? "");
  const setText = (index: number, text: string) => setTexts(params.map((_, i) => (i === index ? text : (values[i] ?? ""))));

  return (
    <section class="card" data-export={fn.name} aria-labelledby={`${id}-name`}>
      <header class="card-head">
        <h3 id={`${id}-name`} class="mono">
          {fn.name}
        </h3>
        <code class="signature">{signatureText(fn.signature)}</code>
      </header>
      {fn.blocker ? (
        <p class="note" data-role="uncallable">
          Cannot be called from JavaScript: it {fn.blocker}.
        </p>
      ) : (
        <form
          class="call-form"
          onSubmit={(event) => {
            event.preventDefault();
            void pg.call(fn.name, values);
          }}
        >
          {params.length > 0 && (
            <div class="params">
              {params.map((type, index) => (
                <div class="param" key={index}>
                  <label for={`${id}-p${index}`}>
                    <span class="param-index">{index}</span>
                    <span class="param-type">{type}</span>
                  </label>
                  <input
                    id={`${id}-p${index}`}
                    class="mono"
                    data-param={String(index)}
                    value={values[index]}
                    placeholder={PLACEHOLDER[type] ?? ""}
                    autocomplete="off"
                    spellcheck={false}
                    aria-invalid={invalidParam === index}
                    aria-describedby={invalidParam === index ? `${id}-result` : undefined}
                    onInput={(event) => setText(index, event.currentTarget.value)}
                  />
                </div>
              ))}
            </div>
          )}
          <div class="call-actions">
            <button type="submit" class="primary" data-action="call" disabled={!ready}>
              Call
            </button>
            {running && (
              <button type="button" data-action="stop" title="Stop the call: the module is instantiated afresh" onClick={() => pg.stopCall()}>
                Stop
              </button>
            )}
          </div>
        </form>
      )}
      <Result id={`${id}-result`} outcome={outcome} calls={card.calls} />
    </section>
  );
}
