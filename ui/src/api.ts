// The server contract (docs/dev-server.md): its types are generated from the C# records into api.g.ts (re-exported
// here); this file adds the routes, the fetches the playground makes, and how the page reads events and errors.
import type { BuildError, BuildState, InspectReport, ServerEvent, ServerEventType, ServerState } from "./api.g";

export type * from "./api.g";

export const ROUTES = {
  state: "/_wasmrun/api/state",
  module: "/_wasmrun/api/module",
  socket: "/_wasmrun/ws",
} as const;

/** An event as docs/dev-server.md says each type comes: "building" with the changed files, the others with the state. */
export type LiveEvent =
  | { type: "building"; files: string[] }
  | { type: Exclude<ServerEventType, "building">; state: ServerState };

/** Narrows an event from the socket to what its type carries; null when it lacks that. */
export function liveEvent(event: ServerEvent): LiveEvent | null {
  if (event.type === "building") return event.files ? { type: event.type, files: event.files } : null;
  return event.state ? { type: event.type, state: event.state } : null;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return (await response.json()) as T;
}

export const fetchState = (): Promise<ServerState> => getJson<ServerState>(ROUTES.state);

export const fetchModuleInfo = (): Promise<InspectReport> => getJson<InspectReport>(ROUTES.module);

/** Which build a state's module is: the same generation of another server process is another build. */
export const buildKey = (state: ServerState): string => `${state.instance}/${state.generation}`;

export async function fetchModuleBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

/** One compiler error as the contract prints it: `FILE:LINE:COL: MESSAGE` (missing parts left out). */
export function formatBuildError(error: BuildError): string {
  const place = [error.file, error.line, error.column].filter((part) => part !== "").join(":");
  return place ? `${place}: ${error.message}` : error.message;
}

/** The error's source lines as vite draws them: numbered, ">" on the error's line and a caret under its column. */
export function codeFrameText(error: BuildError): string | null {
  const frame = error.frame;
  if (!frame) return null;
  const width = String(frame.first_line + frame.lines.length - 1).length;
  const text: string[] = [];
  for (const [index, source] of frame.lines.entries()) {
    const number = frame.first_line + index;
    text.push(`${number === error.line ? ">" : " "} ${String(number).padStart(width)} | ${source}`);
    if (number === error.line && error.column > 0) {
      // Tabs stay tabs, so the caret lines up however wide they are drawn.
      const indent = source.slice(0, error.column - 1).replace(/[^\t]/g, " ").padEnd(error.column - 1);
      text.push(`  ${" ".repeat(width)} | ${indent}^`);
    }
  }
  return text.join("\n");
}

export interface FailureItem {
  line: string;
  severity: string;
  frame: string | null;
}

/** What a failed build shows: its errors with their code frames, or its message when the plugin's output held none. */
export function failureItems(build: BuildState | null): FailureItem[] {
  if (!build) return [];
  const errors = build.errors ?? [];
  if (errors.length > 0) return errors.map((error) => ({ line: formatBuildError(error), severity: error.severity, frame: codeFrameText(error) }));
  return [{ line: build.message ?? "build failed", severity: "error", frame: null }];
}
