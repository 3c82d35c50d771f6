/**
 * `npm run sandbox`, `npm run example` and `npm run example:plugin`, run as users run them (child processes), the
 * tours with the real Pulumi CLI (the plugin's with Pulumi's own YAML language host). The README's drift blocks
 * are the tours' output, verbatim; and the README's scheduled drift check, run as written against the plugin
 * tour's stack, tells drift, a lost required origin and a broken check apart.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
import { normalizeCliText, readmeBlock as readmeBlockText } from "../scripts/readmeBlocks";
import { spawnCollect } from "../scripts/runPulumi";
import { requireCli } from "./support/cli";
import { requirePluginBuilt } from "./support/pluginCli";
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

    it("npm run example:plugin: the same tour for the plugin with a YAML program; the README quotes it; the README's CI drift check tells drift, a lost required origin and a broken check apart", async function () {
        // The tour (10 commands) and four runs of the drift check: under a loaded 2-core machine, more than 300 s.
        this.timeout(600_000);
        const cli = await requireCli(this);
        requirePluginBuilt();
        const r = await runNode(["scripts/example.ts", "--plugin"], { ...process.env, PULUMI_CLI: cli });
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        assert.match(r.stdout, /language host: pulumi-language-yaml/);
        assert.match(r.stdout, /=== plugin: pulumi plugin install resource vercel-client-certs \S+ --file \S+\.tar\.gz --reinstall\n[\s\S]*?--- exit 0/);
        const drift = exampleSection(r.stdout, "drift");
        assert.equal(drift.code, 7);
        assert.match(drift.text, /^\s*\+ cert_added_in_dashboard\s*: "https:\/\/new-upstream\.example\.com"$/m);
        assert.equal(exampleSection(r.stdout, "drift check").code, 7);
        assert.match(exampleSection(r.stdout, "refresh").text, /~ 1 updated/);
        assert.match(
            exampleSection(r.stdout, "up with refresh").text,
            /^\s*~ cert_added_in_dashboard\s*: "https:\/\/new-upstream\.example\.com" => "https:\/\/moved-upstream\.example\.com"$/m,
        );

        // The README's blocks are this very output, verbatim, and its program is the one that ran.
        const programDir = path.join(REPO_ROOT, ".pulumi-state", "plugin-tour");
        assert.equal(readmeBlockText("npm run example:plugin, program"), fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8"));
        for (const title of ["drift", "drift check", "preview with refresh", "refresh", "up with refresh"]) {
            const { command, text } = exampleSection(r.stdout, title);
            assert.equal(readmeBlock(`npm run example:plugin, ${title}`), normalizeCliText(`$ ${command}\n${text}`), `README block "${title}"`);
        }

        // The README's scheduled drift check, its shell step as written, on the tour's stack (which stored
        // cert_added_in_dashboard at moved-upstream), against a fresh fake API.
        const fake = new FakeVercel(sampleSeed());
        await fake.start();
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "drift-recipe-"));
        try {
            const script = path.join(work, "drift-check.sh");
            fs.writeFileSync(script, readmeDriftCheckScript().replace("--stack my-org/prod", "--stack sandbox"));
            const check = async (token: string) => {
                const output = path.join(work, "github-output");
                fs.writeFileSync(output, "");
                const env: NodeJS.ProcessEnv = {
                    PATH: [path.dirname(cli), nodeDir, process.env.PATH ?? ""].join(path.delimiter),
                    HOME: process.env.HOME,
                    PULUMI_HOME: path.join(REPO_ROOT, ".pulumi-state", ".pulumi-home"),
                    PULUMI_BACKEND_URL: `file://${path.join(REPO_ROOT, ".pulumi-state")}`,
                    PULUMI_CONFIG_PASSPHRASE: "",
                    PULUMI_SKIP_UPDATE_CHECK: "true",
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                    NO_COLOR: "1",
                    VERCEL_API_URL: fake.url,
                    VERCEL_API_TOKEN: token,
                    GITHUB_OUTPUT: output,
                };
                const run = await spawnCollect("bash", [script], programDir, env, 240_000);
                const result = /^result=(.*)$/m.exec(fs.readFileSync(output, "utf8"))?.[1];
                return { code: run.code, result, log: run.stdout + run.stderr };
            };
            const moved = { id: "cert_added_in_dashboard", origin: "https://moved-upstream.example.com" };

            // Drift: the stored certificate is gone at Vercel.
            const drift = await check(SANDBOX_TOKEN);
            assert.deepEqual([drift.code, drift.result], [7, "drift"], drift.log);
            assert.match(drift.log, /^\s*- cert_added_in_dashboard\s*:/m);
            assert.match(drift.log, /::error::Drift: a client certificate changed/);

            // The required origin's certificate re-pointed: the CLI exits 1 with the requireOrigins message; the
            // step calls it drift, and says which kind.
            fake.addCert("web-app", "team_acme", moved);
            fake.addCert("web-app", "team_acme", { id: "cert_payments01", origin: "https://payments-v2.example.com" });
            const lost = await check(SANDBOX_TOKEN);
            assert.deepEqual([lost.code, lost.result], [7, "required-origin"], lost.log);
            assert.match(lost.log, /has no client certificate for "https:\/\/payments\.example\.com" \(requireOrigins; it has: /);
            assert.match(lost.log, /::error::Drift: a required origin has no client certificate/);

            // A broken check: a rejected token is neither kind of drift, and keeps the CLI's exit code.
            fake.addCert("web-app", "team_acme", { id: "cert_payments01", origin: "https://payments.example.com" });
            const broken = await check("wrong-token-0123456789abcdef");
            assert.deepEqual([broken.code, broken.result], [1, "broken"], broken.log);
            assert.match(broken.log, /Vercel rejected the token \(401\)/);
            assert.match(broken.log, /::error::The drift check itself failed \(exit 1\)/);

            // Nothing changed since the last stored state: clean.
            const clean = await check(SANDBOX_TOKEN);
            assert.deepEqual([clean.code, clean.result], [0, "clean"], clean.log);
        } finally {
            await fake.stop();
            fs.rmSync(work, { recursive: true, force: true });
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

/** The fenced block after `<!-- cli-output: <label> -->` in README.md, normalized. */
function readmeBlock(label: string): string {
    const body = readmeBlockText(label);
    assert.ok(body !== undefined, `README.md has no cli-output block "${label}"`);
    return normalizeCliText(body);
}

/**
 * The shell script of the "Drift check" step of the README's `<!-- ci-recipe: drift check -->` workflow: the
 * `run: |` block's lines, dedented, as the runner's bash gets them.
 */
function readmeDriftCheckScript(): string {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const at = readme.indexOf("<!-- ci-recipe: drift check -->\n```yaml\n");
    assert.ok(at >= 0, "README.md has the ci-recipe block");
    const lines = readme.slice(at).split("\n");
    const stepAt = lines.findIndex((l) => /^\s*- name: Drift check$/.test(l));
    const runAt = lines.findIndex((l, i) => i > stepAt && /^\s*run: \|$/.test(l));
    assert.ok(stepAt > 0 && runAt > stepAt, "the recipe has a Drift check step with a run: | script");
    const keyIndent = /^\s*/.exec(lines[runAt])![0].length;
    const body: string[] = [];
    for (const line of lines.slice(runAt + 1)) {
        if (line.startsWith("```") || (line.trim() !== "" && /^\s*/.exec(line)![0].length <= keyIndent)) break;
        body.push(line);
    }
    const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
    const script = body.map((l) => l.slice(indent)).join("\n");
    assert.match(script, /--stack my-org\/prod/);
    return `${script}\n`;
}

/** One command's part of `npm run example`'s output: between `=== <title>: pulumi …` and `--- exit <code>`. */
function exampleSection(stdout: string, title: string): { command: string; text: string; code: number } {
    const m = new RegExp(`^=== ${title}: (pulumi .*)\\n([\\s\\S]*?)^--- exit (\\d+)$`, "m").exec(stdout);
    assert.ok(m, `no "${title}" section in:\n${stdout}`);
    return { command: m[1], text: m[2], code: Number(m[3]) };
}

/** Runs a TypeScript script from the repo with the given environment, asynchronously (it may serve HTTP). */
function runNode(args: string[], env: NodeJS.ProcessEnv) {
    return spawnCollect(process.execPath, [...TS, ...args], REPO_ROOT, env, 300_000);
}
