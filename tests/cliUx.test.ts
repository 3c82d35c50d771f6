/**
 * What the real CLI shows for the smaller user-facing cases of issue 18 item 14: a token stored in plain text, the
 * `import` option, `certIdFor` for an origin the project lacks, a personal project read from a team stack, and a
 * refresh that cannot tell a deleted personal project from a token of another user. Each asserts the lines a user
 * sees and the exit code, through Pulumi's own Node.js language host.
 */
import { strict as assert } from "node:assert";
import type { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { cliStack, expectExit, runPulumi, startCliSuite } from "./support/cli";

const WEB_APP = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
export const certIds = new ProjectClientCerts("web", { idOrName: "web-app" }).certIds;
`;

/** How many times `needle` occurs in `text`. */
const count = (text: string, needle: string) => text.split(needle).length - 1;

/**
 * The CLI's `Diagnostics:` section, where each message is listed once (the progress display above it also shows
 * each as it happens, in a non-interactive terminal).
 */
function diagnostics(stdout: string): string {
    const m = /^Diagnostics:\n([\s\S]*?)(?=^(Outputs|Resources):)/m.exec(stdout);
    return m ? m[1] : "";
}

describe("real Pulumi CLI: the small things a user sees", function () {
    this.timeout(600_000);
    let cli: string;
    let fake: FakeVercel;

    before(async function () {
        ({ cli, fake } = await startCliSuite(this));
    });
    after(async () => {
        await fake?.stop();
    });

    it("vercel:apiToken set without --secret: one warning in preview, naming the file and the fix, never the token; none with --secret", async () => {
        const ctx = await cliStack(cli, "plain-token", { "index.ts": WEB_APP }, fake.url, { "vercel:team": "team_acme" });
        await expectExit(ctx, ["config", "set", "vercel:apiToken", SANDBOX_TOKEN]);
        const plain = await expectExit(ctx, ["preview"]);
        const warning = "vercel:apiToken is stored in plain text in Pulumi.dev.yaml (it was set without --secret). Encrypt it: pulumi config set --secret vercel:apiToken <token>";
        assert.equal(count(diagnostics(plain.stdout), warning), 1, plain.stdout);
        assert.match(plain.stdout, /\+ 2 to create/);
        // The token itself is in the plain-text config, but never in what the package prints.
        assert.ok(!(plain.stdout + plain.stderr).includes(SANDBOX_TOKEN));

        await expectExit(ctx, ["config", "set", "--secret", "vercel:apiToken", SANDBOX_TOKEN]);
        const secret = await expectExit(ctx, ["preview"]);
        assert.equal(count(secret.stdout, "plain text"), 0, secret.stdout);
        assert.match(secret.stdout, /\+ 2 to create/);
    });

    it("the import resource option fails with the package's message, once, before Pulumi's toJavaScript TypeError", async () => {
        const program = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
export const certIds = new ProjectClientCerts("web", { idOrName: "web-app", teamId: "team_acme" }, { import: "team_acme/web-app" }).certIds;
`;
        const ctx = await cliStack(cli, "import-option", { "index.ts": program }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN });
        const r = await runPulumi(ctx, ["preview"]);
        assert.notEqual(r.code, 0);
        const all = r.stdout + r.stderr;
        assert.equal(count(diagnostics(r.stdout), 'ProjectClientCerts "web": the import resource option is not supported'), 1, all);
        assert.match(all, /ProjectClientCerts\.get\("web", "team_acme\/web-app"\)/);
        assert.doesNotMatch(all, /toJavaScript|TypeError|\n\s+at /);
    });

    it("certIdFor for an origin the project lacks: preview fails, and up fails within seconds, once, without a warning or a stack", async function () {
        this.timeout(1_800_000);
        const program = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
const certs = new ProjectClientCerts("web", { idOrName: "web-app" });
export const paymentsCertId = certs.certIdFor("https://nope.example.com");
`;
        const ctx = await cliStack(cli, "certidfor", { "index.ts": program }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
        // A busy machine (CI runners shared by many jobs) can take minutes per command; the bound below is relative.
        ctx.timeoutMs = 900_000;
        const message =
            'project "web-app" in team "team_acme" has no client certificate for "https://nope.example.com" ' +
            '(it has: "https://ledger.example.com", "https://payments.example.com")';

        // The yardstick: the same stack previewing an origin the project has, on the same machine, just before.
        const normalCtx = await cliStack(cli, "certidfor-ok", { "index.ts": program.replace("https://nope.example.com", "https://payments.example.com") }, fake.url, {
            "vercel:apiToken": SANDBOX_TOKEN,
            "vercel:team": "team_acme",
        });
        const normal = await expectExit(normalCtx, ["preview"]);

        const preview = await runPulumi(ctx, ["preview"]);
        assert.notEqual(preview.code, 0, preview.stdout);
        assert.equal(count(diagnostics(preview.stdout), message), 1, preview.stdout);
        assert.doesNotMatch(preview.stdout + preview.stderr, /PromiseRejectionHandledWarning|unhandled exception|\n\s+at /);

        const up = await runPulumi(ctx, ["up", "--yes", "--skip-preview"]);
        const all = up.stdout + up.stderr;
        assert.notEqual(up.code, 0, all);
        assert.equal(count(diagnostics(up.stdout), message), 1, all);
        assert.doesNotMatch(all, /PromiseRejectionHandledWarning|unhandled exception|\n\s+at /);
        // The runtime's util.inspect of an error carrying its resource and a source-mapped stack added a minute or
        // more to both (programFailure.ts). Each must now take no more than a normal preview plus 20 s.
        console.log(
            `      a normal preview took ${(normal.ms / 1000).toFixed(1)} s; the failing preview ${(preview.ms / 1000).toFixed(1)} s, up ${(up.ms / 1000).toFixed(1)} s`,
        );
        assert.ok(preview.ms < normal.ms + 20_000, `the failing preview took ${preview.ms} ms, a normal one ${normal.ms} ms`);
        assert.ok(up.ms < normal.ms + 20_000, `pulumi up took ${up.ms} ms, a normal preview ${normal.ms} ms`);
    });

    it("ProjectClientCerts.get with a (personal)/ id reads the personal project in a stack that sets vercel:team", async () => {
        const program = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
export const teamIds = new ProjectClientCerts("web", { idOrName: "web-app" }).certIds;
export const personalIds = ProjectClientCerts.get("side", "(personal)/side-project").certIds;
`;
        const ctx = await cliStack(cli, "personal-get", { "index.ts": program }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
        fake.reset();
        await expectExit(ctx, ["up", "--yes", "--skip-preview"]);
        const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(out.teamIds, ["cert_ledger001", "cert_payments01"]);
        assert.deepEqual(out.personalIds, ["cert_side01"]);
        const sideRequests = fake.apiRequests().filter((r) => r.path.includes("side-project"));
        assert.ok(sideRequests.length > 0);
        assert.ok(sideRequests.every((r) => !/[?&](teamId|slug)=/.test(r.url)), "no team sent for the personal project");
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
    });

    it("refresh of a personal project Vercel no longer finds: the message says how to find the URN for pulumi state delete, and that works", async () => {
        const program = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
export const certIds = new ProjectClientCerts("side", { idOrName: "side-project" }).certIds;
`;
        const ctx = await cliStack(cli, "personal-gone", { "index.ts": program }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN });
        await expectExit(ctx, ["up", "--yes", "--skip-preview"]);
        const saved = [...fake.seed.projects];
        fake.seed.projects.splice(0, fake.seed.projects.length, ...saved.filter((p) => p.name !== "side-project"));
        try {
            const refresh = await runPulumi(ctx, ["refresh", "--yes", "--skip-preview"]);
            assert.notEqual(refresh.code, 0);
            assert.match(
                refresh.stdout,
                /`pulumi stack --show-urns --show-ids` lists the URN of the resource with id \(personal\)\/side-project; then run `pulumi state delete '<that URN>'`/,
            );
            // Following the message: find the URN by the id, and delete it from state.
            const listing = (await expectExit(ctx, ["stack", "--show-urns", "--show-ids"])).stdout;
            const urn = /(urn:pulumi:dev::personal-gone::pulumi-nodejs:dynamic\/vercel:ProjectClientCerts::side)/.exec(listing)?.[1];
            assert.ok(urn && listing.includes("(personal)/side-project"), listing);
            await expectExit(ctx, ["state", "delete", urn, "--yes"]);
            const state = JSON.parse((await expectExit(ctx, ["stack", "export"])).stdout);
            assert.ok(!state.deployment.resources.some((r: { urn: string }) => r.urn === urn));
        } finally {
            fake.seed.projects.splice(0, fake.seed.projects.length, ...saved);
        }
    });
});
