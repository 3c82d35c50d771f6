/**
 * Automation API inline programs: one long-lived Node process (this one) runs programs through `LocalWorkspace`
 * and the real CLI, as a drift service or platform API does. What must hold there as it does under the CLI:
 *
 * - a dead end (a 401, an exhausted retry budget) lasts one run, and a single 401 is confirmed before it counts;
 * - a secret `vercel:team` keeps the resource's id and outputs secret;
 * - settings given only in `LocalWorkspace` `envVars` are the ones every command reads with: preview, up and
 *   refresh read the configured API with the configured token, once per project per command;
 * - function errors say `[secret]` for a secret scope.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { getProjectClientCerts, getProjectClientCertsOutput, ProjectClientCerts } from "../dist";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { OUTSIDER_TOKEN, SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
import { commandFailure, inlineStack, withProcessEnv, type InlineStack } from "./support/automation";
import { startCliSuite } from "./support/cli";

/** Every string in `value` (keys included) that is not inside a secret, as `stack export --show-secrets` shows one. */
function plainStrings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (!value || typeof value !== "object") return [];
    if ((value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return [];
    return Object.entries(value).flatMap(([k, v]) => [k, ...plainStrings(v)]);
}

/** A 401 as Vercel words it. */
const UNAUTHORIZED = { kind: "status" as const, status: 401, body: JSON.stringify({ error: { code: "unauthorized", message: "The request is not authorized", invalidToken: true } }) };

describe("Automation API inline programs (real CLI, one long-lived process)", function () {
    this.timeout(600_000);
    let cli: string;
    let fake: FakeVercel;
    const stacks: InlineStack[] = [];
    const open = async (...args: Parameters<typeof inlineStack>) => {
        const s = await inlineStack(...args);
        stacks.push(s);
        return s.stack;
    };

    before(async function () {
        ({ cli, fake } = await startCliSuite(this));
    });
    after(async () => {
        for (const s of stacks) s.dispose();
        await fake?.stop();
    });
    beforeEach(() => fake.reset());

    describe("dead ends last one run", function () {
        // A token of its own, so revoking it touches no other test.
        const TOKEN = "propagating-token-0123456789";
        const project = (i: number) => `service-${String(10 + i).padStart(2, "0")}`;
        /** Reads `count` projects with the functions, in this process (the program's). */
        const reading = (count: number) => async () => {
            const results = await Promise.all(Array.from({ length: count }, (_, i) => getProjectClientCerts({ idOrName: project(i), teamId: "team_acme" })));
            return { read: results.length };
        };
        const grant = () => (fake.seed.tokens[TOKEN] = { user: "alice", teams: ["team_acme"] });
        const revoke = () => delete fake.seed.tokens[TOKEN];

        it("a 401 (confirmed once) fails its run; the next run in the same process reads, with no restart or clearSnapshots()", async function () {
            await withProcessEnv({ VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: undefined, VERCEL_TOKEN: undefined }, async () => {
                const stack = await open(cli, "inline-dead-401", reading(4), { VERCEL_API_URL: fake.url });
                await stack.setConfig("vercel:apiToken", { value: TOKEN, secret: true });

                revoke();
                const failed = await commandFailure(stack.up());
                assert.match(failed, /rejected the token \(401\)/);
                // Four reads at once: four requests, one confirmation after the pause, and no more.
                assert.equal(fake.apiRequests().length, 5, fake.apiRequests().map((r) => `${r.path} ${r.status}`).join("\n"));
                assert.ok(fake.apiRequests().every((r) => r.status === 401));

                grant();
                fake.reset();
                const up = await stack.up();
                assert.equal(up.outputs.read.value, 4);
                assert.equal(fake.apiRequests().length, 4, "the second run sent its own requests");
            });
        });

        it("a single transient 401 followed by a 200 succeeds within one run", async function () {
            await withProcessEnv({ VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: undefined, VERCEL_TOKEN: undefined }, async () => {
                grant();
                const stack = await open(cli, "inline-transient-401", reading(1), { VERCEL_API_URL: fake.url });
                await stack.setConfig("vercel:apiToken", { value: TOKEN, secret: true });
                fake.failNext(UNAUTHORIZED);
                const up = await stack.up();
                assert.equal(up.outputs.read.value, 1);
                assert.deepEqual(fake.apiRequests().map((r) => r.status), [401, 200]);
                const gap = fake.apiRequests()[1].at - fake.apiRequests()[0].at;
                assert.ok(gap >= 900 && gap < 5_000, `confirmed after a short pause (${gap} ms)`);
            });
        });

        it("an exhausted retry budget (API unreachable) ends the rest of its run at once, and the next run reads", async function () {
            await withProcessEnv(
                { VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: undefined, VERCEL_TOKEN: undefined, VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "1" },
                async () => {
                    grant();
                    // One read meets a reset; the reads after it, in the same run, are not sent.
                    const program = async () => {
                        const first = await getProjectClientCerts({ idOrName: project(0), teamId: "team_acme" }).catch((e: Error) => e.message);
                        const second = await getProjectClientCerts({ idOrName: project(1), teamId: "team_acme" }).catch((e: Error) => e.message);
                        return { first: String(first), second: String(second) };
                    };
                    const stack = await open(cli, "inline-dead-unreachable", program, { VERCEL_API_URL: fake.url });
                    await stack.setConfig("vercel:apiToken", { value: TOKEN, secret: true });

                    fake.failNext({ kind: "reset" });
                    const run1 = await stack.up();
                    assert.match(run1.outputs.first.value, /Could not reach Vercel/);
                    assert.match(run1.outputs.second.value, /^Not sent for project "service-11".*an earlier read in this run/);
                    assert.equal(fake.apiRequests().length, 1);

                    fake.reset();
                    const run2 = await stack.up();
                    assert.ok(!/Not sent|Could not reach/.test(run2.outputs.first.value + run2.outputs.second.value), JSON.stringify(run2.outputs));
                    assert.equal(fake.apiRequests().length, 2);
                },
            );
        });
    });

    it("a secret vercel:team (stack.setConfig with secret: true): id (secret)/<uuid>, outputs secret, no team in the exported state", async function () {
        await withProcessEnv({ VERCEL_API_URL: undefined, VERCEL_API_TOKEN: undefined, VERCEL_TOKEN: undefined }, async () => {
            const stack = await open(
                cli,
                "inline-secret-team",
                async () => {
                    const certs = new ProjectClientCerts("certs", { idOrName: "web-app" });
                    return { certIds: certs.certIds, id: certs.id };
                },
                { VERCEL_API_URL: fake.url },
            );
            await stack.setConfig("vercel:apiToken", { value: SANDBOX_TOKEN, secret: true });
            await stack.setConfig("vercel:team", { value: "team_acme", secret: true });
            const up = await stack.up();
            assert.match(String(up.outputs.id.value), /^\(secret\)\/[0-9a-f-]{36}$/);
            assert.equal(up.outputs.certIds.secret, true);
            assert.deepEqual(up.outputs.certIds.value, ["cert_ledger001", "cert_payments01"]);
            assert.ok(fake.apiRequests().every((r) => new URL(r.url, fake.url).searchParams.get("teamId") === "team_acme"));

            // The Automation API exports with --show-secrets: a secret shows as {<sig>: <secret sig>, plaintext}.
            // Everything outside those must name neither the team nor the certificates.
            const plainText = plainStrings(await stack.exportStack()).join("\n");
            for (const plain of ["team_acme", "cert_ledger001", "cert_payments01", "ledger.example.com"]) {
                const at = plainText.indexOf(plain);
                assert.ok(at < 0, `${plain} is in the exported state in plain text: …${plainText.slice(Math.max(0, at - 200), at + 100)}…`);
            }
            assert.ok(JSON.stringify(await stack.exportStack()).includes("team_acme"), "the export shows secrets (the check above can fail)");
            const preview = await stack.preview();
            assert.equal(preview.changeSummary.same, 2, JSON.stringify(preview.changeSummary));
        });
    });

    it("settings only in LocalWorkspace envVars: preview, up and refresh read that API with that token, once per project per command", async function () {
        // This process points elsewhere, at a decoy with another token: nothing may be read there.
        const decoy = new FakeVercel(sampleSeed());
        await decoy.start();
        try {
            await withProcessEnv({ VERCEL_API_URL: decoy.url, VERCEL_API_TOKEN: OUTSIDER_TOKEN, VERCEL_TOKEN: undefined }, async () => {
                const stack = await open(
                    cli,
                    "inline-envvars",
                    async () => {
                        const a = new ProjectClientCerts("a", { idOrName: "web-app", teamId: "team_acme" });
                        const b = new ProjectClientCerts("b", { idOrName: "web-app", teamId: "team_acme", requireOrigins: ["https://payments.example.com"] });
                        const c = new ProjectClientCerts("c", { idOrName: "empty-app", teamId: "team_acme" });
                        return { a: a.certIds, b: b.certIdFor("https://payments.example.com"), c: c.certIds };
                    },
                    { VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: SANDBOX_TOKEN, VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "2" },
                );
                const perCommand = () => {
                    const requests = fake.apiRequests();
                    assert.ok(requests.every((r) => r.headers.authorization === `Bearer ${SANDBOX_TOKEN}`));
                    const projects = requests.map((r) => r.path.split("/")[3]).sort();
                    fake.reset();
                    return projects;
                };

                const preview = await stack.preview();
                assert.equal(preview.changeSummary.create, 4, JSON.stringify(preview.changeSummary));
                assert.deepEqual(perCommand(), ["empty-app", "web-app"], "preview: one request per project");

                const up = await stack.up();
                assert.deepEqual(up.outputs.a.value, ["cert_ledger001", "cert_payments01"]);
                assert.equal(up.outputs.b.value, "cert_payments01");
                assert.deepEqual(up.outputs.c.value, []);
                assert.deepEqual(perCommand(), ["empty-app", "web-app"], "up: one request per project");

                fake.addCert("empty-app", "team_acme", { id: "cert_envvars01", origin: "https://envvars.example.com" });
                const drift = await stack.preview();
                assert.equal(drift.changeSummary.update, 1, JSON.stringify(drift.changeSummary));
                perCommand();
                const refresh = await stack.refresh();
                assert.equal(refresh.summary.resourceChanges?.update, 1, JSON.stringify(refresh.summary.resourceChanges));
                assert.deepEqual(perCommand(), ["empty-app", "web-app"], "refresh: one request per project");
                const clean = await stack.preview();
                assert.equal(clean.changeSummary.update ?? 0, 0, "preview and refresh agree");
                perCommand();

                assert.equal(decoy.requests.length, 0, "nothing was read with this process's own settings");
            });
        } finally {
            fake.removeCert("empty-app", "team_acme", "cert_envvars01");
            await decoy.stop();
        }
    });

    it("a function in an inline program without a token in its own process fails saying where to put it", async function () {
        await withProcessEnv({ VERCEL_API_URL: undefined, VERCEL_API_TOKEN: undefined, VERCEL_TOKEN: undefined }, async () => {
            const stack = await open(
                cli,
                "inline-fn-no-token",
                async () => ({ ids: (await getProjectClientCerts({ idOrName: "web-app", teamId: "team_acme" })).certIds }),
                { VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: SANDBOX_TOKEN },
            );
            const failed = await commandFailure(stack.up());
            assert.match(failed, /No Vercel API token for getProjectClientCerts \(project "web-app" in team "team_acme"\) in this process/);
            assert.match(failed, /LocalWorkspace envVars reach only the CLI and the provider/);
            assert.equal(fake.apiRequests().length, 0);
        });
    });

    it("getProjectClientCertsOutput with a secret project name: the 404 error says [secret], never the name", async function () {
        await withProcessEnv({ VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: undefined, VERCEL_TOKEN: undefined }, async () => {
            const stack = await open(
                cli,
                "inline-fn-secret-404",
                async () => ({ ids: getProjectClientCertsOutput({ idOrName: pulumi.secret("hidden-project-name"), teamId: "team_acme" }).certIds }),
                {},
            );
            await stack.setConfig("vercel:apiToken", { value: SANDBOX_TOKEN, secret: true });
            const failed = await commandFailure(stack.up());
            assert.match(failed, /Vercel found no project \[secret\] in team \[secret\] \(404\)/);
            assert.ok(!failed.includes("hidden-project-name"), failed);
            assert.equal(fake.apiRequests().length, 1);
        });
    });
});
