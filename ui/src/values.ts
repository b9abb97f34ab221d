// WebAssembly values as text, both ways: parsing what is typed into a card or the console per the real signature, and
// printing results. Shared by the page (it parses before calling) and the session worker (it prints results). Floats
// read and print as the CLI's do (src/Wasmrun/Engine/ValueText.cs): what `wasmrun exec --invoke` prints can be pasted
// here, and the other way round.

export interface Signature {
  params: string[];
  results: string[];
}

export interface TypedValue {
  type: string;
  text: string;
}

/** A parsed value (a number, or a bigint for an i64) or why the text is none. The value is not wrapped in an
 *  object: V8 turns a NaN kept in an object's field into the one NaN, while returns and arrays keep its bits. */
export type ParseResult = number | bigint | { error: string };

export const isParseError = (parsed: ParseResult): parsed is { error: string } => typeof parsed === "object";

// WAT-style integers: decimal or 0x hex, optional sign, `_` between digits.
const INTEGER = /^([+-]?)(0x[0-9a-f](?:_?[0-9a-f])*|\d(?:_?\d)*)$/i;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
const NAN = /^([+-]?)nan(?::0x([0-9a-f]+))?$/i;

// Float bits in and out of JS numbers: JavaScript has one NaN to the eye, but a number keeps the bits it was made
// from (or returned by WebAssembly with), and the CLI prints their sign and payload.
const scratch = new DataView(new ArrayBuffer(8));

interface FloatLayout {
  bits: 32 | 64;
  payloadMask: bigint;
  quiet: bigint;
  // .NET's round-trip format writes a number in full while its exponent is below this (the precision it rounds to);
  // from there, and below 1e-4, it writes d.ddde+XX (two digits at least).
  fullBelow: number;
}

const F32: FloatLayout = { bits: 32, payloadMask: 0x7fffffn, quiet: 0x400000n, fullBelow: 9 };
const F64: FloatLayout = { bits: 64, payloadMask: 0xfffffffffffffn, quiet: 0x8000000000000n, fullBelow: 17 };

function floatBits(value: number, layout: FloatLayout): bigint {
  if (layout.bits === 32) {
    scratch.setFloat32(0, value);
    return BigInt(scratch.getUint32(0));
  }
  scratch.setFloat64(0, value);
  return scratch.getBigUint64(0);
}

function floatOfBits(bits: bigint, layout: FloatLayout): number {
  if (layout.bits === 32) {
    scratch.setUint32(0, Number(bits));
    return scratch.getFloat32(0);
  }
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

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
  const layout = type === "f32" ? F32 : F64;
  const infinity = INFINITY.exec(text);
  if (infinity) return infinity[1] === "-" ? -Infinity : Infinity;
  const nan = NAN.exec(text);
  if (nan) {
    const payload = nan[2] === undefined ? layout.quiet : BigInt(`0x${nan[2]}`);
    if (payload === 0n || payload > layout.payloadMask) return `${text}: a NaN payload of an ${type} is from 0x1 to 0x${layout.payloadMask.toString(16)}`;
    const sign = nan[1] === "-" ? 1n << BigInt(layout.bits - 1) : 0n;
    const exponent = layout.bits === 32 ? 0x7f800000n : 0x7ff0000000000000n;
    return floatOfBits(sign | exponent | payload, layout);
  }
  if (DECIMAL.test(text)) return Number(text);
  return `"${text}" is not an ${type} (a decimal number, inf, -inf, nan or nan:0xPAYLOAD)`;
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
      return bits === 32 ? Number(value) : value;
    }
    case "f32":
    case "f64": {
      const value = parseFloating(text, type);
      if (typeof value === "string") return { error: value };
      // Math.fround would make any NaN the one NaN it returns, losing a typed sign or payload.
      return type === "f32" && !Number.isNaN(value) ? Math.fround(value) : value;
    }
    default:
      return { error: `a ${type} cannot be passed from JavaScript` };
  }
}

/** d.ddde±X with the fewest digits that read back as the same value (for an f32, as the same f32). */
function shortestExponential(magnitude: number, layout: FloatLayout): string {
  if (layout.bits === 64) return magnitude.toExponential();
  // The f32 widened to f64 has more digits than the f32 needs: 0.1f is 0.10000000149011612 as an f64.
  for (let digits = 1; digits < 9; digits++) {
    if (Math.fround(Number(magnitude.toPrecision(digits))) === magnitude) return magnitude.toExponential(digits - 1);
  }
  return magnitude.toExponential(8);
}

function formatFloat(value: number, layout: FloatLayout): string {
  if (Number.isNaN(value)) {
    const bits = floatBits(value, layout);
    const sign = bits >> BigInt(layout.bits - 1) === 1n ? "-" : "";
    const payload = bits & layout.payloadMask;
    return payload === layout.quiet ? `${sign}nan` : `${sign}nan:0x${payload.toString(16)}`;
  }
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exponentText] = shortestExponential(Math.abs(value), layout).split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= layout.fullBelow) {
    return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const digits = mantissa.replace(".", "");
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

export function formatValue(type: string, value: unknown): string {
  switch (type) {
    case "i32":
    case "i64":
      return String(value);
    case "f32":
    case "f64":
      return formatFloat(value as number, type === "f32" ? F32 : F64);
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
    if (isParseError(parsed)) return { error: `argument ${index}: ${parsed.error}`, param: index };
    values.push(parsed);
  }
  return { values };
}
