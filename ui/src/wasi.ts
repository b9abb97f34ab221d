// WASI preview 1 as both the page (export cards, a reactor) and the terminal's worker (wasi-worker.ts) provide it
// through browser_wasi_shim, how a run or call ends other than by returning, and the messages between the page
// and the worker.
import { ConsoleStdout, File, OpenFile, PreopenDirectory, WASI, WASIProcExit } from "@bjorn3/browser_wasi_shim";
import { Abort } from "./abort";

export const WASI_MODULE = "wasi_snapshot_preview1";

/** How a call or a run ended other than by returning: exit (proc_exit), trap, or a host error. */
export type Ending = { status: "exit"; code: number } | { status: "trap"; message: string } | { status: "error"; message: string };

export interface WasiSetup {
  args: string[];
  env: string[];
  stdin: Uint8Array;
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
}

/** A WASI context with fds 0-2 and an empty preopened `/`; set `inst` before any export runs. */
export function createWasi(setup: WasiSetup): WASI {
  const wasi = new WASI(
    setup.args,
    setup.env,
    [
      new OpenFile(new File(setup.stdin)),
      new ConsoleStdout(setup.stdout),
      new ConsoleStdout(setup.stderr),
      new PreopenDirectory("/", new Map()),
    ],
    { debug: false },
  );
  // browser_wasi_shim 0.4.2 counts the argument bytes in UTF-16 units but args_get writes UTF-8, so a non-ASCII
  // argument overran the buffer the program allocated. Counted here in UTF-8 bytes, as args_get writes them.
  const encoder = new TextEncoder();
  wasi.wasiImport.args_sizes_get = (argc: number, bufferSize: number): number => {
    const view = new DataView(wasi.inst.exports.memory.buffer);
    view.setUint32(argc, wasi.args.length, true);
    view.setUint32(bufferSize, wasi.args.reduce((total, arg) => total + encoder.encode(arg).length + 1, 0), true);
    return 0;
  };
  return wasi;
}

export function endingOf(thrown: unknown): Ending {
  if (thrown instanceof WASIProcExit) return { status: "exit", code: thrown.code };
  if (thrown instanceof WebAssembly.RuntimeError || thrown instanceof Abort) return { status: "trap", message: thrown.message };
  // V8 and SpiderMonkey report exhausting the call stack as a RangeError rather than a RuntimeError.
  if (thrown instanceof RangeError && /call stack|too much recursion/i.test(thrown.message)) {
    return { status: "trap", message: `call stack exhausted (${thrown.message})` };
  }
  if (thrown instanceof Error) return { status: "error", message: thrown.message };
  return { status: "error", message: String(thrown) };
}

// ---- the terminal's worker ----

export const WORKER_URL = "/_wasmrun/ui/wasi-worker.js";

/** Page to worker, once: what to run. The module is the page's compiled one; a Module can be posted. */
export interface RunRequest {
  module: WebAssembly.Module;
  entry: string;
  args: string[];
  env: string[];
  stdin: Uint8Array;
}

export type Stream = "stdout" | "stderr";

/** Worker to page: output as decoded text in write order (not split into lines), then once the ending. */
export type WorkerMessage = { type: "output"; chunks: [Stream, string][] } | { type: "end"; ending: Ending };
