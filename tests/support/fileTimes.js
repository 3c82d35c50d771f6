/**
 * A mocha reporter: mocha's usual `spec` output, then the wall time of each test file (its hooks included),
 * slowest first. CI's time budget is spent per file (a real-CLI suite deploys stacks in its hooks, which `spec`
 * never times), so this is what tells a maintainer where a slow run went. With `MOCHA_FILE_TIMES=<file>` it also
 * writes those times as JSON ({ "tests/x.test.ts": ms }), which scripts/testLanes.js merges across its lanes.
 */
"use strict";
const Mocha = require("mocha");

class FileTimes extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const started = new Map();
        const totals = new Map();
        runner.on(Mocha.Runner.constants.EVENT_SUITE_BEGIN, (suite) => {
            if (suite.file && suite.parent && suite.parent.root) started.set(suite, Date.now());
        });
        runner.on(Mocha.Runner.constants.EVENT_SUITE_END, (suite) => {
            const t = started.get(suite);
            if (t === undefined) return;
            const file = require("path").relative(process.cwd(), suite.file);
            totals.set(file, (totals.get(file) ?? 0) + Date.now() - t);
        });
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const rows = [...totals].sort((a, b) => b[1] - a[1]);
            const sum = rows.reduce((s, [, ms]) => s + ms, 0);
            process.stdout.write(`\n  Time per test file (hooks included), ${(sum / 1000).toFixed(0)} s in all:\n`);
            for (const [file, ms] of rows) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`);
            if (process.env.MOCHA_FILE_TIMES) require("fs").writeFileSync(process.env.MOCHA_FILE_TIMES, JSON.stringify(Object.fromEntries(rows)));
        });
    }
}

module.exports = FileTimes;
