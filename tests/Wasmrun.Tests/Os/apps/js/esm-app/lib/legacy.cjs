// A CommonJS file imported from ESM: module.exports becomes the default export.
module.exports = { kind: "commonjs", twice: (x) => 2 * x };
