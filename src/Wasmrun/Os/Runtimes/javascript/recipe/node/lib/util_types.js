// node:util/types: the type checks plain JavaScript can answer.
"use strict";
const tag = (v) => Object.prototype.toString.call(v).slice(8, -1);
const TypedArray = Object.getPrototypeOf(Uint8Array);
module.exports = {
  isDate: (v) => v instanceof Date, isRegExp: (v) => v instanceof RegExp, isMap: (v) => v instanceof Map, isSet: (v) => v instanceof Set,
  isWeakMap: (v) => v instanceof WeakMap, isWeakSet: (v) => v instanceof WeakSet, isPromise: (v) => v instanceof Promise,
  isNativeError: (v) => v instanceof Error, isArrayBuffer: (v) => v instanceof ArrayBuffer, isAnyArrayBuffer: (v) => v instanceof ArrayBuffer || tag(v) === "SharedArrayBuffer",
  isTypedArray: (v) => v instanceof TypedArray, isUint8Array: (v) => v instanceof Uint8Array, isDataView: (v) => v instanceof DataView,
  isArrayBufferView: (v) => ArrayBuffer.isView(v), isAsyncFunction: (v) => tag(v) === "AsyncFunction",
  isGeneratorFunction: (v) => tag(v) === "GeneratorFunction" || tag(v) === "AsyncGeneratorFunction", isGeneratorObject: (v) => tag(v) === "Generator",
  isBoxedPrimitive: (v) => v instanceof Number || v instanceof String || v instanceof Boolean || tag(v) === "BigInt" && typeof v === "object" || tag(v) === "Symbol" && typeof v === "object",
  isProxy: () => false,
};
