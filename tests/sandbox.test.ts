/**
 * `npm run sandbox` and `npm run example`, run as users run them (child processes), the example against a
 * stand-in `pulumi` on PATH that records its arguments, environment and what the sandbox held at each call.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SANDBOX_TOKEN } from "../sandbox/seed";
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
    this.timeout(60_000);
    let bin: string;
    let log: string;

    before(function () {
        bin = fs.mkdtempSync(path.join(os.tmpdir(), "standin-pulumi-"));
        log = path.join(bin, "calls.jsonl");
        // A stand-in `pulumi`: records each call; at `preview`, also what the sandbox holds for web-app.
        fs.writeFileSync(
            path.join(bin, "pulumi"),
            `#!${process.execPath}
const fs = require("fs");
(async () => {
  const env = {};
  for (const k of ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "VERCEL_API_URL", "VERCEL_API_TOKEN"]) env[k] = process.env[k];
  let certs;
  if (process.argv[2] === "preview") {
    const r = await fetch(process.env.VERCEL_API_URL + "/v1/projects/web-app/client-cert?teamId=team_acme", { headers: { authorization: "Bearer " + process.env.VERCEL_API_TOKEN } });
    certs = (await r.json()).clientCerts.map((c) => c.id);
  }
  fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), env, certs }) + "\\n");
})();
`,
            { mode: 0o755 },
        );
    });
    after(() => fs.rmSync(bin, { recursive: true, force: true }));

    it("runs up on examples/basic against the sandbox with a local backend, adds a cert, then previews the drift", function () {
        const r = spawnSync(process.execPath, [...TS, "scripts/example.ts"], {
            cwd: REPO_ROOT,
            env: { PATH: `${bin}${path.delimiter}${nodeDir}`, HOME: os.tmpdir() },
            encoding: "utf8",
        });
        assert.equal(r.status, 0, r.stderr);
        const calls = fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l));
        assert.deepEqual(
            calls.map((c) => c.args[0]),
            ["stack", "config", "up", "preview"],
        );
        assert.deepEqual(calls[2].args, ["up", "--yes", "--non-interactive"]);
        for (const c of calls) {
            assert.equal(c.cwd, path.join(REPO_ROOT, "examples", "basic"));
            assert.equal(c.env.PULUMI_BACKEND_URL, `file://${path.join(REPO_ROOT, ".pulumi-state")}`);
            assert.equal(c.env.PULUMI_CONFIG_PASSPHRASE, "");
            assert.match(c.env.VERCEL_API_URL, /^http:\/\/127\.0\.0\.1:\d+$/);
            assert.equal(c.env.VERCEL_API_TOKEN, SANDBOX_TOKEN);
        }
        assert.ok(calls[3].certs.includes("cert_added_in_dashboard"), "the cert was added before the preview");
    });

    it("without pulumi on PATH, says how to install it and exits non-zero", function () {
        const r = spawnSync(process.execPath, [...TS, "scripts/example.ts"], {
            cwd: REPO_ROOT,
            env: { PATH: nodeDir },
            encoding: "utf8",
        });
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, /get\.pulumi\.com/);
        assert.match(r.stderr, /no `pulumi` is on PATH/);
    });
});
