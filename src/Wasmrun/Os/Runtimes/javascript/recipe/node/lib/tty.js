// node:tty: isatty from WASI's fd file type; no terminal control.
"use strict";
module.exports = { isatty: (fd) => !!internal.os.isatty(fd) };
