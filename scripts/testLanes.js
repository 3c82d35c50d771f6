#!/usr/bin/env node
/**
 * Runs the mocha suite in lanes: concurrent mocha processes, each with its own share of the test files, so a
 * 2-core CI machine keeps both cores busy while one lane waits on a CLI, a Go build or a child process. `npm test`
 * ends here; `TEST_JOBS=1` runs plain mocha as before.
 *
 * Why processes and not `mocha --parallel`: a lane is an ordinary mocha run (the suite's per-process singletons,
 * `exit: true` and tests/support/fileTimes.js's per-file times work unchanged), and files that share something on
 * disk can be kept in one lane, in order.
 *
 * - Files: `MOCHA_SPEC` (comma-separated), else every tests/**\/*.test.ts.
 * - Lanes: `TEST_JOBS` (1-8; default 2 on a machine with 2 or more CPUs, else 1), never more than there are units.
 * - Split: longest first onto the lane with the least estimated time (tests/support/fileTimes.json's measured
 *   seconds per file; a file it does not name counts as its `defaultSeconds`). Files whose source matches one of
 *   its `together` patterns form one unit: they run in one lane, one after another, in path order.
 * - Output: with one lane, mocha's own; with more, each line prefixed with its lane (`1| `, `2| `), then one table
 *   of every file's time and each lane's total. `TEST_TIMES_OUT=<file>` also writes the per-file seconds as JSON
 *   (the shape of fileTimes.json's `seconds`), to refresh the estimates.
 * - Exit status: 0 only if every lane passed. SIGINT/SIGTERM are passed on to the lanes.
 */
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const REPO = path.join(__dirname, "..");
const ESTIMATES = path.join(REPO, "tests", "support", "fileTimes.json");
const MAX_JOBS = 8;

/** Every *.test.ts under tests/, as repo-relative paths with forward slashes, sorted. */
function allTestFiles() {
    const out = [];
    const walk = (dir) => {
        for (const e of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
            const rel = `${dir}/${e.name}`;
            if (e.isDirectory()) walk(rel);
            else if (e.name.endsWith(".test.ts")) out.push(rel);
        }
    };
    walk("tests");
    return out.sort();
}

/** The number of lanes: TEST_JOBS, else 2 when the machine has 2 or more CPUs. */
function jobCount() {
    const raw = process.env.TEST_JOBS;
    if (raw === undefined || raw === "") return Math.min(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) throw new Error(`TEST_JOBS must be a whole number from 1 to ${MAX_JOBS}, got ${raw}`);
    return n;
}

/** Splits `files` into `jobs` lanes (arrays of files), longest unit first onto the least-loaded lane. */
function split(files, jobs, estimates) {
    const seconds = (f) => estimates.seconds[f] ?? estimates.defaultSeconds;
    const units = [];
    const grouped = new Set();
    for (const [name, pattern] of Object.entries(estimates.together ?? {})) {
        const re = new RegExp(pattern);
        const members = files.filter((f) => !grouped.has(f) && re.test(fs.readFileSync(path.join(REPO, f), "utf8")));
        if (members.length === 0) continue;
        members.forEach((f) => grouped.add(f));
        units.push({ name, files: members, seconds: members.reduce((s, f) => s + seconds(f), 0) });
    }
    for (const f of files) if (!grouped.has(f)) units.push({ name: f, files: [f], seconds: seconds(f) });
    units.sort((a, b) => b.seconds - a.seconds || a.name.localeCompare(b.name));
    const lanes = Array.from({ length: Math.min(jobs, units.length) }, () => ({ files: [], seconds: 0 }));
    for (const u of units) {
        const lane = lanes.reduce((min, l) => (l.seconds < min.seconds ? l : min));
        lane.files.push(...u.files);
        lane.seconds += u.seconds;
    }
    return lanes;
}

/** Runs one lane's mocha; resolves with its exit code and the per-file milliseconds its reporter wrote. */
function runLane(index, lane, prefixed, children) {
    const timesFile = path.join(os.tmpdir(), `mocha-lane-${process.pid}-${index}.json`);
    const env = { ...process.env, MOCHA_SPEC: lane.files.join(","), MOCHA_FILE_TIMES: timesFile, MOCHA_LANE: String(index) };
    const mocha = require.resolve("mocha/bin/mocha.js", { paths: [REPO] });
    const child = spawn(process.execPath, [mocha], { cwd: REPO, env, stdio: prefixed ? ["ignore", "pipe", "pipe"] : "inherit" });
    children.add(child);
    if (prefixed) {
        for (const [stream, sink] of [
            [child.stdout, process.stdout],
            [child.stderr, process.stderr],
        ]) {
            let rest = "";
            stream.on("data", (chunk) => {
                const lines = (rest + chunk.toString()).split("\n");
                rest = lines.pop();
                for (const line of lines) sink.write(`${index}| ${line}\n`);
            });
            stream.on("end", () => rest && sink.write(`${index}| ${rest}\n`));
        }
    }
    return new Promise((resolve) => {
        child.on("close", (code, signal) => {
            children.delete(child);
            let times = {};
            try {
                times = JSON.parse(fs.readFileSync(timesFile, "utf8"));
                fs.rmSync(timesFile, { force: true });
            } catch {
                // The lane died before its reporter wrote (its output says why); its files show no time.
            }
            resolve({ code: code ?? (signal ? 128 : 1), signal, times });
        });
    });
}

async function main() {
    const files = process.env.MOCHA_SPEC ? process.env.MOCHA_SPEC.split(",").filter(Boolean) : allTestFiles();
    const jobs = jobCount();
    const estimates = JSON.parse(fs.readFileSync(ESTIMATES, "utf8"));
    const lanes = split(files, jobs, estimates);
    const started = Date.now();
    const children = new Set();
    for (const sig of ["SIGINT", "SIGTERM"]) {
        process.on(sig, () => {
            for (const c of children) c.kill(sig);
            process.exitCode = 130;
        });
    }
    const prefixed = lanes.length > 1;
    if (prefixed) {
        lanes.forEach((l, i) =>
            process.stdout.write(`lane ${i + 1} (estimated ${l.seconds} s): ${l.files.map((f) => path.basename(f, ".test.ts")).join(" ")}\n`),
        );
    }
    const results = await Promise.all(lanes.map((l, i) => runLane(i + 1, l, prefixed, children)));
    const wall = (Date.now() - started) / 1000;
    const merged = Object.assign({}, ...results.map((r) => r.times));
    if (prefixed) {
        const rows = Object.entries(merged).sort((a, b) => b[1] - a[1]);
        const laneOf = new Map(lanes.flatMap((l, i) => l.files.map((f) => [f, i + 1])));
        process.stdout.write(`\n  Time per test file across ${lanes.length} lanes (hooks included):\n`);
        for (const [file, ms] of rows) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(7)} s  lane ${laneOf.get(file) ?? "?"}  ${file}\n`);
        results.forEach((r, i) => {
            const sum = Object.values(r.times).reduce((s, ms) => s + ms, 0) / 1000;
            process.stdout.write(`  lane ${i + 1}: ${sum.toFixed(0)} s of tests (estimated ${lanes[i].seconds} s), exit ${r.code}\n`);
        });
        process.stdout.write(`  wall time ${wall.toFixed(0)} s\n`);
    }
    if (process.env.TEST_TIMES_OUT) {
        const seconds = Object.fromEntries(Object.entries(merged).sort().map(([f, ms]) => [f, Math.round(ms / 1000)]));
        fs.writeFileSync(process.env.TEST_TIMES_OUT, `${JSON.stringify(seconds, null, 4)}\n`);
    }
    const failed = results.map((r, i) => [r, i + 1]).filter(([r]) => r.code !== 0);
    if (failed.length > 0) {
        process.stderr.write(`\n  failed: ${failed.map(([r, i]) => `lane ${i} (exit ${r.code}${r.signal ? `, ${r.signal}` : ""})`).join(", ")}\n`);
        process.exitCode = 1;
    }
}

module.exports = { split, allTestFiles };

if (require.main === module) {
    main().catch((err) => {
        process.stderr.write(`${err.stack ?? err}\n`);
        process.exitCode = 1;
    });
}
