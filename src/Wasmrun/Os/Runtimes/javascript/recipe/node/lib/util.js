// node:util: format and inspect laid out as Node 20 prints them (breakLength 80, depth 2, grouped arrays), promisify, inherits, types.
"use strict";
const customInspect = Symbol.for("nodejs.util.inspect.custom");
const customPromisify = Symbol.for("nodejs.util.promisify.custom");
const DEFAULTS = { depth: 2, breakLength: 80, compact: 3, showHidden: false, maxArrayLength: 100, maxStringLength: 10000, sorted: false };

function inspect(value, opts) {
  const ctx = Object.assign({}, DEFAULTS, typeof opts === "object" && opts ? opts : {});
  if (ctx.depth === null) ctx.depth = Infinity;
  ctx.seen = []; ctx.circular = new Map(); ctx.indentationLvl = 0; ctx.currentDepth = 0;
  return formatValue(ctx, value, 0, false);
}
inspect.custom = customInspect;
inspect.defaultOptions = DEFAULTS;

const IDENT = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
function strEscape(s) {
  let q = "'";
  if (s.includes("'")) { if (!s.includes('"')) q = '"'; else if (!s.includes("`") && !s.includes("${")) q = "`"; }
  const esc = s.replace(/[\\\x00-\x1f\x7f]/g, (c) => ({ "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f", "\v": "\\v" })[c]
    || "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase());
  return q + (q === "'" ? esc.replace(/'/g, "\\'") : esc) + q;
}
const formatNumber = (n) => Object.is(n, -0) ? "-0" : String(n);

function formatPrimitive(ctx, v) {
  switch (typeof v) {
    case "string": {
      let trailer = "";
      if (v.length > ctx.maxStringLength) { trailer = `... ${v.length - ctx.maxStringLength} more character${v.length - ctx.maxStringLength > 1 ? "s" : ""}`; v = v.slice(0, ctx.maxStringLength); }
      if (ctx.compact !== true && v.length > 16 && v.length > ctx.breakLength - ctx.indentationLvl - 4)
        return v.split(/(?<=\n)/).map(strEscape).join(` +\n${" ".repeat(ctx.indentationLvl + 2)}`) + trailer;
      return strEscape(v) + trailer;
    }
    case "number": return formatNumber(v);
    case "bigint": return `${v}n`;
    case "boolean": return String(v);
    case "undefined": return "undefined";
    case "symbol": return v.toString();
  }
  return "null";
}

function getPrefix(ctor, tag, fallback, size) {
  if (ctor === null) return `[${fallback}${size !== undefined ? `(${size})` : ""}: null prototype] `;
  return `${ctor}${size !== undefined ? `(${size})` : ""} ` + (tag && tag !== ctor ? `[${tag}] ` : "");
}
function constructorName(obj) {
  for (let o = obj; o; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, "constructor");
    if (d && typeof d.value === "function" && d.value.name !== "") return d.value.name;
  }
  return null;
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(ctx, value);
  if (value === null) return "null";
  const custom = value[customInspect];
  if (typeof custom === "function" && custom !== inspect) {
    const r = custom.call(value, ctx.depth - recurseTimes, Object.assign({}, ctx), inspect);
    if (r !== value) return typeof r === "string" ? r : formatValue(ctx, r, recurseTimes);
  }
  if (ctx.seen.includes(value)) {
    let n = ctx.circular.get(value);
    if (n === undefined) { n = ctx.circular.size + 1; ctx.circular.set(value, n); }
    return `[Circular *${n}]`;
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function formatRaw(ctx, value, recurseTimes, typedArray) {
  const ctor = constructorName(value);
  let keys = Object.keys(value);
  if (ctx.showHidden) keys = Object.getOwnPropertyNames(value);
  const symbols = Object.getOwnPropertySymbols(value).filter((s) => ctx.showHidden || Object.prototype.propertyIsEnumerable.call(value, s));
  let base = "", braces, formatter = null, extrasArray = false, noIterator = true;
  const tag = value[Symbol.toStringTag];
  if (Array.isArray(value)) {
    keys = keys.filter((k) => !/^(0|[1-9]\d*)$/.test(k));
    const prefix = ctor !== "Array" || tag ? getPrefix(ctor, tag, "Array", value.length) : "";
    braces = [`${prefix}[`, "]"]; extrasArray = true; noIterator = false;
    if (value.length === 0 && keys.length === 0 && !symbols.length) return `${braces[0]}]`;
    formatter = formatArray;
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    keys = keys.filter((k) => !/^(0|[1-9]\d*)$/.test(k));
    braces = [`${getPrefix(ctor, tag, "TypedArray", value.length)}[`, "]"]; extrasArray = true; noIterator = false;
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = formatTypedArray;
  } else if (value instanceof Set) {
    braces = [`${getPrefix(ctor, tag, "Set", value.size)}{`, "}"]; noIterator = false;
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = (c, v, r) => [...v].map((x) => { c.indentationLvl += 2; const s = formatValue(c, x, r); c.indentationLvl -= 2; return s; });
  } else if (value instanceof Map) {
    braces = [`${getPrefix(ctor, tag, "Map", value.size)}{`, "}"]; noIterator = false;
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = (c, v, r) => [...v].map(([k, x]) => { c.indentationLvl += 2; const s = `${formatValue(c, k, r)} => ${formatValue(c, x, r)}`; c.indentationLvl -= 2; return s; });
  }
  if (noIterator) {
    braces = ["{", "}"];
    if (typeof value === "function") {
      base = functionBase(value, ctor);
      if (keys.length === 0 && !symbols.length) return base;
    } else if (value instanceof Error) {
      base = formatError(value, ctx);
      keys = keys.filter((k) => k !== "stack" && k !== "message");
      if (keys.length === 0 && !symbols.length) return base;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0 && !symbols.length) return base;
    } else if (value instanceof Date) {
      base = isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
      if (keys.length === 0 && !symbols.length) return base;
    } else if (value instanceof ArrayBuffer) {
      const bytes = [...new Uint8Array(value).slice(0, 50)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
      return `ArrayBuffer { [Uint8Contents]: <${bytes}${value.byteLength > 50 ? ` ... ${value.byteLength - 50} more bytes` : ""}>, byteLength: ${value.byteLength} }`;
    } else if (value instanceof Promise) {
      braces[0] = `${getPrefix(ctor, tag, "Promise")}{`;
      formatter = () => ["<unknown>"];
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      return `${getPrefix(ctor, tag, "Object")}{ <items unknown> }`;
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      const t = value instanceof Number ? "Number" : value instanceof String ? "String" : "Boolean";
      base = `[${t}: ${formatPrimitive(ctx, value.valueOf())}]`;
      if (t === "String") keys = keys.filter((k) => !/^(0|[1-9]\d*)$/.test(k));
      if (keys.length === 0 && !symbols.length) return base;
    } else if (ctor === "Object") {
      if (tag) braces[0] = `${getPrefix(ctor, tag, "Object")}{`;
      if (keys.length === 0 && !symbols.length) return `${braces[0]}}`;
    } else {
      braces[0] = `${getPrefix(ctor, tag, "Object")}{`;
      if (keys.length === 0 && !symbols.length) return `${braces[0]}}`;
    }
  }
  if (recurseTimes > ctx.depth) return `[${ctor || tag || "Object"}]`;
  recurseTimes++;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output = formatter ? formatter(ctx, value, recurseTimes) : [];
  for (const k of keys) output.push(formatProperty(ctx, value, recurseTimes, k, extrasArray));
  for (const s of symbols) output.push(formatProperty(ctx, value, recurseTimes, s, extrasArray));
  ctx.seen.pop();
  if (ctx.sorted) output.sort();
  let res = reduceToSingleString(ctx, output, base, braces, extrasArray, recurseTimes, value);
  const ref = ctx.circular.get(value);
  if (ref !== undefined) res = `<ref *${ref}> ${res}`;
  return res;
}

function functionBase(fn, ctor) {
  const src = Function.prototype.toString.call(fn);
  if (src.startsWith("class") && /^class\b/.test(src)) return `[class ${fn.name || "(anonymous)"}${Object.getPrototypeOf(fn).name ? ` extends ${Object.getPrototypeOf(fn).name}` : ""}]`;
  const type = ctor === "AsyncFunction" ? "AsyncFunction" : ctor === "GeneratorFunction" ? "GeneratorFunction" : ctor === "AsyncGeneratorFunction" ? "AsyncGeneratorFunction" : "Function";
  return `[${type}${fn.name ? `: ${fn.name}` : " (anonymous)"}]`;
}
function formatError(err, ctx) {
  const stack = typeof err.stack === "string" ? err.stack.replace(/\n+$/, "") : "";
  let s = stack || `[${Error.prototype.toString.call(err)}]`;
  if (stack && !stack.includes("\n    at ")) s = `[${stack}]`;
  if (ctx.indentationLvl) s = s.split("\n").join("\n" + " ".repeat(ctx.indentationLvl));
  return s;
}

function formatArray(ctx, arr, recurseTimes) {
  const out = [], n = Math.min(arr.length, ctx.maxArrayLength);
  for (let i = 0; i < n; i++) {
    if (!Object.prototype.hasOwnProperty.call(arr, i)) {
      let j = i;
      while (j < arr.length && !Object.prototype.hasOwnProperty.call(arr, j)) j++;
      out.push(`<${j - i} empty item${j - i > 1 ? "s" : ""}>`);
      i = j - 1;
      continue;
    }
    ctx.indentationLvl += 2;
    out.push(formatValue(ctx, arr[i], recurseTimes));
    ctx.indentationLvl -= 2;
  }
  if (arr.length > n) out.push(`... ${arr.length - n} more item${arr.length - n > 1 ? "s" : ""}`);
  return out;
}
function formatTypedArray(ctx, arr) {
  const n = Math.min(arr.length, ctx.maxArrayLength), out = [];
  for (let i = 0; i < n; i++) out.push(typeof arr[i] === "bigint" ? `${arr[i]}n` : formatNumber(arr[i]));
  if (arr.length > n) out.push(`... ${arr.length - n} more item${arr.length - n > 1 ? "s" : ""}`);
  return out;
}
function formatProperty(ctx, value, recurseTimes, key, inArray) {
  const desc = Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
  let str;
  if (desc.value !== undefined || !("get" in desc)) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else str = desc.get ? (desc.set ? "[Getter/Setter]" : "[Getter]") : desc.set ? "[Setter]" : "undefined";
  const name = typeof key === "symbol" ? `[${key.toString()}]` : IDENT.test(key) ? key : strEscape(key);
  return `${desc.enumerable === false ? `[${name}]` : name}: ${str}`;
}

// Node's groupArrayElements: long arrays of short items are laid out in aligned columns.
function groupArrayElements(ctx, output, value) {
  let totalLength = 0, maxLength = 0, outputLength = output.length;
  if (value && value.length > ctx.maxArrayLength && output.length > ctx.maxArrayLength) outputLength--;
  const sep = 2, dataLen = [];
  for (let i = 0; i < outputLength; i++) { const len = output[i].length; dataLen[i] = len; totalLength += len + sep; if (maxLength < len) maxLength = len; }
  const actualMax = maxLength + sep;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax), ctx.compact * 4, 15);
    if (columns <= 1) return output;
    const tmp = [], maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + sep);
    }
    let padStart = true;
    if (value !== undefined) for (let i = 0; i < output.length; i++) if (typeof value[i] !== "number" && typeof value[i] !== "bigint") { padStart = false; break; }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = "", j = i;
      for (; j < max - 1; j++) { const s = `${output[j]}, `; str += padStart ? s.padStart(maxLineLength[j - i]) : s.padEnd(maxLineLength[j - i]); }
      str += padStart ? output[j].padStart(maxLineLength[j - i] - sep) : output[j];
      tmp.push(str);
    }
    if (outputLength < output.length) tmp.push(output[outputLength]);
    return tmp;
  }
  return output;
}

function reduceToSingleString(ctx, output, base, braces, extrasArray, recurseTimes, value) {
  const entries = output.length;
  if (extrasArray && entries > 6) output = groupArrayElements(ctx, output, value);
  if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(ctx, output, start, base)) {
      const joined = output.join(", ");
      if (!joined.includes("\n")) return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const ind = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ""}${braces[0]}${ind}  ${output.join(`,${ind}  `)}${ind}${braces[1]}`;
}
function isBelowBreakLength(ctx, output, start, base) {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (const o of output) { total += o.length; if (total > ctx.breakLength) return false; }
  return base === "" || !base.includes("\n");
}

function hasUserToString(v) {
  for (let o = v; o && o !== Object.prototype && o !== Error.prototype; o = Object.getPrototypeOf(o))
    if (Object.prototype.hasOwnProperty.call(o, "toString")) return !(v instanceof Date) && o !== Array.prototype;
  return false;
}
function format(...args) {
  const first = args[0];
  let a = 0, str = "";
  if (typeof first === "string") {
    if (args.length === 1) return first;
    let last = 0;
    a = 1;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue;
      const c = first[i + 1];
      if (a !== args.length || c === "%") {
        let t;
        switch (c) {
          case "s": { const v = args[a]; t = typeof v === "bigint" ? `${v}n` : typeof v === "number" ? formatNumber(v)
            : typeof v === "object" && v !== null && !hasUserToString(v) ? inspect(v, { depth: 0 }) : String(v); break; }
          case "j": try { t = JSON.stringify(args[a]); } catch (e) { t = "[Circular]"; } break;
          case "d": { const v = args[a]; t = typeof v === "bigint" ? `${v}n` : typeof v === "symbol" ? "NaN" : formatNumber(Number(v)); break; }
          case "i": { const v = args[a]; t = typeof v === "bigint" ? `${v}n` : typeof v === "symbol" ? "NaN" : formatNumber(parseInt(v)); break; }
          case "f": { const v = args[a]; t = typeof v === "symbol" ? "NaN" : formatNumber(parseFloat(v)); break; }
          case "O": t = inspect(args[a]); break;
          case "o": t = inspect(args[a], { showHidden: true, depth: 4 }); break;
          case "c": t = ""; break;
          case "%": str += first.slice(last, i) + "%"; last = i + 2; i++; continue;
          default: continue;
        }
        if (last !== i) str += first.slice(last, i);
        str += t; last = i + 2; i++; a++;
      }
    }
    if (last !== 0) { if (last < first.length) str += first.slice(last); }
    else { a = 1; str = first; }
  }
  for (; a < args.length; a++) {
    const v = args[a];
    str += (a > 0 ? " " : "") + (typeof v === "string" ? v : inspect(v));
  }
  return str;
}
const formatWithOptions = (opts, ...args) => format(...args);

function promisify(fn) {
  if (typeof fn !== "function") throw require("internal_errors").invalidArgType("original", "of type function", fn);
  if (fn[customPromisify]) return fn[customPromisify];
  function promisified(...args) {
    return new Promise((resolve, reject) => fn.call(this, ...args, (err, ...values) => err ? reject(err) : resolve(values.length > 1 ? values : values[0])));
  }
  Object.setPrototypeOf(promisified, Object.getPrototypeOf(fn));
  return Object.defineProperties(promisified, Object.getOwnPropertyDescriptors(fn));
}
promisify.custom = customPromisify;
function callbackify(fn) {
  return function (...args) {
    const cb = args.pop();
    fn.apply(this, args).then((v) => process.nextTick(cb, null, v), (e) => process.nextTick(cb, e || Object.assign(new Error("Promise was rejected with a falsy value"), { reason: e })));
  };
}
function inherits(ctor, superCtor) {
  Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}
function deprecate(fn, msg, code) {
  let warned = false;
  return function (...args) {
    if (!warned) { warned = true; process.emitWarning(`${code ? `[${code}] ` : ""}DeprecationWarning: ${msg}`); }
    return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
  };
}
function isDeepStrictEqual(a, b) { try { require("assert").deepStrictEqual(a, b); return true; } catch (e) { return false; } }

// UTF-8 by hand: QuickJS 2021 has no TextEncoder/TextDecoder.
function utf8Encode(s) {
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) { const d = s.charCodeAt(i + 1); if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; } else c = 0xfffd; }
    else if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
    if (c < 0x80) out[n++] = c;
    else if (c < 0x800) { out[n++] = 0xc0 | (c >> 6); out[n++] = 0x80 | (c & 63); }
    else if (c < 0x10000) { out[n++] = 0xe0 | (c >> 12); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63); }
    else { out[n++] = 0xf0 | (c >> 18); out[n++] = 0x80 | ((c >> 12) & 63); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63); }
  }
  return out.slice(0, n);
}
function utf8Decode(b, start = 0, end = b.length) {
  let s = "";
  const parts = [];
  for (let i = start; i < end;) {
    const c = b[i];
    let cp = 0xfffd, len = 1;
    if (c < 0x80) { cp = c; }
    else if (c >= 0xc2 && c < 0xe0 && i + 1 < end && (b[i + 1] & 0xc0) === 0x80) { cp = ((c & 31) << 6) | (b[i + 1] & 63); len = 2; }
    else if (c >= 0xe0 && c < 0xf0 && i + 2 < end && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80) {
      cp = ((c & 15) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63); len = 3;
      if (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000)) { cp = 0xfffd; len = 1; }
    } else if (c >= 0xf0 && c < 0xf5 && i + 3 < end && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80 && (b[i + 3] & 0xc0) === 0x80) {
      cp = ((c & 7) << 18) | ((b[i + 1] & 63) << 12) | ((b[i + 2] & 63) << 6) | (b[i + 3] & 63); len = 4;
      if (cp < 0x10000 || cp > 0x10ffff) { cp = 0xfffd; len = 1; }
    }
    s += String.fromCodePoint(cp);
    if (s.length > 8192) { parts.push(s); s = ""; }
    i += len;
  }
  parts.push(s);
  return parts.join("");
}
class TextEncoder {
  get encoding() { return "utf-8"; }
  encode(s = "") { return utf8Encode(String(s)); }
}
class TextDecoder {
  constructor(enc = "utf-8") { if (!/^utf-?8$/i.test(enc)) throw new RangeError(`The "${enc}" encoding is not supported`); }
  get encoding() { return "utf-8"; }
  decode(b) {
    if (b === undefined) return "";
    const u = b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
    return utf8Decode(u, u[0] === 0xef && u[1] === 0xbb && u[2] === 0xbf ? 3 : 0);
  }
}

module.exports = {
  format, formatWithOptions, inspect, promisify, callbackify, inherits, deprecate, isDeepStrictEqual,
  TextEncoder, TextDecoder, types: require("util_types"),
  isArray: Array.isArray, isError: (e) => e instanceof Error,
  debuglog: () => Object.assign(() => {}, { enabled: false }),
  stripVTControlCharacters: (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ""),
  toUSVString: (s) => String(s).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  _utf8Encode: utf8Encode, _utf8Decode: utf8Decode,
};
