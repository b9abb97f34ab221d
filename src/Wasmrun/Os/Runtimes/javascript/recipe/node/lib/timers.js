// node:timers: the same functions as the globals (defined by main.js's event loop).
"use strict";
module.exports = Object.assign({}, internal.timers, { promises: require("timers_promises") });
