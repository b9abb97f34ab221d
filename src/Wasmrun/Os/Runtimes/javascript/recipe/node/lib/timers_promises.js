// node:timers/promises: promise forms of setTimeout and setImmediate.
"use strict";
const { timers } = internal;
module.exports = {
  setTimeout: (ms, value) => new Promise((resolve) => timers.setTimeout(resolve, ms, value)),
  setImmediate: (value) => new Promise((resolve) => timers.setImmediate(resolve, value)),
};
