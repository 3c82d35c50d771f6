/**
 * `npm run sandbox` and `npm run example`, run as users run them (child processes), the example with the real
 * Pulumi CLI.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SANDBOX_TOKEN } from "../dist/sandboxSeed";
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
            await fetch(`${url}/_sandbox/projects/web-app/certs/cert_try?teamId=team_acme`, { method: "DELETE" });
            assert.equal((await get()).clientCerts.length, 2);
        } finally {
            child.kill("SIGTERM");
        }
    });
});

describe("npm run example", function () {
    this.timeout(300_000);

    it("with the real CLI: up on examples/basic, a cert added at the sandbox, and a preview that names it", async function () {
        const cli = await requireCli(this);
        const r = await runNode(["scripts/example.ts"], { ...process.env, PULUMI_CLI: cli });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /=== deploy: pulumi up --yes[\s\S]*Resources:/);
        const drift = r.stdout.slice(r.stdout.indexOf("=== drift"));
        assert.match(drift, /\+ cert_added_in_dashboard\s*: "https:\/\/new-upstream\.example\.com"/);
        assert.match(drift, /~ 1 to update/);

        // The README's drift block is this very output, verbatim.
        const printed = drift.slice(drift.indexOf("\n") + 1, drift.indexOf("\nThe preview above")).trim();
        assert.equal(readmeBlock("npm run example, pulumi preview --diff"), normalizeCliText(printed));
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

/** Trailing spaces and blank-line runs are the only liberties taken. */
function normalizeCliText(text: string): string {
    return text
        .split("\n")
        .map((l) => l.trimEnd())
        .join("\n")
        .replace(/\n{2,}/g, "\n")
        .trim();
}

/** Runs a TypeScript script from the repo with the given environment, asynchronously (it may serve HTTP). */
function runNode(args: string[], env: NodeJS.ProcessEnv) {
    return spawnCollect(process.execPath, [...TS, ...args], REPO_ROOT, env, 300_000);
}
