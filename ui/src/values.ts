// WebAssembly values as text, both ways: parsing what is typed into a card or the console per the real signature, and
// printing results. Shared by the page (it parses before calling) and the session worker (it prints results).

export interface Signature {
  params: string[];
  results: string[];
}

export interface TypedValue {
  type: string;
  text: string;
}

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
