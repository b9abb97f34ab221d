// The terminal's worker (dist/wasi-worker.js): runs one WASI command away from the page, so a program that never
// ends cannot freeze the tab and the page can stop it by terminating this worker. Output goes back as it is
// written, then the ending. One worker per run: a fresh instance, nothing left over from the last one.
import type { WASI } from "@bjorn3/browser_wasi_shim";
import { createWasi, endingOf, WASI_MODULE, type Ending, type RunRequest, type Stream, type WorkerMessage } from "./wasi";

// The dom lib types `self` as a Window; only these two members of the worker scope are used.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<RunRequest>) => void) | null;
  postMessage(message: WorkerMessage): void;
};

// Each write is posted at once, so a program printing now and then shows each line as it comes. A program printing
// in a tight loop would flood the page with messages: past POSTS_PER_WINDOW posts in a window, writes are held and
// go out together. The program runs without returning to the event loop, so no timer can send them: the next
// write after the window does, or a sleep (poll_oneoff), or the end.
const WINDOW_MS = 16;
const POSTS_PER_WINDOW = 8;

let held: [Stream, string][] = [];
let windowStart = -Infinity;
let posts = 0;

function send(): void {
  if (held.length === 0) return;
  scope.postMessage({ type: "output", chunks: held });
  held = [];
}

function write(stream: Stream, text: string): void {
  if (text === "") return;
  const last = held.at(-1);
  if (last?.[0] === stream) last[1] += text;
  else held.push([stream, text]);
  const now = performance.now();
  if (now - windowStart >= WINDOW_MS) {
    windowStart = now;
    posts = 0;
  }
  if (posts < POSTS_PER_WINDOW) {
    posts++;
    send();
  }
}

function run(request: RunRequest): Ending {
  // Streaming decoders: a UTF-8 sequence split across two writes still decodes whole.
  const stdout = new TextDecoder();
  const stderr = new TextDecoder();
  const wasi = createWasi({
    args: request.args,
    env: request.env,
    stdin: request.stdin,
    stdout: (bytes) => write("stdout", stdout.decode(bytes, { stream: true })),
    stderr: (bytes) => write("stderr", stderr.decode(bytes, { stream: true })),
  });
  // The shim sleeps by spinning; what the program wrote before sleeping is shown while it sleeps.
  const pollOneoff = wasi.wasiImport.poll_oneoff!;
  wasi.wasiImport.poll_oneoff = (...args: unknown[]) => {
    send();
    return pollOneoff(...args);
  };
  try {
    const instance = new WebAssembly.Instance(request.module, { [WASI_MODULE]: wasi.wasiImport });
    wasi.inst = instance as unknown as WASI["inst"];
    const start = instance.exports[request.entry];
    if (typeof start !== "function") return { status: "error", message: `the module exports no ${request.entry} function` };
    start();
    return { status: "exit", code: 0 };
  } catch (thrown) {
    return endingOf(thrown);
  } finally {
    write("stdout", stdout.decode());
    write("stderr", stderr.decode());
    send();
  }
}

scope.onmessage = (event) => scope.postMessage({ type: "end", ending: run(event.data) });
