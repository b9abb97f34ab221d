// Half of a require cycle: b sees a's exports as they are when the cycle closes.
exports.name = "a";
const b = require("./b");
exports.fromB = b.name;
exports.bSawA = b.sawA;
