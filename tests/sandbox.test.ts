/**
 * `npm run sandbox` and `npm run example`, run as users run them (child processes), the example with the real
 * Pulumi CLI.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { spawnCollect } from "../scripts/runPulumi";
import { requireCli } from "./support/cli";
import { REPO_ROOT } from "./support/providerHost";

const TS = ["-r", "ts-node/register/transpile-only"];
const nodeDir = path.dirname(process.execPath);

describe("npm run sandbox", function () {
    it("serves the seeded API on 127.0.0.1, prints URL and token, and takes cert edits while running", async function () {
        const child = spawn(process.execPath, [...TS, "sandbox/main.ts", "--port", "0"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
        try {
            let out = "";
            const url = await new Promise<string>((resolve, reject) => {
                child.stdout.on("data", (d: Buffer) => {
                    out += d.toString();
                    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
                    if (m && out.includes("Ctrl-C")) resolve(m[1]);
                });
                child.once("exit", (code) => reject(new Error(`sandbox exited ${code}`)));
            });
            assert.ok(out.includes(SANDBOX_TOKEN), "prints the token to use");
            const get = () =>
                fetch(`${url}/v1/projects/web-app/client-cert?teamId=team_acme`, { headers: { authorization: `Bearer ${SANDBOX_TOKEN}` } }).then((r) => r.json());
            assert.equal((await get()).clientCerts.length, 2);
            const added = await fetch(`${url}/_sandbox/projects/web-app/certs?teamId=team_acme`, { method: "POST", body: JSON.stringify({ id: "cert_try", origin: "https://try.example.com" }) });
            assert.equal(added.status, 201);
            assert.ok((await get()).clientCerts.some((c: { id: string }) => c.id === "cert_try"));
            // Re-point: PUT, or a POST with an existing id, replaces the origin in place.
            const put = await fetch(`${url}/_sandbox/projects/web-app/certs/cert_try?teamId=team_acme`, { method: "PUT", body: JSON.stringify({ origin: "https://moved.example.com" }) });
            assert.equal(put.status, 200);
            await fetch(`${url}/_sandbox/projects/web-app/certs?teamId=team_acme`, { method: "POST", body: JSON.stringify({ id: "cert_try", origin: "https://again.example.com" }) });
            const tries = (await get()).clientCerts.filter((c: { id: string }) => c.id === "cert_try");
            assert.deepEqual(tries.map((c: { origin: string }) => c.origin), ["https://again.example.com"]);
            await fetch(`${url}/_sandbox/projects/web-app/certs/cert_try?teamId=team_acme`, { method: "DELETE" });
            assert.equal((await get()).clientCerts.length, 2);

            // It counts the requests it served (admin routes excluded) and logs one line for each, without the token.
            const refused = await fetch(`${url}/v1/projects/web-app/client-cert?teamId=team_acme`, { headers: { authorization: "Bearer wrong-token-0123456789" } });
            assert.equal(refused.status, 401);
            const counted = await fetch(`${url}/_sandbox/requests`);
            assert.equal(counted.status, 200);
            assert.deepEqual(await counted.json(), { count: 5 });
            await new Promise((r) => setTimeout(r, 200));
            const logLines = out.split("\n").filter((l) => /^(GET|POST|PUT|DELETE) \//.test(l));
            assert.equal(logLines.filter((l) => l === "GET /v1/projects/web-app/client-cert?teamId=team_acme 200").length, 4, out);
            assert.ok(logLines.includes("GET /v1/projects/web-app/client-cert?teamId=team_acme 401"), out);
            assert.ok(logLines.includes("POST /_sandbox/projects/web-app/certs?teamId=team_acme 201"), out);
            assert.ok(logLines.includes("PUT /_sandbox/projects/web-app/certs/cert_try?teamId=team_acme 200"), out);
            assert.ok(logLines.includes("GET /_sandbox/requests 200"), out);
            assert.ok(logLines.every((l) => !l.includes(SANDBOX_TOKEN) && !l.includes("Bearer")), "no log line has a token");
            assert.ok(!out.includes("wrong-token"), "no token of a request is logged");
            // The banner points at the sample project to use, and at the count.
            assert.match(out, /examples\/basic \(it reads web-app\)/);
            assert.match(out, /_sandbox\/requests/);
            // The banner describes the same seed as the README.
            const seedLine = out.split("\n").find((l) => l.startsWith("Seeded:"));
            assert.ok(seedLine, out);
            const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
            assert.ok(readme.includes(`<!-- sandbox-seed -->\n${seedLine}\n`), "README quotes the banner's seed line");
            for (const project of ["web-app", "empty-app", "café-ünï", "service-19", "side-project"]) assert.ok(seedLine.includes(project));

            // A second sandbox on the same port says so, and how to pick another.
            const port = new URL(url).port;
            const second = await spawnCollect(process.execPath, [...TS, "sandbox/main.ts", "--port", port], REPO_ROOT, process.env, 60_000);
            assert.equal(second.code, 1);
            assert.match(second.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*--port 5000`));
        } finally {
            child.kill("SIGTERM");
        }
    });
});

describe("npm run example", function () {
    this.timeout(300_000);

    it("with the real CLI: up on examples/basic, a cert added at the sandbox, and every drift workflow names it", async function () {
        const cli = await requireCli(this);
        const r = await runNode(["scripts/example.ts"], { ...process.env, PULUMI_CLI: cli });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /=== deploy: pulumi up --yes[\s\S]*Resources:/);
        assert.match(r.stdout, /language host: pulumi-language-nodejs/, "the tour runs on Pulumi's own language host");
        const drift = exampleSection(r.stdout, "drift");
        assert.equal(drift.code, 7);
        assert.match(drift.text, /\+ cert_added_in_dashboard\s*: "https:\/\/new-upstream\.example\.com"/);
        assert.match(drift.text, /~ 1 to update/);
        const check = exampleSection(r.stdout, "drift check");
        assert.equal(check.code, 7);
        // The refresh views name the certificate by id too (certOriginsById is an output).
        assert.match(check.text, /^\s*\+ cert_added_in_dashboard\s*: "https:\/\/new-upstream\.example\.com"$/m);
        assert.match(exampleSection(r.stdout, "refresh").text, /~ 1 updated/);
        assert.match(exampleSection(r.stdout, "up with refresh").text, /~ origin: "https:\/\/new-upstream\.example\.com" => "https:\/\/moved-upstream\.example\.com"/);
        assert.match(
            exampleSection(r.stdout, "up with refresh").text,
            /^\s*~ cert_added_in_dashboard\s*: "https:\/\/new-upstream\.example\.com" => "https:\/\/moved-upstream\.example\.com"$/m,
        );

        // The README's blocks are this very output, verbatim.
        for (const title of ["drift", "drift check", "preview with refresh", "refresh", "up with refresh"]) {
            const { command, text } = exampleSection(r.stdout, title);
            assert.equal(readmeBlock(`npm run example, ${title}`), normalizeCliText(`$ ${command}\n${text}`), `README block "${title}"`);
        }
    });

    it("with no CLI and no Go, says how to get one and exits non-zero", async function () {
        const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), "no-cli-cache-"));
        try {
            const r = await runNode(["scripts/example.ts"], { PATH: nodeDir, HOME: emptyCache, XDG_CACHE_HOME: emptyCache });
            assert.notEqual(r.code, 0);
            assert.match(r.stderr, /No Pulumi CLI was found/);
            assert.match(r.stderr, /npm run pulumi-cli/);
            assert.match(r.stderr, /pulumi\.com\/docs\/install/);
        } finally {
            fs.rmSync(emptyCache, { recursive: true, force: true });
        }
    });
});

/** The fenced block after `<!-- cli-output: <label> -->` in README.md. */
function readmeBlock(label: string): string {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const at = readme.indexOf(`<!-- cli-output: ${label} -->`);
    assert.ok(at >= 0, `README.md has no cli-output block "${label}"`);
    const m = /```text\n([\s\S]*?)```/.exec(readme.slice(at));
    return normalizeCliText(m![1]);
}

/** One command's part of `npm run example`'s output: between `=== <title>: pulumi …` and `--- exit <code>`. */
function exampleSection(stdout: string, title: string): { command: string; text: string; code: number } {
    const m = new RegExp(`^=== ${title}: (pulumi .*)\\n([\\s\\S]*?)^--- exit (\\d+)$`, "m").exec(stdout);
    assert.ok(m, `no "${title}" section in:\n${stdout}`);
    return { command: m[1], text: m[2], code: Number(m[3]) };
}

/**
 * Trailing spaces, blank-line runs, the wall time (`Duration: 2s`) and the CLI's progress ticker (`@ previewing
 * update....`, printed only while a step is slow) are the only liberties taken.
 */
function normalizeCliText(text: string): string {
    return text
        .split("\n")
        .filter((l) => !/^@ /.test(l))
        .map((l) => l.trimEnd())
        .join("\n")
        .replace(/\n{2,}/g, "\n")
        .replace(/^Duration: (\d+h)?(\d+m)?\d+(\.\d+)?m?s$/m, "Duration: (wall time)")
        .trim();
}

/** Runs a TypeScript script from the repo with the given environment, asynchronously (it may serve HTTP). */
function runNode(args: string[], env: NodeJS.ProcessEnv) {
    return spawnCollect(process.execPath, [...TS, ...args], REPO_ROOT, env, 300_000);
}
