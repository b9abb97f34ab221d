// node:path/posix: the same object as node:path.
"use strict";
module.exports = require("path");
