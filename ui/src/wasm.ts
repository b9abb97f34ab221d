// The module in the page: what can be called (signatures from the type section, never from names), the imports
// the page can provide (WASI preview 1 through browser_wasi_shim), instances, calls, command runs (in a worker),
// and how each value type is parsed from text and printed.
import { WASI } from "@bjorn3/browser_wasi_shim";
import type { ImportInfo, ModuleInfo } from "./api";
import { createWasi, endingOf, WASI_MODULE, WORKER_URL, type Ending, type RunRequest, type Stream, type WorkerMessage } from "./wasi";

export interface Signature {
  params: string[];
  results: string[];
}

export interface ExportedFunction {
  name: string;
  signature: Signature;
  // Why JavaScript cannot call it (a v128 or reference parameter), or null when it can.
  blocker: string | null;
}

/** A compiled module and what the page derived from its inspector report. */
export interface Program {
  module: WebAssembly.Module;
  info: ModuleInfo;
  file: string;
  // The exports the playground offers as cards: every function except the WASI entry point (run by the terminal,
  // or by instantiation for a reactor).
  functions: ExportedFunction[];
  memories: string[];
  usesWasi: boolean;
  // Imports the page cannot provide; when any, the module cannot be instantiated.
  missing: ImportInfo[];
}

export interface TypedValue {
  type: string;
  text: string;
}

export type Outcome = { status: "ok"; values: TypedValue[] } | { status: "invalid"; message: string; param: number } | Ending;

export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
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

export function describeProgram(module: WebAssembly.Module, info: ModuleInfo, file: string): Program {
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
    );
  return {
    module,
    info,
    file,
    functions,
    memories: info.exports.filter((e) => e.kind === "memory").map((e) => e.name),
    usesWasi: info.imports.some((imp) => imp.module === WASI_MODULE),
    missing,
  };
}

// ---- values ----

export type ParseResult = { value: unknown } | { error: string };

// WAT-style integers: decimal or 0x hex, optional sign, `_` between digits.
const INTEGER = /^([+-]?)(0x[0-9a-f](?:_?[0-9a-f])*|\d(?:_?\d)*)$/i;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

function parseInteger(text: string, bits: 32 | 64): bigint | string {
  const match = INTEGER.exec(text);
  if (!match) return `"${text}" is not an i${bits} (decimal or 0x hex)`;
  const magnitude = BigInt(match[2]!.replaceAll("_", ""));
  const value = match[1] === "-" ? -magnitude : magnitude;
  // Both readings of the bits are accepted: -1 and 0xffffffff are the same i32.
  if (value < -(1n << BigInt(bits - 1)) || value >= 1n << BigInt(bits)) return `${text} is out of range for i${bits}`;
  return BigInt.asIntN(bits, value);
}

function parseFloating(text: string, type: string): number | string {
  const special = SPECIAL.exec(text);
  if (special) {
    if (special[2]!.toLowerCase() === "nan") return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  if (DECIMAL.test(text)) return Number(text);
  return `"${text}" is not an ${type} (e.g. 1.5, -0, NaN, Infinity)`;
}

export function parseValue(type: string, raw: string): ParseResult {
  const text = raw.trim();
  if (text === "") return { error: `enter an ${type}` };
  switch (type) {
    case "i32":
    case "i64": {
      const bits = type === "i32" ? 32 : 64;
      const value = parseInteger(text, bits);
      if (typeof value === "string") return { error: value };
      return { value: bits === 32 ? Number(value) : value };
    }
    case "f32":
    case "f64": {
      const value = parseFloating(text, type);
      if (typeof value === "string") return { error: value };
      return { value: type === "f32" ? Math.fround(value) : value };
    }
    default:
      return { error: `a ${type} cannot be passed from JavaScript` };
  }
}

function formatFloat(value: number, single: boolean): string {
  if (Number.isNaN(value)) return "NaN";
  if (Object.is(value, -0)) return "-0";
  if (!single || !Number.isFinite(value)) return String(value);
  // The shortest decimal that reads back as the same f32, so 0.1f prints as 0.1 and not 0.10000000149011612.
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(value);
}

export function formatValue(type: string, value: unknown): string {
  switch (type) {
    case "i32":
    case "i64":
      return String(value);
    case "f32":
    case "f64":
      return formatFloat(value as number, type === "f32");
    default:
      if (value === null) return "null";
      return typeof value === "function" ? `funcref ${value.name}` : `${type} object`;
  }
}

/** Parses call arguments per the real signature; the first bad one is reported with its index. */
export function parseArgs(signature: Signature, texts: string[]): { values: unknown[] } | { error: string; param: number } {
  if (texts.length !== signature.params.length) {
    const expected = signature.params.length;
    return {
      error: `expects ${expected} argument${expected === 1 ? "" : "s"} (${signature.params.join(", ")}), got ${texts.length}`,
      param: -1,
    };
  }
  const values: unknown[] = [];
  for (const [index, type] of signature.params.entries()) {
    const parsed = parseValue(type, texts[index] ?? "");
    if ("error" in parsed) return { error: `argument ${index}: ${parsed.error}`, param: index };
    values.push(parsed.value);
  }
  return { values };
}

// ---- instances ----

/** Decodes a WASI byte stream into whole lines; `flush` hands over a last line that has no newline. */
class LineSink {
  private readonly decoder = new TextDecoder();
  private pending = "";

  constructor(private readonly emit: (line: string) => void) {}

  write(bytes: Uint8Array): void {
    this.pending += this.decoder.decode(bytes, { stream: true });
    const lines = this.pending.split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) this.emit(line);
  }

  flush(): void {
    this.pending += this.decoder.decode();
    if (this.pending !== "") this.emit(this.pending);
    this.pending = "";
  }
}

interface Instantiated {
  instance: WebAssembly.Instance;
  flush(): void;
}

async function instantiate(program: Program, output: Output): Promise<Instantiated> {
  if (!program.usesWasi) {
    return { instance: await WebAssembly.instantiate(program.module, {}), flush: () => {} };
  }
  const stdout = new LineSink(output.stdout);
  const stderr = new LineSink(output.stderr);
  const wasi = createWasi({
    args: [program.file],
    env: [],
    stdin: new Uint8Array(),
    stdout: (bytes) => stdout.write(bytes),
    stderr: (bytes) => stderr.write(bytes),
  });
  const instance = await WebAssembly.instantiate(program.module, { [WASI_MODULE]: wasi.wasiImport });
  // The shim's functions reach memory through `inst`, so it is set before any export runs. (A start section that
  // called WASI would run before this; WASI toolchains do not emit one.)
  wasi.inst = instance as unknown as WASI["inst"];
  return {
    instance,
    flush: () => {
      stdout.flush();
      stderr.flush();
    },
  };
}

/** The long-lived instance behind the export cards, the console and the memory viewer. */
export class Session {
  private constructor(
    private readonly program: Program,
    private readonly live: Instantiated,
  ) {}

  /** Instantiates, then runs a reactor's `_initialize` once, as WASI requires before any other export. */
  static async create(program: Program, output: Output): Promise<Session> {
    const live = await instantiate(program, output);
    try {
      if (program.info.entry.kind === "reactor") {
        const initialize = live.instance.exports[program.info.entry.export ?? "_initialize"];
        if (typeof initialize === "function") initialize();
      }
    } finally {
      live.flush();
    }
    return new Session(program, live);
  }

  call(name: string, texts: string[]): Outcome {
    const fn = this.program.functions.find((candidate) => candidate.name === name);
    const exported = this.live.instance.exports[name];
    if (!fn || typeof exported !== "function") return { status: "error", message: `no exported function ${name}` };
    if (fn.blocker) return { status: "error", message: `${name} ${fn.blocker}` };
    const args = parseArgs(fn.signature, texts);
    if ("error" in args) return { status: "invalid", message: args.error, param: args.param };
    try {
      const raw: unknown = exported(...args.values);
      const results = fn.signature.results;
      // The JS API returns undefined for no result, the value for one, and an array for several.
      const values = results.length === 1 ? [raw] : results.length === 0 ? [] : Array.from(raw as Iterable<unknown>);
      return { status: "ok", values: results.map((type, i) => ({ type, text: formatValue(type, values[i]) })) };
    } catch (thrown) {
      return endingOf(thrown);
    } finally {
      this.live.flush();
    }
  }

  memory(name: string): WebAssembly.Memory | null {
    const memory = this.live.instance.exports[name];
    return memory instanceof WebAssembly.Memory ? memory : null;
  }
}


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
