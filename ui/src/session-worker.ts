// The session's worker (dist/session-worker.js): one instance of the module, kept from call to call, off the page's
// thread. It answers the page's requests (export calls, memory reads and grows) one at a time, in order; the page
// terminates it to stop a call that does not return, and starts another for a fresh instance.
import type { WASI } from "@bjorn3/browser_wasi_shim";
import { ABORT_MODULE, abortImport } from "./abort";
import type { CallOutcome, GrowOutcome, MemoryView, SessionMessage, SessionRequest, SessionSetup } from "./session";
import { formatValue, parseArgs, type Signature } from "./values";
import { createWasi, endingOf, WASI_MODULE, type Stream } from "./wasi";

// The dom lib types `self` as a Window; only these two members of the worker scope are used.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<SessionRequest>) => void) | null;
  postMessage(message: SessionMessage, transfer?: Transferable[]): void;
};

/** Decodes a WASI byte stream into whole lines for the console; `flush` hands over a last line without a newline. */
class LineSink {
  private readonly decoder = new TextDecoder();
  private pending = "";

  constructor(private readonly stream: Stream) {}

  write(bytes: Uint8Array): void {
    this.pending += this.decoder.decode(bytes, { stream: true });
    const lines = this.pending.split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) scope.postMessage({ type: "output", stream: this.stream, line });
  }

  flush(): void {
    this.pending += this.decoder.decode();
    if (this.pending !== "") scope.postMessage({ type: "output", stream: this.stream, line: this.pending });
    this.pending = "";
  }
}

const stdout = new LineSink("stdout");
const stderr = new LineSink("stderr");
let instance: WebAssembly.Instance | null = null;

function flush(): void {
  stdout.flush();
  stderr.flush();
}

async function start(setup: SessionSetup): Promise<string | null> {
  try {
    const imported = new Set(WebAssembly.Module.imports(setup.module).map((imp) => imp.module));
    const imports: WebAssembly.Imports = {};
    const wasi = imported.has(WASI_MODULE)
      ? createWasi({
          args: [setup.file],
          env: [],
          stdin: new Uint8Array(),
          stdout: (bytes) => stdout.write(bytes),
          stderr: (bytes) => stderr.write(bytes),
        })
      : null;
    if (wasi) imports[WASI_MODULE] = wasi.wasiImport;
    if (imported.has(ABORT_MODULE)) imports[ABORT_MODULE] = abortImport(() => exportedMemory("memory"));
    instance = await WebAssembly.instantiate(setup.module, imports);
    // The shim's functions reach memory through `inst`, so it is set before any export runs. (A start section that
    // called WASI would run before this; WASI toolchains do not emit one.)
    if (wasi) wasi.inst = instance as unknown as WASI["inst"];
    const initialize = setup.initialize === null ? undefined : instance.exports[setup.initialize];
    if (typeof initialize === "function") initialize();
    return null;
  } catch (thrown) {
    const ending = endingOf(thrown);
    return ending.status === "exit" ? `it exited with code ${ending.code} while starting` : ending.message;
  } finally {
    flush();
  }
}

function call(name: string, signature: Signature, texts: string[]): CallOutcome {
  const exported = instance?.exports[name];
  if (typeof exported !== "function") return { status: "error", message: instance ? `no exported function ${name}` : "the module is not instantiated" };
  const args = parseArgs(signature, texts);
  if ("error" in args) return { status: "error", message: args.error };
  const results = signature.results;
  try {
    const raw: unknown = exported(...args.values);
    // The JS API returns undefined for no result, the value for one, and an array for several.
    const values = results.length === 1 ? [raw] : results.length === 0 ? [] : Array.from(raw as Iterable<unknown>);
    return { status: "ok", values: results.map((type, i) => ({ type, text: formatValue(type, values[i]) })) };
  } catch (thrown) {
    return endingOf(thrown);
  } finally {
    flush();
  }
}

function exportedMemory(name: string): WebAssembly.Memory | null {
  const memory = instance?.exports[name];
  return memory instanceof WebAssembly.Memory ? memory : null;
}

function read(name: string, start: number, length: number): MemoryView | null {
  const memory = exportedMemory(name);
  if (!memory) return null;
  const size = memory.buffer.byteLength;
  const from = Math.max(0, Math.min(start, size - length));
  return { name, size, start: from, bytes: new Uint8Array(memory.buffer.slice(from, from + length)) };
}

function grow(name: string, pages: number): GrowOutcome {
  const memory = exportedMemory(name);
  if (!memory) return { error: `no memory ${name}` };
  try {
    return { before: memory.grow(pages) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function answer(request: SessionRequest): Promise<void> {
  switch (request.type) {
    case "start":
      scope.postMessage({ type: "started", error: await start(request.setup) });
      break;
    case "call":
      scope.postMessage({ type: "called", id: request.id, outcome: call(request.name, request.signature, request.texts) });
      break;
    case "memory": {
      const view = read(request.name, request.start, request.length);
      scope.postMessage({ type: "memory", id: request.id, view }, view ? [view.bytes.buffer] : []);
      break;
    }
    case "grow":
      scope.postMessage({ type: "grown", id: request.id, outcome: grow(request.name, request.pages) });
      break;
  }
}

// Instantiating is asynchronous: requests that arrive meanwhile wait for it, and every answer keeps its turn.
let previous = Promise.resolve();
scope.onmessage = (event) => {
  previous = previous.then(() => answer(event.data));
};
