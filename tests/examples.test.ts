/**
 * Every example runs under `pulumi.runtime.setMocks` with mocks that execute each resource's real `__provider`
 * (check, then create) against the fake API, and its exports resolve to the fake's certificates.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { providerRunningMocks } from "./support/providerMocks";
import { REPO_ROOT } from "./support/providerHost";

const stackConfig = { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" };

async function runExample(name: string) {
    const dir = path.join(REPO_ROOT, "examples", name);
    const { mocks, resources } = providerRunningMocks(stackConfig, REPO_ROOT);
    await pulumi.runtime.setMocks(mocks, `vercel-client-certs-${name}`, "dev", false);
    pulumi.runtime.setAllConfig(stackConfig, ["vercel:apiToken"]);
    // The package's own snapshot cache (loaded from dist, as the example imports it): one run = one command.
    require("pulumi-vercel-client-certs").clearSnapshots();
    const entry = require.resolve(dir);
    delete require.cache[entry];
    const exported = require(entry) as Record<string, pulumi.Output<unknown>>;
    const values: Record<string, unknown> = {};
    for (const [key, output] of Object.entries(exported)) {
        values[key] = await new Promise((resolve) => output.apply(resolve));
    }
    return { values, resources };
}

describe("examples run, with their providers executing against the fake", function () {
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed(), { shuffle: true });
        process.env.VERCEL_API_URL = await fake.start();
    });
    after(async () => {
        delete process.env.VERCEL_API_URL;
        await fake.stop();
    });
    beforeEach(() => fake.reset());

    it("basic: exports the project's cert ids", async function () {
        const { values } = await runExample("basic");
        assert.deepEqual(values.certIds, ["cert_ledger001", "cert_payments01"]);
        assert.equal((values.clientCerts as unknown[]).length, 2);
        assert.equal(fake.apiRequests().length, 1);
    });

    it("mtls-egress: requireOrigins passes, and certIdFor wires the payments cert id into the env var", async function () {
        const { values, resources } = await runExample("mtls-egress");
        assert.equal(values.paymentsCertId, "cert_payments01");
        // The env var registers once its value (the cert id) resolves, which can be after the exports do.
        const isEnvVar = (r: { type: string }) => r.type === "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";
        for (let i = 0; i < 100 && !resources.some(isEnvVar); i++) await new Promise((r) => setTimeout(r, 20));
        const envVar = resources.find(isEnvVar);
        // @pulumiverse/vercel marks `value` secret, so the mock sees it in Pulumi's secret wrapper.
        assert.equal((envVar?.state.value as { value?: unknown })?.value, "cert_payments01");
        assert.equal(envVar?.state.key, "PAYMENTS_CLIENT_CERT_ID");
        assert.equal(envVar?.state.projectId, "prj_webapp0001");
    });

    it("many-projects: 20 projects, resource and lookup per project, one request per project for each", async function () {
        const { values, resources } = await runExample("many-projects");
        const byProject = values.certIdsByProject as Record<string, string[]>;
        assert.equal(Object.keys(byProject).length, 20);
        assert.deepEqual(byProject["service-07"], ["cert_svc7_a"]);
        assert.deepEqual((values.originsByProject as Record<string, string[]>)["service-07"], ["https://upstream-1.example.com"]);
        assert.equal(resources.length, 20);
        // The resources' provider (its own process under the engine, this process's cache here) and the program's
        // lookups (cached per run) each read every project once: 40 reads, 40 requests, 2 per project.
        const perProject = new Map<string, number>();
        for (const r of fake.apiRequests()) perProject.set(r.path, (perProject.get(r.path) ?? 0) + 1);
        assert.equal(perProject.size, 20);
        assert.deepEqual([...new Set(perProject.values())], [2]);
    });
});
