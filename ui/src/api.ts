// The server contract (docs/dev-server.md) as types: the state, the WebSocket events, the inspector's JSON,
// and the few fetches the playground makes. Field names are the server's (snake_case).

export const ROUTES = {
  state: "/_wasmrun/api/state",
  module: "/_wasmrun/api/module",
  socket: "/_wasmrun/ws",
} as const;

export interface BuildError {
  file: string;
  line: number | null;
  column: number | null;
  severity: string;
  message: string;
  // The source lines around the error, when the file is the project's.
  frame?: CodeFrame;
}

export interface CodeFrame {
  first_line: number;
  lines: string[];
}

export interface BuildInfo {
  status: "building" | "built" | "failed";
  // Unknown (null) until a build has got far enough to tell.
  plugin: string | null;
  target: string | null;
  optimization: string | null;
  seconds: number | null;
  from_cache: boolean;
  message?: string;
  errors?: BuildError[];
}

export interface ModuleRef {
  url: string;
  file: string;
  size: number;
}

export interface ServerState {
  wasmrun: string;
  name: string;
  mode: "playground" | "app";
  kind: string;
  watch: boolean;
  // Random per server process; generations start over when the server restarts.
  instance: string;
  generation: number;
  // The last good build; absent only before the first one.
  module: ModuleRef | null;
  // null when a .wasm file is served directly.
  build: BuildInfo | null;
}

export type ServerEvent =
  | { type: "state"; state: ServerState }
  | { type: "building"; files: string[] }
  | { type: "built"; state: ServerState }
  | { type: "failed"; state: ServerState };

// `wasmrun inspect --json`, only the parts the page reads.

export interface EntryInfo {
  kind: "start" | "command" | "reactor" | "library";
  export: string | null;
  function: number | null;
  description: string;
}

export interface SectionInfo {
  id: string;
  name: string | null;
  offset: number;
  size: number;
}

export interface TypeInfo {
  index: number;
  params: string[];
  results: string[];
  signature: string;
}

export interface ImportInfo {
  module: string;
  name: string;
  kind: string;
  index: number;
  type: string;
}

export interface FunctionInfo {
  index: number;
  name: string | null;
  type_index: number;
  signature: string;
  imported_from: string | null;
}

export interface TableInfo {
  index: number;
  element_type: string;
  min: number;
  max: number | null;
  imported: boolean;
}

export interface MemoryInfo {
  index: number;
  min: number;
  max: number | null;
  imported: boolean;
}

export interface GlobalInfo {
  index: number;
  type: string;
  mutable: boolean;
  init: string | null;
  imported: boolean;
}

export interface ExportInfo {
  name: string;
  kind: "func" | "table" | "memory" | "global";
  index: number;
  target: string | null;
}

export interface DataInfo {
  index: number;
  mode: string;
  memory: number | null;
  offset: string | null;
  size: number;
}

export interface ModuleInfo {
  file: string;
  size: number;
  valid: boolean;
  validation_error: { kind: string; message: string; offset: number } | null;
  entry: EntryInfo;
  sections: SectionInfo[];
  types: TypeInfo[];
  imports: ImportInfo[];
  functions: FunctionInfo[];
  tables: TableInfo[];
  memories: MemoryInfo[];
  globals: GlobalInfo[];
  exports: ExportInfo[];
  start: number | null;
  data: DataInfo[];
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return (await response.json()) as T;
}

export const fetchState = (): Promise<ServerState> => getJson<ServerState>(ROUTES.state);

export const fetchModuleInfo = (): Promise<ModuleInfo> => getJson<ModuleInfo>(ROUTES.module);

/** Which build a state's module is: the same generation of another server process is another build. */
export const buildKey = (state: ServerState): string => `${state.instance}/${state.generation}`;

export async function fetchModuleBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

/** One compiler error as the contract prints it: `FILE:LINE:COL: MESSAGE` (missing parts left out). */
export function formatBuildError(error: BuildError): string {
  const place = [error.file, error.line, error.column].filter((part) => part !== null && part !== "").join(":");
  return place ? `${place}: ${error.message}` : error.message;
}

/** The error's source lines as vite draws them: numbered, ">" on the error's line and a caret under its column. */
export function codeFrameText(error: BuildError): string | null {
  const frame = error.frame;
  if (!frame || error.line === null) return null;
  const width = String(frame.first_line + frame.lines.length - 1).length;
  const text: string[] = [];
  for (const [index, source] of frame.lines.entries()) {
    const number = frame.first_line + index;
    text.push(`${number === error.line ? ">" : " "} ${String(number).padStart(width)} | ${source}`);
    if (number === error.line && error.column !== null && error.column > 0) {
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
export function failureItems(build: BuildInfo | null): FailureItem[] {
  if (!build) return [];
  const errors = build.errors ?? [];
  if (errors.length > 0) return errors.map((error) => ({ line: formatBuildError(error), severity: error.severity, frame: codeFrameText(error) }));
  return [{ line: build.message ?? "build failed", severity: "error", frame: null }];
}
