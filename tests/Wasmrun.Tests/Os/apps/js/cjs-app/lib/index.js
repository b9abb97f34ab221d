// Required as a directory (./lib -> lib/index.js).
module.exports = { counter: 0, isMain: require.main === module };
