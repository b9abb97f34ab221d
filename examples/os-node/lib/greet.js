// A module of the app: CommonJS exports, as Node loads them.
const util = require("util");

exports.greet = (name, count) => util.format("hello, %s! %d words in words.txt", name, count);
