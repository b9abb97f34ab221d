// Text the user types, parsed: the console's tiny command language (calls, memory.size/grow, exports, help,
// clear; never JavaScript) and the terminal's shell-like argument list and environment.

export type Command =
  | { kind: "call"; name: string; args: string[] }
  | { kind: "memory.size" }
  | { kind: "memory.grow"; pages: string }
  | { kind: "exports" }
  | { kind: "help" }
  | { kind: "clear" }
  | { kind: "unknown"; text: string };

export const HELP = [
  "NAME(arg, ...)   call an exported function; arguments are parsed per its signature",
  "memory.size()    pages and bytes of the exported memory",
  "memory.grow(N)   grow the exported memory by N pages",
  "exports          list the exports with their signatures",
  "clear            clear this log",
  "help             this text",
  "Up/Down walk the history.",
];

// The name is everything before the first parenthesis: export names may hold dots, dashes or spaces.
const CALL = /^([^()]+?)\s*\(([^]*)\)$/;

export function parseCommand(line: string): Command {
  const text = line.trim();
  if (text === "exports" || text === "help" || text === "clear") return { kind: text };
  const call = CALL.exec(text);
  if (!call) return { kind: "unknown", text };
  const name = call[1]!;
  const inner = call[2]!.trim();
  const args = inner === "" ? [] : inner.split(",").map((arg) => arg.trim());
  if (name === "memory.size" && args.length === 0) return { kind: "memory.size" };
  if (name === "memory.grow" && args.length === 1) return { kind: "memory.grow", pages: args[0]! };
  return { kind: "call", name, args };
}

/** Splits a command line like a POSIX shell would for plain words: spaces separate, quotes group, \ escapes. */
export function splitArgs(line: string): { args: string[] } | { error: string } {
  const args: string[] = [];
  let current = "";
  let started = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === "\\" && quote === '"' && (line[i + 1] === '"' || line[i + 1] === "\\")) current += line[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === "\\" && i + 1 < line.length) {
      current += line[++i];
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) args.push(current);
      current = "";
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (quote) return { error: `unterminated ${quote} quote` };
  if (started) args.push(current);
  return { args };
}

/** Splits the environment like arguments (a value may hold quoted spaces); each word must be NAME=value. */
export function splitEnv(line: string): { env: string[] } | { error: string } {
  const split = splitArgs(line);
  if ("error" in split) return split;
  const bad = split.args.find((entry) => !/^[^=]+=/.test(entry));
  if (bad !== undefined) return { error: `"${bad}" is not NAME=value` };
  return { env: split.args };
}
