// AssemblyScript's env.abort(message, fileName, line, column) as the playground provides it: its runtime calls it
// for a failed assert, an index out of range or a throw, and it is the one import of a module built without WASI
// or bindings. The call ends as a trap with the message and place. The server's side: Server/PlaygroundImports.cs.
import type { ImportReport } from "./api";

export const ABORT_MODULE = "env";

export const isAbortImport = (imp: ImportReport): boolean =>
  imp.module === ABORT_MODULE && imp.name === "abort" && imp.kind === "func" && imp.type === "(i32, i32, i32, i32) -> ()";

/** Thrown out of the module by abort; endingOf makes it a trap. */
export class Abort extends Error {}

/** An AssemblyScript string: UTF-16LE, its length in bytes in the four bytes before it; 0 is null. */
function stringAt(memory: WebAssembly.Memory | null, pointer: number): string | null {
  if (!memory || pointer === 0 || pointer < 4 || pointer > memory.buffer.byteLength) return null;
  const length = new DataView(memory.buffer).getUint32(pointer - 4, true);
  if (pointer + length > memory.buffer.byteLength) return null;
  return new TextDecoder("utf-16le").decode(new Uint8Array(memory.buffer, pointer, length));
}

/** The import object's env.abort for an instance whose memory `memory()` gives once it exists. */
export function abortImport(memory: () => WebAssembly.Memory | null): { abort(message: number, file: number, line: number, column: number): never } {
  return {
    abort(message, file, line, column) {
      const where = stringAt(memory(), file);
      throw new Abort(`abort: ${stringAt(memory(), message) ?? "(no message)"}${where ? ` at ${where}:${line}:${column}` : ""}`);
    },
  };
}
