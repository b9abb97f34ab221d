// The OS page's model: the kernel as the server's socket tells it (a snapshot on connecting, then events), the
// requests the page sends (spawn, kill, restart, stdin), and the file browser's fetches. Every change notifies the
// subscribers, at most once a frame: a process's output can arrive hundreds of times a second.
import type {
  KernelEventKind,
  KernelLogEntry,
  OsDirectory,
  OsEvent,
  OsMount,
  OsProcessView,
  OsReply,
  OsRequest,
  OsStatus,
  OutputStream,
} from "./api";
import { openSocket, type LiveSocket } from "./live";

export const OS_ROUTES = {
  socket: "/_wasmrun/ws",
  files: "/_wasmrun/api/files",
  file: "/_wasmrun/api/file",
} as const;

/** Output kept per process, as the server keeps it: the newest this many characters. */
const TRANSCRIPT_CHARS = 1 << 20;
/** Kernel log entries kept, as the server keeps them. */
const LOG_KEPT = 2000;

export type Connection = "connecting" | "connected" | "disconnected";

/** A run of output of one stream: consecutive chunks of the same stream are one run. */
export interface OutputRun {
  id: number;
  stream: OutputStream;
  text: string;
}

interface Transcript {
  runs: OutputRun[];
  chars: number;
}

export interface Kernel {
  wasmrun: string;
  name: string;
  instance: string;
  language: string;
  entry: string;
  mainPid: number;
}

export class OsModel {
  connection: Connection = "connecting";
  kernel: Kernel | null = null;
  status: OsStatus | null = null;
  processes = new Map<number, OsProcessView>();
  log: KernelLogEntry[] = [];
  mounts: OsMount[] = [];
  selected: number | null = null;
  /** The last request the server refused, in its words. */
  problem: string | null = null;
  revision = 0;

  private readonly transcripts = new Map<number, Transcript>();
  private readonly listeners = new Set<() => void>();
  private readonly pending = new Map<number, (reply: OsReply) => void>();
  private socket: LiveSocket | null = null;
  private nextRun = 1;
  private nextRequest = 1;
  private renderPending = false;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.socket = openSocket(OS_ROUTES.socket, {
      message: (data) => this.receive(data),
      connected: () => {
        this.connection = "connected";
        this.changed();
      },
      disconnected: () => {
        this.connection = "disconnected";
        // Requests in flight are lost with the socket.
        for (const [id, resolve] of this.pending) resolve({ id, ok: false, message: "the connection to the server was lost" });
        this.pending.clear();
        this.changed();
      },
    });
  }

  output(pid: number): OutputRun[] {
    return this.transcripts.get(pid)?.runs ?? [];
  }

  select(pid: number): void {
    this.selected = pid;
    this.changed();
  }

  dismissProblem(): void {
    this.problem = null;
    this.changed();
  }

  spawn(command: string): Promise<OsReply> {
    return this.request({ type: "spawn", id: 0, command }).then((reply) => {
      if (reply.ok && reply.pid !== undefined) this.select(reply.pid);
      return reply;
    });
  }

  kill(pid: number): Promise<OsReply> {
    return this.request({ type: "kill", id: 0, pid });
  }

  restart(pid: number): Promise<OsReply> {
    return this.request({ type: "restart", id: 0, pid }).then((reply) => {
      if (reply.ok && reply.pid !== undefined && this.selected === pid) this.select(reply.pid);
      return reply;
    });
  }

  input(pid: number, text: string): Promise<OsReply> {
    return this.request({ type: "input", id: 0, pid, text });
  }

  closeInput(pid: number): Promise<OsReply> {
    return this.request({ type: "close_input", id: 0, pid });
  }

  private request(request: OsRequest): Promise<OsReply> {
    const id = this.nextRequest++;
    return new Promise<OsReply>((resolve) => {
      if (!this.socket?.send(JSON.stringify({ ...request, id }))) {
        resolve({ id, ok: false, message: "not connected to the server" });
        return;
      }
      this.pending.set(id, resolve);
    }).then((reply) => {
      this.problem = reply.ok ? null : (reply.message ?? "refused");
      this.changed();
      return reply;
    });
  }

  private receive(data: string): void {
    let event: OsEvent;
    try {
      event = JSON.parse(data) as OsEvent;
    } catch {
      return;
    }
    switch (event.type) {
      case "snapshot":
        if (event.snapshot) this.applySnapshot(event.snapshot);
        break;
      case "process":
        if (event.process) this.updateProcess(event.process);
        break;
      case "output":
        if (event.output) this.append(event.output.pid, event.output.stream, event.output.text);
        break;
      case "log":
        if (event.log) this.addLog(event.log);
        break;
      case "status":
        if (event.status) this.status = event.status;
        for (const process of event.processes ?? []) this.updateProcess(process);
        break;
      case "reply":
        if (event.reply) {
          this.pending.get(event.reply.id)?.(event.reply);
          this.pending.delete(event.reply.id);
        }
        return;
    }
    this.changedSoon();
  }

  /** Everything anew: after a restart of the server this is another kernel, and after a reconnect it is complete. */
  private applySnapshot(snapshot: NonNullable<OsEvent["snapshot"]>): void {
    const sameKernel = this.kernel?.instance === snapshot.instance;
    this.kernel = {
      wasmrun: snapshot.wasmrun,
      name: snapshot.name,
      instance: snapshot.instance,
      language: snapshot.language,
      entry: snapshot.entry,
      mainPid: snapshot.main_pid,
    };
    this.status = snapshot.status;
    this.processes = new Map(snapshot.processes.map((process) => [process.pid, process]));
    this.transcripts.clear();
    for (const chunk of snapshot.output) this.append(chunk.pid, chunk.stream, chunk.text);
    this.log = [...snapshot.log];
    this.mounts = snapshot.mounts;
    if (!sameKernel || this.selected === null || !this.processes.has(this.selected)) {
      this.selected = snapshot.main_pid || (snapshot.processes[0]?.pid ?? null);
      this.problem = null;
    }
    document.title = `${snapshot.name} · wasmrun os`;
  }

  /** A process's state only moves on from running: a status tick taken before its end never undoes it. */
  private updateProcess(process: OsProcessView): void {
    const known = this.processes.get(process.pid);
    if (known && known.state !== "running" && process.state === "running") return;
    this.processes.set(process.pid, process);
  }

  private append(pid: number, stream: OutputStream, text: string): void {
    let transcript = this.transcripts.get(pid);
    if (!transcript) this.transcripts.set(pid, (transcript = { runs: [], chars: 0 }));
    const last = transcript.runs.at(-1);
    if (last && last.stream === stream) {
      // A new object, so a view that compares runs sees the change.
      transcript.runs[transcript.runs.length - 1] = { ...last, text: last.text + text };
    } else {
      transcript.runs.push({ id: this.nextRun++, stream, text });
    }
    transcript.chars += text.length;
    while (transcript.chars > TRANSCRIPT_CHARS && transcript.runs.length > 0) {
      const first = transcript.runs[0]!;
      const excess = transcript.chars - TRANSCRIPT_CHARS;
      if (first.text.length <= excess) {
        transcript.runs.shift();
        transcript.chars -= first.text.length;
      } else {
        transcript.runs[0] = { ...first, text: first.text.slice(excess) };
        transcript.chars -= excess;
      }
    }
  }

  /** Entries the snapshot held may come again as events: each sequence number once. */
  private addLog(entry: KernelLogEntry): void {
    if (this.log.length > 0 && entry.sequence <= this.log.at(-1)!.sequence) return;
    this.log.push(entry);
    if (this.log.length > LOG_KEPT) this.log.splice(0, this.log.length - LOG_KEPT);
  }

  private changed(): void {
    this.revision++;
    for (const listener of this.listeners) listener();
  }

  private changedSoon(): void {
    if (this.renderPending) return;
    this.renderPending = true;
    requestAnimationFrame(() => {
      this.renderPending = false;
      this.changed();
    });
  }
}

/** A folder of the processes' file system. */
export async function listFolder(path: string): Promise<OsDirectory> {
  const response = await fetch(`${OS_ROUTES.files}?path=${encodeURIComponent(path)}`, { cache: "no-store" });
  if (!response.ok) throw new Error((await response.text()).trim() || `${response.status} ${response.statusText}`);
  return (await response.json()) as OsDirectory;
}

/** A file's text, or null when it looks binary (a NUL byte in its first 8 KiB). */
export async function readFile(path: string): Promise<string | null> {
  const response = await fetch(fileUrl(path, false), { cache: "no-store" });
  if (!response.ok) throw new Error((await response.text()).trim() || `${response.status} ${response.statusText}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.subarray(0, 8192).includes(0)) return null;
  return new TextDecoder().decode(bytes);
}

/** Writes a file into a writable mount; the server's answer. */
export async function uploadFile(path: string, file: Blob): Promise<string> {
  const response = await fetch(`${OS_ROUTES.file}?path=${encodeURIComponent(path)}`, { method: "PUT", body: file });
  const text = (await response.text()).trim();
  if (!response.ok) throw new Error(text || `${response.status} ${response.statusText}`);
  return text;
}

export const fileUrl = (path: string, download: boolean): string =>
  `${OS_ROUTES.file}?path=${encodeURIComponent(path)}${download ? "&download=1" : ""}`;

export const joinPath = (folder: string, name: string): string => (folder === "/" ? `/${name}` : `${folder}/${name}`);

export const KERNEL_EVENT_KINDS: KernelEventKind[] = ["boot", "spawn", "exit", "kill", "limit", "error", "input", "shutdown"];

/** 1.5 KiB, 12.0 MiB: sizes as the table shows them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 0.42 s, 3 min 5 s, 2 h 1 min: CPU times and uptimes. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const whole = Math.floor(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}
