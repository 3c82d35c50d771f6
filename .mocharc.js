// Tests run TypeScript through ts-node. Type errors are caught once by `npm run typecheck` (part of `npm test`),
// so ts-node only transpiles: it keeps each test file's start-up fast.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = require("path").join(__dirname, "tsconfig.json");
module.exports = {
    require: ["ts-node/register"],
    // Spec output plus each test file's wall time at the end (where CI's time goes).
    reporter: require("path").join(__dirname, "tests/support/fileTimes.js"),
    // MOCHA_SPEC=tests/cli.test.ts,tests/x.test.ts runs only those files (positional paths add to `spec`).
    spec: process.env.MOCHA_SPEC ? process.env.MOCHA_SPEC.split(",") : ["tests/**/*.test.ts"],
    timeout: 60000,
    slow: 2000,
    // Provider hosts are child processes; a failed test must not leave CI waiting on one.
    exit: true,
};
