/**
 * Engine fidelity: the real `ProjectClientCerts` (its `__provider` captured from construction) driven through
 * `@pulumi/pulumi`'s dynamic-provider host over gRPC, one fresh host per command, against the fake Vercel API.
 */
import { strict as assert } from "node:assert";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { registerResource } from "./support/capture";
import { SimulatedStack } from "./support/engine";
import { REPO_ROOT } from "./support/providerHost";

describe("engine fidelity: one resource through up, preview, refresh and destroy", function () {
    let fake: FakeVercel;
    let stack: SimulatedStack;

    before(async function () {
        fake = new FakeVercel(sampleSeed(), { shuffle: true });
        await fake.start();
        const { urn, inputs } = await registerResource("web-certs", { idOrName: "web-app", teamId: "team_acme" });
        stack = new SimulatedStack(urn, inputs, { cwd: REPO_ROOT, env: { VERCEL_API_URL: fake.url } }, {
            values: { "vercel:apiToken": SANDBOX_TOKEN },
            secrets: ["vercel:apiToken"],
        });
    });
    after(() => fake.stop());

    it("up: Configure → Check → Create stores the certs, sorted, with derived lists", async function () {
        assert.equal(await stack.up(), "created");
        const s = stack.state!;
        assert.equal(s.id, "team_acme/web-app");
        assert.deepEqual(s.outputs.clientCerts, [
            { id: "cert_ledger001", origin: "https://ledger.example.com" },
            { id: "cert_payments01", origin: "https://payments.example.com" },
        ]);
        assert.deepEqual(s.outputs.certIds, ["cert_ledger001", "cert_payments01"]);
        assert.deepEqual(s.outputs.origins, ["https://ledger.example.com", "https://payments.example.com"]);
        assert.equal(s.outputs.teamId, "team_acme");
        assert.equal(s.outputs.idOrName, "web-app");
        assert.ok(!("slug" in s.outputs), "absent scope fields are omitted, never undefined");
        const [req] = fake.apiRequests();
        assert.equal(req.path, "/v1/projects/web-app/client-cert");
        assert.equal(new URL(req.url, fake.url).searchParams.get("teamId"), "team_acme");
        assert.equal(req.headers.authorization, `Bearer ${SANDBOX_TOKEN}`);
        assert.match(String(req.headers["user-agent"]), /^pulumi-vercel-client-certs\/\d+\.\d+\.\d+/);
        assert.equal(fake.apiRequests().length, 1, "check and create share one snapshot");
    });

    it("preview with nothing changed (certs returned in another order): no change, inputs identical", async function () {
        const before = fake.apiRequests().length;
        const { inputs, diff } = await stack.preview();
        assert.equal(diff!.changes, "none");
        assert.deepEqual(inputs, stack.state!.inputs, "Check returns exactly the stored inputs");
        assert.equal(fake.apiRequests().length - before, 1, "check and diff share one request");
    });

    it("preview after a cert is added in the dashboard: change, and the new id is in the checked inputs", async function () {
        fake.addCert("web-app", "team_acme", { id: "cert_new0001", origin: "https://new.example.com" });
        const stored = structuredClone(stack.state!);
        const { inputs, diff } = await stack.preview();
        assert.equal(diff!.changes, "some");
        assert.deepEqual(diff!.replaces, []);
        // What the engine will display: exactly one added key, the new cert's id, with its origin.
        assert.deepEqual(inputs.certOriginsById, {
            ...(stored.inputs.certOriginsById as object),
            cert_new0001: "https://new.example.com",
        });
        assert.ok(!JSON.stringify(stored.inputs).includes("cert_new0001"));
        assert.deepEqual(stack.state, stored, "preview stores nothing");
    });

    it("up: Diff → Update stores the new cert", async function () {
        assert.equal(await stack.up(), "updated");
        assert.ok((stack.state!.outputs.certIds as string[]).includes("cert_new0001"));
        assert.equal((await stack.preview()).diff!.changes, "none");
    });

    it("refresh after a cert is removed: Read drops it, and the next preview shows no change", async function () {
        fake.removeCert("web-app", "team_acme", "cert_payments01");
        assert.equal(await stack.refresh(), "refreshed");
        assert.ok(!(stack.state!.outputs.certIds as string[]).includes("cert_payments01"));
        assert.ok(!JSON.stringify(stack.state!.inputs).includes("cert_payments01"), "Read's inputs replace stored inputs");
        const { inputs, diff } = await stack.preview();
        assert.equal(diff!.changes, "none");
        assert.deepEqual(inputs, stack.state!.inputs);
    });

    it("destroy: Delete sends no request to Vercel", async function () {
        const before = fake.requests.length;
        await stack.destroy();
        assert.equal(stack.state, undefined);
        assert.equal(fake.requests.length, before);
    });

    it("never lets the token into __provider, gRPC responses, host output or errors", function () {
        assert.ok(!String(stack.programInputs.__provider).includes(SANDBOX_TOKEN));
        assert.ok(stack.hosts.length >= 7);
        assert.ok(!stack.allBytes().includes(SANDBOX_TOKEN));
    });
});

describe("engine fidelity: drift that preview can name, and the origin guard", function () {
    let fake: FakeVercel;
    const config = { values: { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" }, secrets: ["vercel:apiToken"] };
    const stackFor = async (name: string, args: Parameters<typeof registerResource>[1]) => {
        const { urn, inputs } = await registerResource(name, args);
        return new SimulatedStack(urn, inputs, { cwd: REPO_ROOT, env: { VERCEL_API_URL: fake.url } }, config);
    };

    beforeEach(async function () {
        fake = new FakeVercel(sampleSeed(), { shuffle: true });
        await fake.start();
    });
    afterEach(() => fake.stop());

    it("a cert removed upstream: Check's inputs lose its id, Diff reports a change", async function () {
        const stack = await stackFor("web", { idOrName: "web-app" });
        await stack.up();
        fake.removeCert("web-app", "team_acme", "cert_ledger001");
        const { inputs, diff } = await stack.preview();
        assert.ok(JSON.stringify(stack.state!.inputs.certOriginsById).includes("cert_ledger001"));
        assert.ok(!JSON.stringify(inputs.certOriginsById).includes("cert_ledger001"));
        assert.equal(diff!.changes, "some");
    });

    it("a cert re-pointed to another origin shows as that one id's origin changing", async function () {
        const stack = await stackFor("web", { idOrName: "web-app" });
        await stack.up();
        fake.project("web-app", "team_acme").certs[0].origin = "https://payments-v2.example.com";
        const { inputs, diff } = await stack.preview();
        assert.equal(diff!.changes, "some");
        assert.deepEqual(inputs.certOriginsById, {
            cert_ledger001: "https://ledger.example.com",
            cert_payments01: "https://payments-v2.example.com",
        });
    });

    it("requireOrigins: a missing origin fails preview's check, naming each origin and the project", async function () {
        const stack = await stackFor("web", {
            idOrName: "web-app",
            requireOrigins: ["https://payments.example.com", "https://vault.example.com", "https://kms.example.com"],
        });
        await assert.rejects(stack.preview(), (err: Error & { failures?: { property: string; reason: string }[] }) => {
            assert.equal(err.failures?.[0].property, "requireOrigins");
            assert.match(err.failures![0].reason, /"https:\/\/vault\.example\.com", "https:\/\/kms\.example\.com"/);
            const [missing, has] = err.failures![0].reason.split("(requireOrigins");
            assert.doesNotMatch(missing, /payments/);
            assert.match(has, /it has: "https:\/\/ledger\.example\.com", "https:\/\/payments\.example\.com"/);
            assert.match(err.failures![0].reason, /project "web-app" in team "team_acme"/);
            return true;
        });
        assert.equal(stack.state, undefined, "nothing deployed");
    });

    it("a 404 at preview is a check failure on idOrName", async function () {
        const stack = await stackFor("web", { idOrName: "no-such-app" });
        await assert.rejects(stack.preview(), (err: Error & { failures?: { property: string; reason: string }[] }) => {
            assert.equal(err.failures?.[0].property, "idOrName");
            assert.match(err.failures![0].reason, /no project "no-such-app" in team "team_acme"/);
            return true;
        });
    });

    it("pointing the resource at another project replaces it (ids derive from team and project)", async function () {
        const stack = await stackFor("web", { idOrName: "web-app" });
        await stack.up();
        stack.programInputs = (await registerResource("web", { idOrName: "empty-app" })).inputs;
        assert.equal(await stack.up(), "replaced");
        assert.equal(stack.state!.id, "team_acme/empty-app");
        assert.deepEqual(stack.state!.outputs.clientCerts, []);
    });
});
