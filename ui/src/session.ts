// The long-lived instance behind the export cards, the console and the memory viewer, kept in a worker of its own
// (session-worker.ts): a call that never returns cannot freeze the page, and Stop ends it by terminating the worker.
// After a stop the page starts another session, a fresh instance. Also the messages between the page and the worker.
import type { Signature, TypedValue } from "./values";
import type { Ending, Stream } from "./wasi";
import type { Program } from "./wasm";

export const SESSION_WORKER_URL = "/_wasmrun/ui/session-worker.js";

/** How a call ended: its results, an exit, trap or host error, or `stopped` when the session was stopped under it. */
export type CallOutcome = { status: "ok"; values: TypedValue[] } | Ending | { status: "stopped" };

/** A window of an exported memory: the memory's size, and its bytes from `start` (moved back to fit the memory). */
export interface MemoryView {
  name: string;
  size: number;
  start: number;
  bytes: Uint8Array;
}

export type GrowOutcome = { before: number } | { error: string };

export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
}

// ---- the messages ----

/** What the worker instantiates; it gives the module what it imports of WASI and env.abort (the page checked that
 *  it imports nothing else). */
export interface SessionSetup {
  module: WebAssembly.Module;
  // argv[0] of a WASI module.
  file: string;
  // A reactor's _initialize, run once before any other export as WASI requires; null for other modules.
  initialize: string | null;
}

/** Page to worker; the worker answers each in order, `start` first. */
export type SessionRequest =
  | { type: "start"; setup: SessionSetup }
  // The arguments as typed: postMessage turns every NaN into the one NaN, so the worker parses them, keeping their bits.
  | { type: "call"; id: number; name: string; signature: Signature; texts: string[] }
  | { type: "memory"; id: number; name: string; start: number; length: number }
  | { type: "grow"; id: number; name: string; pages: number };

/** Worker to page: output lines as they are written, and one answer per request. */
export type SessionMessage =
  | { type: "output"; stream: Stream; line: string }
  | { type: "started"; error: string | null }
  | { type: "called"; id: number; outcome: CallOutcome }
  | { type: "memory"; id: number; view: MemoryView | null }
  | { type: "grown"; id: number; outcome: GrowOutcome };

type Answer = Exclude<SessionMessage, { type: "output" } | { type: "started" }>;

// A request as asked, before the session numbers it.
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
type Ask = WithoutId<Exclude<SessionRequest, { type: "start" }>>;

export class Session {
  /** Resolves once the module is instantiated (null) or could not be (why). Requests made before wait for it. */
  readonly started: Promise<string | null>;

  private readonly worker = new Worker(SESSION_WORKER_URL);
  private readonly pending = new Map<number, (answer: Answer | null) => void>();
  private nextId = 0;
  private ended = false;

  constructor(program: Program, output: Output) {
    let started: (error: string | null) => void = () => {};
    this.started = new Promise((resolve) => (started = resolve));
    this.worker.onmessage = (event: MessageEvent<SessionMessage>) => {
      const message = event.data;
      switch (message.type) {
        case "output":
          (message.stream === "stdout" ? output.stdout : output.stderr)(message.line);
          break;
        case "started":
          started(message.error);
          break;
        default:
          this.pending.get(message.id)?.(message);
          this.pending.delete(message.id);
      }
    };
    // A script that failed to load gives a plain Event; an error the worker did not catch gives an ErrorEvent.
    this.worker.onerror = (event) => {
      event.preventDefault();
      started(`the session's worker failed: ${event.message || `cannot load ${SESSION_WORKER_URL}`}`);
      this.stop();
    };
    const entry = program.info.entry;
    const setup: SessionSetup = {
      module: program.module,
      file: program.file,
      initialize: entry.kind === "reactor" ? (entry.export ?? "_initialize") : null,
    };
    this.worker.postMessage({ type: "start", setup } satisfies SessionRequest);
  }

  /** Calls an export with arguments as typed (checked by the page already: parseArgs). */
  call(name: string, signature: Signature, texts: string[]): Promise<CallOutcome> {
    return this.ask({ type: "call", name, signature, texts }).then((answer) => (answer?.type === "called" ? answer.outcome : { status: "stopped" }));
  }

  /** `length` bytes of an exported memory from `start`; null when there is no such memory or the session ended. */
  memory(name: string, start: number, length: number): Promise<MemoryView | null> {
    return this.ask({ type: "memory", name, start, length }).then((answer) => (answer?.type === "memory" ? answer.view : null));
  }

  grow(name: string, pages: number): Promise<GrowOutcome> {
    return this.ask({ type: "grow", name, pages }).then((answer) => (answer?.type === "grown" ? answer.outcome : { error: "the instance was stopped" }));
  }

  /** Ends the instance at once: its worker is terminated, and what was asked of it answers as stopped. */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.worker.terminate();
    for (const answer of this.pending.values()) answer(null);
    this.pending.clear();
  }

  private ask(request: Ask): Promise<Answer | null> {
    if (this.ended) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ ...request, id } as SessionRequest);
    });
  }
}
