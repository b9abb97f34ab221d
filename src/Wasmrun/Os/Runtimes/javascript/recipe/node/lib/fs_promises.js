// node:fs/promises: the promise forms built in fs.js.
"use strict";
module.exports = require("fs").promises;
