// The playground's state and behaviour outside the view: server state and live events, loading a generation,
// export calls (in the session's worker, one at a time, with Stop), the memory viewer's window, the console's
// commands, terminal runs, and re-running what was last called after a rebuild. Components read it and call its
// methods; every change notifies the subscribers, which re-render.
import { buildKey, fetchModuleBytes, fetchModuleInfo, fetchState, type BuildState, type ServerState } from "./api";
import { HELP, parseCommand, splitArgs, splitEnv } from "./commands";
import { connectLive } from "./live";
import { Session, type CallOutcome, type MemoryView } from "./session";
import { isParseError, parseArgs, parseValue, type TypedValue } from "./values";
import type { Ending, Stream } from "./wasi";
import { describeProgram, startCommand, type ExportedFunction, type Program } from "./wasm";

export type LogKind = "input" | "result" | "info" | "error" | "stdout" | "stderr";

export interface LogLine {
  id: number;
  kind: LogKind;
  text: string;
  values?: TypedValue[];
}

export type TerminalKind = "command" | "stdout" | "stderr" | "exit" | "error";

export interface TerminalLine {
  id: number;
  kind: TerminalKind;
  text: string;
}

/** A terminal run as typed: the arguments and environment as shell-like text, stdin as the whole input. */
export interface RunTexts {
  args: string;
  env: string;
  stdin: string;
}

/** A call as a card shows it: running, how it ended, or its input refused before calling. */
export type Outcome = CallOutcome | { status: "running" } | { status: "invalid"; message: string; param: number };

export interface CardState {
  // The arguments of the last call that ran (not of a rejected input), to run again after a rebuild.
  lastArgs: string[] | null;
  outcome: Outcome | null;
  // Counts the card's calls (refused ones too): the outcome of an older call never replaces a newer one's.
  calls: number;
}

export type Connection = "connecting" | "connected" | "disconnected";

// Enough scrollback to read a run's output; a program printing in a loop must not grow the page without bound.
const LOG_LIMIT = 2000;
const TERMINAL_LIMIT = 5000;
// A program writing without newlines (a row of progress dots) would grow one line without bound: once a line is
// this long, the next write starts a new one.
const TERMINAL_LINE_LIMIT = 8192;

export const PAGE_BYTES = 65536;

export class Playground {
  state: ServerState | null = null;
  connection: Connection = "connecting";
  // The files of a rebuild in progress (between `building` and `built`/`failed`), or null.
  building: string[] | null = null;
  program: Program | null = null;
  session: Session | null = null;
  // The export whose call runs now: the session answers one call at a time.
  calling: { name: string; id: number } | null = null;
  // The memory viewer's window, read again after every call, grow and new instance.
  memoryView: MemoryView | null = null;
  // Why the module cannot be used right now (not reachable, not compilable, missing imports, trap at start).
  problem: string | null = null;
  // The failed build the page shows, unless dismissed.
  failure: BuildState | null = null;
  log: LogLine[] = [];
  history: string[] = [];
  terminal: TerminalLine[] = [];
  terminalDropped = 0;
  running = false;
  lastRun: RunTexts | null = null;
  readonly cards = new Map<string, CardState>();
  // Bumped on every change, so views of mutable things (memory bytes) know to read again.
  revision = 0;

  private nextId = 0;
  private callId = 0;
  private memoryWanted: { name: string; start: number; length: number } | null = null;
  // buildKey of the module loaded, and of the one being loaded (null when none).
  private loadedBuild: string | null = null;
  private loadingBuild: string | null = null;
  private loadToken = 0;
  private dismissedFailure: string | null = null;
  private process: { stop(): void } | null = null;
  // The terminal's last line while the program has not ended it with a newline: the next output continues it.
  private openLine: TerminalLine | null = null;
  private renderPending = false;
  private renderCost = 0;
  private renderedAt = 0;
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.revision++;
    for (const listener of this.listeners) listener();
  }

  // A program's output can arrive hundreds of times a second. The view re-renders at most once a frame, and after
  // an expensive render (a flood replaces thousands of lines) it first waits twice as long as that render took, so
  // the page keeps most of its time for input: a Stop click on a flooding program measured 1.4 s without this.
  private changedSoon(): void {
    if (this.renderPending) return;
    this.renderPending = true;
    const wait = Math.max(0, 2 * this.renderCost - (performance.now() - this.renderedAt));
    setTimeout(() => {
      requestAnimationFrame(() => {
        this.renderPending = false;
        const start = performance.now();
        this.changed();
        // Preact renders in a microtask that changed() queued; this one runs after it.
        queueMicrotask(() => {
          this.renderedAt = performance.now();
          this.renderCost = this.renderedAt - start;
        });
      });
    }, wait);
  }

  start(): void {
    connectLive({
      event: (event) => {
        switch (event.type) {
          case "building":
            this.building = event.files;
            this.changed();
            break;
          case "failed":
            this.dismissedFailure = null;
            this.applyState(event.state);
            break;
          case "state":
          case "built":
            this.applyState(event.state);
            break;
        }
      },
      connected: () => {
        this.connection = "connected";
        this.changed();
      },
      disconnected: () => {
        this.connection = "disconnected";
        this.changed();
      },
    });
    // The socket's first event carries the state too; whichever comes first wins, and a later fetch answer must
    // not replace a newer state the socket already delivered.
    fetchState().then(
      (state) => {
        if (!this.state) this.applyState(state);
      },
      (error: unknown) => {
        if (this.state) return;
        this.problem = `cannot reach the wasmrun server: ${messageOf(error)}`;
        this.changed();
      },
    );
  }

  private applyState(state: ServerState): void {
    this.state = state;
    if (state.build?.status !== "building") this.building = null;
    const failed = state.build?.status === "failed" ? state.build : null;
    this.failure = failed && failureKey(failed) !== this.dismissedFailure ? failed : null;
    const key = buildKey(state);
    if (state.module && key !== this.loadedBuild && key !== this.loadingBuild) {
      void this.load(state);
    }
    this.changed();
  }

  dismissFailure(): void {
    if (this.failure) this.dismissedFailure = failureKey(this.failure);
    this.failure = null;
    this.changed();
  }

  private async load(state: ServerState): Promise<void> {
    const token = ++this.loadToken;
    const file = state.module!.file;
    const reloading = this.program !== null;
    const key = buildKey(state);
    const restarted = this.loadedBuild !== null && !this.loadedBuild.startsWith(`${state.instance}/`);
    this.loadingBuild = key;
    try {
      const [info, bytes] = await Promise.all([fetchModuleInfo(), fetchModuleBytes(state.module!.url)]);
      const program = describeProgram(await WebAssembly.compile(bytes), info, file);
      if (token !== this.loadToken) return;
      // Before instantiating: a reactor's _initialize prints to this log too, and belongs after this line.
      if (reloading) this.print("info", `${restarted ? "the server restarted: " : ""}generation ${state.generation} loaded`);
      let session: Session | null = null;
      let problem: string | null = null;
      if (program.missing.length > 0) {
        const list = program.missing.map((imp) => `${imp.module}.${imp.name} (${imp.kind}${imp.type ? ` ${imp.type}` : ""})`);
        problem = `cannot instantiate ${file}: the page cannot provide ${list.length === 1 ? "this import" : "these imports"}: ${list.join(", ")}`;
      } else {
        session = new Session(program, this.consoleOutput);
        const error = await session.started;
        if (error !== null) {
          session.stop();
          session = null;
          problem = `cannot instantiate ${file}: ${error}`;
        }
      }
      if (token !== this.loadToken) {
        session?.stop();
        return;
      }
      // The old build's instance gives way, and a call still running in it (it may never end) with it.
      this.session?.stop();
      this.calling = null;
      this.program = program;
      this.session = session;
      this.problem = problem;
      this.loadedBuild = key;
      for (const name of this.cards.keys()) {
        if (!program.functions.some((fn) => fn.name === name)) this.cards.delete(name);
      }
      void this.refreshMemory();
      if (reloading) void this.rerun();
    } catch (error) {
      if (token !== this.loadToken) return;
      this.problem = `cannot load ${file}: ${messageOf(error)}`;
      this.loadedBuild = key;
    } finally {
      if (token === this.loadToken) {
        this.loadingBuild = null;
        this.changed();
      }
    }
  }

  /** After a rebuild: the program if it was run, and each card's last call again, one after another. */
  private async rerun(): Promise<void> {
    if (this.lastRun !== null && this.program?.info.entry.kind === "command") {
      // A run of the old build is stale (and may never end): it gives way to the new one.
      this.stop();
      this.run(this.lastRun);
    }
    const session = this.session;
    for (const [name, card] of [...this.cards]) {
      // A newer build has its own rerun.
      if (session === null || session !== this.session) return;
      if (card.lastArgs) await this.call(name, card.lastArgs);
    }
  }

  // ---- export calls ----

  card(name: string): CardState {
    return this.cards.get(name) ?? { lastArgs: null, outcome: null, calls: 0 };
  }

  /** A card's call: refused input stays on the card; otherwise it runs, shows `running`, then its outcome. */
  async call(name: string, texts: string[]): Promise<void> {
    const fn = this.program?.functions.find((candidate) => candidate.name === name);
    if (!fn || !this.session || this.calling) return;
    const previous = this.card(name);
    const calls = previous.calls + 1;
    const args = parseArgs(fn.signature, texts);
    if ("error" in args) {
      this.cards.set(name, { lastArgs: previous.lastArgs, outcome: { status: "invalid", message: args.error, param: args.param }, calls });
      this.changed();
      return;
    }
    this.cards.set(name, { lastArgs: texts, outcome: { status: "running" }, calls });
    this.print("input", `${name}(${texts.map((text) => text.trim()).join(", ")})`);
    const outcome = await this.callExport(fn, texts);
    const card = this.card(name);
    if (card.calls === calls) this.cards.set(name, { ...card, outcome });
    this.printOutcome(outcome);
    this.changed();
  }

  /** Runs one call in the session. After a Stop the module is instantiated afresh for the next one. */
  private async callExport(fn: ExportedFunction, texts: string[]): Promise<CallOutcome> {
    const session = this.session!;
    const id = ++this.callId;
    this.calling = { name: fn.name, id };
    this.changed();
    const outcome = await session.call(fn.name, fn.signature, texts);
    if (this.calling?.id === id) this.calling = null;
    // A new build may have replaced the session meanwhile; it has an instance of its own.
    if (session === this.session) {
      if (outcome.status === "stopped") this.restartSession();
      else void this.refreshMemory();
    }
    return outcome;
  }

  /** Ends the running call: its instance goes with it, and a fresh one takes its place. */
  stopCall(): void {
    this.session?.stop();
  }

  private restartSession(): void {
    const program = this.program!;
    const session = new Session(program, this.consoleOutput);
    this.session = session;
    this.print("info", "the module is instantiated afresh: its memory and globals start over");
    void session.started.then((error) => {
      if (error === null || session !== this.session) return;
      this.session = null;
      session.stop();
      this.problem = `cannot instantiate ${program.file}: ${error}`;
      this.changed();
    });
    void this.refreshMemory();
  }

  // ---- console ----

  // Output comes from the session's worker while a call runs, however long: shown as it comes.
  private readonly consoleOutput = {
    stdout: (line: string) => {
      this.print("stdout", line);
      this.changedSoon();
    },
    stderr: (line: string) => {
      this.print("stderr", line);
      this.changedSoon();
    },
  };

  private print(kind: LogKind, text: string, values?: TypedValue[]): void {
    this.log.push(values ? { id: this.nextId++, kind, text, values } : { id: this.nextId++, kind, text });
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  private printOutcome(outcome: CallOutcome): void {
    switch (outcome.status) {
      case "ok":
        if (outcome.values.length === 0) this.print("result", "(no result)");
        else this.print("result", "", outcome.values);
        break;
      case "trap":
        this.print("error", `trap: ${outcome.message}`);
        break;
      case "exit":
        this.print("info", `exited with code ${outcome.code}`);
        break;
      case "error":
        this.print("error", `error: ${outcome.message}`);
        break;
      case "stopped":
        this.print("error", "stopped");
        break;
    }
  }

  execute(line: string): void {
    if (line.trim() === "") return;
    if (this.history.at(-1) !== line) this.history.push(line);
    this.print("input", line.trim());
    const command = parseCommand(line);
    const program = this.program;
    switch (command.kind) {
      case "clear":
        this.log = [];
        break;
      case "help":
        for (const text of HELP) this.print("info", text);
        break;
      case "exports":
        if (!program) this.print("error", "no module loaded");
        else if (program.info.exports.length === 0) this.print("info", "the module exports nothing");
        else for (const text of exportLines(program)) this.print("info", text);
        break;
      case "memory.size": {
        const name = this.consoleMemory();
        if (name) {
          void this.session!.memory(name, 0, 0).then((view) => {
            this.print(view ? "info" : "error", view ? `${name}: ${sizeText(view.size)}` : `error: cannot read ${name}: the instance was stopped`);
            this.changed();
          });
        }
        break;
      }
      case "memory.grow": {
        const parsed = parseValue("i32", command.pages);
        const name = this.consoleMemory();
        if (isParseError(parsed) || (parsed as number) < 0) {
          this.print("error", `error: memory.grow takes a page count, not "${command.pages}"`);
        } else if (name) {
          void this.grow(name, parsed as number).then((result) => {
            this.print(result.ok ? "info" : "error", result.text);
            this.changed();
          });
        }
        break;
      }
      case "call": {
        const fn = program?.functions.find((candidate) => candidate.name === command.name);
        const args = fn ? parseArgs(fn.signature, command.args) : null;
        if (!fn || !args) {
          this.print("error", `error: no exported function "${command.name}" (type exports to list them)`);
        } else if (!this.session) {
          this.print("error", `error: ${this.problem ?? "the module is not instantiated"}`);
        } else if (fn.blocker) {
          this.print("error", `error: ${fn.name} ${fn.blocker}`);
        } else if (this.calling) {
          this.print("error", `error: ${this.calling.name}() is still running (Stop ends it)`);
        } else if ("error" in args) {
          this.print("error", `error: ${args.error}`);
        } else {
          void this.callExport(fn, command.args).then((outcome) => {
            this.printOutcome(outcome);
            this.changed();
          });
        }
        break;
      }
      case "unknown":
        if (program?.functions.some((fn) => fn.name === command.text)) {
          this.print("error", `to call it, type ${command.text}(${program.functions.find((fn) => fn.name === command.text)!.signature.params.join(", ")})`);
        } else {
          this.print("error", `unknown command "${command.text}" (type help)`);
        }
        break;
    }
    this.changed();
  }

  /** The memory `memory.size()` and `memory.grow(N)` mean: the first exported one. Prints why there is none. */
  private consoleMemory(): string | null {
    const name = this.program?.memories[0];
    if (!name) this.print("error", "error: the module exports no memory");
    else if (!this.session) this.print("error", `error: ${this.problem ?? "the module is not instantiated"}`);
    return name && this.session ? name : null;
  }

  // ---- memory ----

  /** Shows `length` bytes of an exported memory from `start` in the viewer (memoryView), now and after every change. */
  showMemory(name: string, start: number, length: number): void {
    const wanted = this.memoryWanted;
    if (wanted?.name === name && wanted.start === start && wanted.length === length) return;
    this.memoryWanted = { name, start, length };
    void this.refreshMemory();
  }

  private async refreshMemory(): Promise<void> {
    const wanted = this.memoryWanted;
    const session = this.session;
    if (!wanted || !session) return;
    const view = await session.memory(wanted.name, wanted.start, wanted.length);
    // A newer window or instance has its own read.
    if (wanted !== this.memoryWanted || session !== this.session) return;
    this.memoryView = view;
    this.changed();
  }

  /** Grows an exported memory; the text says the new size or why it could not grow. */
  async grow(name: string, pages: number): Promise<{ ok: boolean; text: string }> {
    const session = this.session;
    if (!session) return { ok: false, text: `error: ${this.problem ?? "the module is not instantiated"}` };
    const outcome = await session.grow(name, pages);
    if ("error" in outcome) {
      const exported = this.program?.info.exports.find((e) => e.kind === "memory" && e.name === name);
      const limit = exported ? this.program?.info.memories[exported.index]?.max : null;
      return { ok: false, text: `cannot grow ${name} by ${pages} page${pages === 1 ? "" : "s"}${limit != null ? ` (maximum ${limit} pages)` : ""}: ${outcome.error}` };
    }
    await this.refreshMemory();
    const after = outcome.before + pages;
    return { ok: true, text: `grew ${name} from ${outcome.before} to ${after} pages (${formatBytes(after * PAGE_BYTES)})` };
  }

  // ---- terminal ----

  run(texts: RunTexts): void {
    const program = this.program;
    if (!program || this.running) return;
    const args = splitArgs(texts.args);
    const env = splitEnv(texts.env);
    const stdin = new TextEncoder().encode(texts.stdin);
    const commandLine = [texts.env.trim(), program.file, texts.args.trim(), stdin.length > 0 ? `< stdin (${formatBytes(stdin.length)})` : ""];
    this.terminal = [{ id: this.nextId++, kind: "command", text: `$ ${commandLine.filter(Boolean).join(" ")}` }];
    this.terminalDropped = 0;
    this.openLine = null;
    if ("error" in args) return this.refuse(args.error);
    if ("error" in env) return this.refuse(`environment: ${env.error}`);
    if (program.missing.length > 0) return this.refuse(this.problem ?? "the module cannot be instantiated");
    this.lastRun = texts;
    this.running = true;
    this.process = startCommand(
      program,
      { args: args.args, env: env.env, stdin },
      {
        output: (chunks) => {
          for (const [stream, text] of chunks) this.writeTerminal(stream, text);
          this.changedSoon();
        },
        end: (ending) => this.ended(ending),
      },
    );
    this.changed();
  }

  private refuse(message: string): void {
    this.emitTerminal("error", `error: ${message}`);
    this.changed();
  }

  /** Ends the running program at once (its worker is terminated); the terminal says `stopped`. */
  stop(): void {
    if (!this.process) return;
    this.process.stop();
    this.ended(null);
  }

  private ended(ending: Ending | null): void {
    this.process = null;
    this.running = false;
    this.openLine = null;
    if (ending === null) this.emitTerminal("exit", "stopped");
    else if (ending.status === "exit") this.emitTerminal("exit", `exited with code ${ending.code}`);
    else this.emitTerminal("error", `${ending.status}: ${ending.message}`);
    this.changed();
  }

  /** Appends output as a terminal shows it: text without a newline stays open for the next write of its stream. */
  private writeTerminal(stream: Stream, text: string): void {
    const lines = text.split("\n");
    const rest = lines.pop()!;
    const open = this.openLine?.kind === stream && this.terminal.at(-1) === this.openLine ? this.openLine : null;
    for (const [index, line] of lines.entries()) {
      if (index === 0 && open) open.text += line;
      else this.emitTerminal(stream, line);
    }
    if (lines.length > 0) this.openLine = null;
    if (rest !== "") {
      if (lines.length === 0 && open) open.text += rest;
      else this.openLine = this.emitTerminal(stream, rest);
    }
    if (this.openLine && this.openLine.text.length >= TERMINAL_LINE_LIMIT) this.openLine = null;
    this.trimTerminal();
  }

  private emitTerminal(kind: TerminalKind, text: string): TerminalLine {
    const line = { id: this.nextId++, kind, text };
    this.terminal.push(line);
    return line;
  }

  // Once per batch of output rather than per line: a flood of lines must not cost a splice each.
  private trimTerminal(): void {
    const excess = this.terminal.length - TERMINAL_LIMIT;
    if (excess <= 0) return;
    // Keep the command line on top; drop the oldest output below it.
    this.terminal.splice(1, excess);
    this.terminalDropped += excess;
  }
}

function exportLines(program: Program): string[] {
  const info = program.info;
  return info.exports.map((exported) => {
    switch (exported.kind) {
      case "func": {
        const fn = info.functions.find((candidate) => candidate.index === exported.index);
        return `${exported.name}  func ${fn?.signature ?? ""}`;
      }
      case "memory": {
        const memory = info.memories[exported.index];
        return `${exported.name}  memory ${memory ? limitsText(memory.min, memory.max) : ""}`;
      }
      case "table": {
        const table = info.tables[exported.index];
        return `${exported.name}  table ${table ? `${table.element_type} ${limitsText(table.min, table.max)}` : ""}`;
      }
      case "global": {
        const global = info.globals[exported.index];
        return `${exported.name}  global ${global ? `${global.mutable ? "mut " : ""}${global.type}` : ""}`;
      }
      // the report's kind is the module's text, not a closed set: a kind added to Wasm shows by name
      default:
        return `${exported.name}  ${exported.kind}`;
    }
  });
}

export const limitsText = (min: number, max: number | null): string =>
  max === null ? `${min} pages, no maximum` : `${min} to ${max} pages`;

export const formatBytes = (bytes: number): string => `${bytes.toLocaleString("en-US")} bytes`;

export const sizeText = (bytes: number): string => `${bytes / PAGE_BYTES} pages (${formatBytes(bytes)})`;

const failureKey = (build: BuildState): string => JSON.stringify([build.message, build.errors]);

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
