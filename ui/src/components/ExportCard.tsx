// One exported function: a typed input per parameter, Call (or Enter), and the typed result, trap or error.
import { useState } from "preact/hooks";
import type { Playground } from "../playground";
import { signatureText, type ExportedFunction, type Outcome } from "../wasm";
import { Values } from "./Value";

const PLACEHOLDER: Record<string, string> = { i32: "0", i64: "0", f32: "0.0", f64: "0.0" };

function Result({ id, outcome }: { id: string; outcome: Outcome | null }) {
  let body;
  switch (outcome?.status) {
    case undefined:
      body = <span class="muted">not called yet</span>;
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
    <output id={id} class="call-result" data-role="result" data-status={outcome?.status ?? "idle"} aria-live="polite">
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
  const ready = pg.session !== null;

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
            pg.call(fn.name, values);
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
          <button type="submit" class="primary" data-action="call" disabled={!ready}>
            Call
          </button>
        </form>
      )}
      <Result id={`${id}-result`} outcome={outcome} />
    </section>
  );
}
