/**
 * The examples, and an upgrade, through the real Pulumi CLI against the fake Vercel API.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { cliStack, expectExit, startCliSuite, type CliContext } from "./support/cli";
import { REPO_ROOT } from "./support/providerHost";
import { scratchInstall } from "./support/scratch";

/** Copies examples/<name> into the scratch install as a program, and makes a stack with the sandbox token. */
async function exampleStack(cli: string, name: string, fake: FakeVercel, env: NodeJS.ProcessEnv = {}): Promise<CliContext> {
    const source = path.join(REPO_ROOT, "examples", name);
    const files: Record<string, string> = {};
    for (const file of fs.readdirSync(source)) {
        if (fs.statSync(path.join(source, file)).isFile()) files[file] = fs.readFileSync(path.join(source, file), "utf8");
    }
    return cliStack(cli, `example-${name}`, files, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" }, env);
}

/** API requests per project name, from the fake's log. */
function requestsByProject(fake: FakeVercel): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of fake.apiRequests()) {
        const project = decodeURIComponent(r.path.split("/")[3]);
        counts.set(project, (counts.get(project) ?? 0) + 1);
    }
    return counts;
}

describe("real Pulumi CLI: the examples", function () {
    this.timeout(600_000);
    let cli: string;
    let fake: FakeVercel;

    before(async function () {
        ({ cli, fake } = await startCliSuite(this, { shuffle: true }));
    });
    after(async () => {
        await fake?.stop();
    });

    it("examples/basic: pulumi up exports the project's certificate ids", async () => {
        const ctx = await exampleStack(cli, "basic", fake);
        await expectExit(ctx, ["up", "--yes"]);
        const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(out.certIds, ["cert_ledger001", "cert_payments01"]);
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
    });

    it("examples/many-projects: 20 resources and 20 lookups make one request per project per run", async () => {
        const ctx = await exampleStack(cli, "many-projects", fake);
        fake.reset();
        // --skip-preview: one program run. The resources' reads and the lookups both happen in the program and
        // share one request per project; the provider's check and create send none.
        await expectExit(ctx, ["up", "--yes", "--skip-preview"]);
        const counts = requestsByProject(fake);
        assert.equal(counts.size, 20);
        assert.deepEqual([...new Set(counts.values())], [1], JSON.stringify([...counts]));
        const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(out.certIdsByProject["service-07"], ["cert_svc7_a"]);
        assert.deepEqual(out.originsByProject["service-07"], ["https://upstream-1.example.com"]);

        fake.reset();
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
        assert.deepEqual([...new Set(requestsByProject(fake).values())], [1]);
    });

    it("reads overlap: with an API that answers only once 8 requests are in flight, preview and refresh complete, one read per project", async function () {
        // One project at a time (the engine's Check order) would never get an answer: each read would time out.
        // Each command runs once (--skip-preview), so "one read per project" is per command: refresh's reads are
        // the provider's Read, which the engine runs in parallel; preview's and up's are the program's.
        const gated = new FakeVercel(sampleSeed(), { answerOnceInFlight: 8 });
        await gated.start();
        try {
            const ctx = await exampleStack(cli, "many-projects", gated, { VERCEL_CLIENT_CERTS_TIMEOUT_MS: "15000", VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "1" });
            for (const command of [["up", "--yes", "--skip-preview"], ["preview", "--expect-no-changes"], ["refresh", "--yes", "--skip-preview"]]) {
                gated.reset();
                await expectExit(ctx, command);
                const counts = requestsByProject(gated);
                assert.equal(counts.size, 20, command.join(" "));
                assert.deepEqual([...new Set(counts.values())], [1], `${command.join(" ")}: ${JSON.stringify([...counts])}`);
                assert.ok(gated.peakInFlight >= 8, `${command.join(" ")}: at most ${gated.peakInFlight} in flight`);
            }
        } finally {
            await gated.stop();
        }
    });
});

describe("real Pulumi CLI: upgrading and uninstalling the package under existing state", function () {
    this.timeout(600_000);
    let fake: FakeVercel;
    let ctx: CliContext;
    let installed: string;

    before(async function () {
        let cli: string;
        ({ cli, fake } = await startCliSuite(this));
        installed = path.join(scratchInstall().root, "node_modules", "pulumi-vercel-client-certs");
        const program = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
export const certIds = new ProjectClientCerts("web", { idOrName: "web-app" }).certIds;
`;
        // The token from the environment this time: the other route users take.
        ctx = await cliStack(cli, "upgrade", { "index.ts": program }, fake.url, { "vercel:team": "team_acme" }, { VERCEL_API_TOKEN: SANDBOX_TOKEN });
        await expectExit(ctx, ["up", "--yes"]);
    });
    after(async () => {
        await fake?.stop();
    });

    it("pulumi refresh runs the newly installed implementation, not the code stored in state", async () => {
        const manifest = path.join(installed, "package.json");
        const original = fs.readFileSync(manifest, "utf8");
        // A new release: only the version differs, and it shows in the User-Agent of every request it makes.
        fs.writeFileSync(manifest, original.replace(/"version": "[^"]+"/, '"version": "99.0.0-upgraded"'));
        try {
            fake.reset();
            await expectExit(ctx, ["refresh", "--yes"]);
            const agents = fake.apiRequests().map((r) => String(r.headers["user-agent"]));
            assert.ok(agents.length > 0);
            for (const agent of agents) assert.match(agent, /pulumi-vercel-client-certs\/99\.0\.0-upgraded/);
        } finally {
            fs.writeFileSync(manifest, original);
        }
    });

    it("pulumi destroy works with the package uninstalled, and sends no request", async () => {
        const away = `${installed}.uninstalled`;
        fs.renameSync(installed, away);
        try {
            fake.reset();
            const destroyed = await expectExit(ctx, ["destroy", "--yes"]);
            assert.match(destroyed.stdout, /- 2 deleted/);
            assert.equal(fake.apiRequests().length, 0);
        } finally {
            fs.renameSync(away, installed);
        }
    });
});
