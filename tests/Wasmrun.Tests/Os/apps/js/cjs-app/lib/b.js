exports.name = "b";
exports.sawA = require("./a").name;
