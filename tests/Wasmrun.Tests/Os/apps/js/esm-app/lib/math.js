// An ES module in a "type": "module" package, with named and default exports.
export const add = (a, b) => a + b;
export default function square(x) { return x * x; }
