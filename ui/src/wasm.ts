// The module in the page: what can be called (signatures from the type section, never from names), the imports
// the page can provide (WASI preview 1 through browser_wasi_shim, AssemblyScript's env.abort), and command runs in
// the terminal's worker.
// Export calls run in the session's worker (session.ts).
import { WASI } from "@bjorn3/browser_wasi_shim";
import { isAbortImport } from "./abort";
import type { ImportReport, InspectReport } from "./api";
import type { Signature } from "./values";
import { WASI_MODULE, WORKER_URL, type Ending, type RunRequest, type Stream, type WorkerMessage } from "./wasi";

export interface ExportedFunction {
  name: string;
  signature: Signature;
  // Why JavaScript cannot call it (a v128 or reference parameter), or null when it can.
  blocker: string | null;
}

/** A compiled module and what the page derived from its inspector report. */
export interface Program {
  module: WebAssembly.Module;
  info: InspectReport;
  file: string;
  // The exports the playground offers as cards: every function except the WASI entry point (run by the terminal,
  // or by instantiation for a reactor).
  functions: ExportedFunction[];
  memories: string[];
  // Imports the page cannot provide; when any, the module cannot be instantiated.
  missing: ImportReport[];
}

export const signatureText = (signature: Signature): string =>
  `(${signature.params.join(", ")}) -> ${signature.results.length === 1 ? signature.results[0] : `(${signature.results.join(", ")})`}`;

// JS-API ToWebAssemblyValue has no conversion for v128, and a reference can only be passed as the object it is.
const UNCALLABLE_PARAMS = new Set(["v128", "funcref", "externref"]);

const isKnownType = (type: string): boolean =>
  ["i32", "i64", "f32", "f64", "v128", "funcref", "externref"].includes(type);

function blockerOf(signature: Signature): string | null {
  const param = signature.params.find((type) => UNCALLABLE_PARAMS.has(type) || !isKnownType(type));
  if (param) return `takes a ${param} parameter, which JavaScript cannot pass`;
  if (signature.results.includes("v128")) return "returns a v128, which JavaScript cannot receive";
  return null;
}

// The names browser_wasi_shim implements: anything else a module imports from WASI is reported missing.
const WASI_FUNCTIONS = new Set(Object.keys(new WASI([], [], [], { debug: false }).wasiImport));

export function describeProgram(module: WebAssembly.Module, info: InspectReport, file: string): Program {
  const entryExport = info.entry.kind === "command" || info.entry.kind === "reactor" ? info.entry.export : null;
  const functions: ExportedFunction[] = [];
  for (const exported of info.exports) {
    if (exported.kind !== "func" || exported.name === entryExport) continue;
    const fn = info.functions.find((candidate) => candidate.index === exported.index);
    const type = fn ? info.types[fn.type_index] : undefined;
    if (!type) continue;
    const signature = { params: type.params, results: type.results };
    functions.push({ name: exported.name, signature, blocker: blockerOf(signature) });
  }
  // The compiled module is the truth about imports; the report only adds their type text.
  const missing = WebAssembly.Module.imports(module)
    .filter((imp) => !(imp.module === WASI_MODULE && imp.kind === "function" && WASI_FUNCTIONS.has(imp.name)))
    .map(
      (imp) =>
        info.imports.find((known) => known.module === imp.module && known.name === imp.name) ?? {
          module: imp.module,
          name: imp.name,
          kind: imp.kind === "function" ? "func" : imp.kind,
          index: 0,
          type: "",
        },
    )
    .filter((imp) => !isAbortImport(imp));
  return {
    module,
    info,
    file,
    functions,
    memories: info.exports.filter((e) => e.kind === "memory").map((e) => e.name),
    missing,
  };
}

// ---- the terminal ----

export interface RunInput {
  args: string[];
  env: string[];
  // The program's whole stdin, UTF-8.
  stdin: Uint8Array;
}

export interface RunHandlers {
  output(chunks: [Stream, string][]): void;
  end(ending: Ending): void;
}

/**
 * Runs a WASI command once, in a fresh instance in a fresh worker (wasi-worker.ts), so a program that never ends
 * leaves the page alive. `stop` terminates the worker at once; `end` is not called after it.
 */
export function startCommand(program: Program, input: RunInput, handlers: RunHandlers): { stop(): void } {
  const worker = new Worker(WORKER_URL);
  let ended = false;
  const finish = (ending: Ending | null) => {
    if (ended) return;
    ended = true;
    worker.terminate();
    if (ending) handlers.end(ending);
  };
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    // Output the worker posted before it was stopped may still be queued; it belongs to no run now.
    if (ended) return;
    const message = event.data;
    if (message.type === "output") handlers.output(message.chunks);
    else finish(message.ending);
  };
  // A script that failed to load gives a plain Event; an error the worker did not catch gives an ErrorEvent.
  worker.onerror = (event) => {
    event.preventDefault();
    finish({ status: "error", message: `the terminal's worker failed: ${event.message || `cannot load ${WORKER_URL}`}` });
  };
  const request: RunRequest = {
    module: program.module,
    entry: program.info.entry.export ?? "_start",
    args: [program.file, ...input.args],
    env: input.env,
    stdin: input.stdin,
  };
  worker.postMessage(request, [input.stdin.buffer]);
  return { stop: () => finish(null) };
}
