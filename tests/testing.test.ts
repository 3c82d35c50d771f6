/**
 * `pulumi-vercel-client-certs/testing` as a user's test uses it (imported by package name, from dist), and
 * `ProjectClientCerts.get` through the real provider host.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { getProjectClientCerts, getProjectClientCertsOutput, ProjectClientCerts } from "pulumi-vercel-client-certs";
import { clientCertsMocks, SANDBOX_TOKEN, startSandbox, type FakeVercel } from "pulumi-vercel-client-certs/testing";
import { registerResource } from "./support/capture";
import { ProviderHost, REPO_ROOT } from "./support/providerHost";

const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

describe("testing: clientCertsMocks", function () {
    let fake: FakeVercel;
    before(async () => {
        // Any request the mocks failed to intercept would land here and be counted.
        fake = await startSandbox();
        process.env.VERCEL_API_URL = fake.url;
    });
    after(async () => {
        delete process.env.VERCEL_API_URL;
        await fake.stop();
    });

    it("gives ProjectClientCerts the outputs the provider would, and the functions the same, with no request", async () => {
        await pulumi.runtime.setMocks(
            clientCertsMocks({
                "my-app": [
                    { id: "cert_b", origin: "https://b.example.com" },
                    { id: "cert_a", origin: "https://a.example.com" },
                ],
                "team_other/my-app": [{ id: "cert_other", origin: "https://o.example.com" }],
            }),
            "user-stack",
            "test",
        );
        const certs = new ProjectClientCerts("certs", { idOrName: "my-app", teamId: "team_acme" });
        assert.deepEqual(await value(certs.certIds), ["cert_a", "cert_b"]);
        assert.deepEqual(await value(certs.origins), ["https://a.example.com", "https://b.example.com"]);
        assert.equal(await value(certs.id), "team_acme/my-app");
        assert.equal(await value(certs.certIdFor("https://b.example.com")), "cert_b");
        const other = new ProjectClientCerts("other", { idOrName: "my-app", teamId: "team_other" });
        assert.deepEqual(await value(other.certIds), ["cert_other"]);
        const fn = await getProjectClientCerts({ idOrName: "my-app", slug: "acme" });
        assert.deepEqual(fn.certIds, ["cert_a", "cert_b"]);
        // certOriginsById, keyed by id, from the resource under the mocks and from the function alike.
        const byId = { cert_a: "https://a.example.com", cert_b: "https://b.example.com" };
        assert.deepEqual(await value(certs.certOriginsById), byId);
        assert.deepEqual(fn.certOriginsById, byId);
        const byOrigin = { "https://a.example.com": "cert_a", "https://b.example.com": "cert_b" };
        assert.deepEqual(await value(certs.certIdByOrigin), byOrigin);
        assert.deepEqual(fn.certIdByOrigin, byOrigin);
        const none = await getProjectClientCerts({ idOrName: "unknown-app" });
        assert.deepEqual(none.clientCerts, []);
        assert.equal(fake.requests.length, 0);
    });

    it("a secret project or team gets the same certificates as a plain one, with a secret id and secret outputs, as the real provider gives", async () => {
        await pulumi.runtime.setMocks(
            clientCertsMocks({
                "my-app": [
                    { id: "cert_b", origin: "https://b.example.com" },
                    { id: "cert_a", origin: "https://a.example.com" },
                ],
                "team_other/my-app": [{ id: "cert_other", origin: "https://o.example.com" }],
            }),
            "user-stack",
            "test",
        );
        const plain = new ProjectClientCerts("plain", { idOrName: "my-app" });
        const secretName = new ProjectClientCerts("secret-name", { idOrName: pulumi.secret("my-app") });
        const secretTeam = new ProjectClientCerts("secret-team", { idOrName: "my-app", teamId: pulumi.secret("team_other") });
        // A secret name reached through a promise is as secret as one given directly.
        const viaPromise = new ProjectClientCerts("secret-via-promise", { idOrName: Promise.resolve(pulumi.secret("my-app")) as unknown as string });
        assert.deepEqual(await value(plain.certIds), ["cert_a", "cert_b"]);
        assert.deepEqual(await value(secretName.certIds), await value(plain.certIds));
        assert.deepEqual(await value(secretName.clientCerts), await value(plain.clientCerts));
        assert.deepEqual(await value(secretName.origins), await value(plain.origins));
        assert.equal(await value(secretName.certIdFor("https://a.example.com")), "cert_a");
        assert.deepEqual(await value(secretTeam.certIds), ["cert_other"]);
        assert.deepEqual(await value(viaPromise.certIds), ["cert_a", "cert_b"]);
        for (const r of [secretName, secretTeam, viaPromise]) {
            assert.match(await value(r.id), /^\(secret\)\/[0-9a-f-]{36}$/);
            for (const o of [r.certIds, r.clientCerts, r.origins, r.certIdByOrigin, r.idOrName] as pulumi.Output<unknown>[]) assert.equal(await pulumi.isSecret(o), true);
        }
        assert.deepEqual(await value(secretName.certIdByOrigin), await value(plain.certIdByOrigin));
        assert.equal(await pulumi.isSecret(plain.certIds), false);
        assert.equal(await pulumi.isSecret(plain.certIdByOrigin), false);
        const fn = getProjectClientCertsOutput({ idOrName: pulumi.secret("my-app") });
        assert.deepEqual((await value(fn)).certIds, ["cert_a", "cert_b"]);
        assert.equal(await pulumi.isSecret(fn), true);
        assert.equal(fake.requests.length, 0);
    });

    it("a rotation (two certificates for one origin): certIdByOrigin and certIdFor both give the smallest id; odd origins find nothing", async () => {
        await pulumi.runtime.setMocks(
            clientCertsMocks({
                "my-app": [
                    { id: "cert_new", origin: "https://pay.example.com" },
                    { id: "cert_b", origin: "https://b.example.com" },
                    { id: "cert_old", origin: "https://pay.example.com" },
                ],
            }),
            "user-stack",
            "test",
        );
        const certs = new ProjectClientCerts("rotating", { idOrName: "my-app" });
        const byOrigin = await value(certs.certIdByOrigin);
        assert.deepEqual(byOrigin, { "https://b.example.com": "cert_b", "https://pay.example.com": "cert_new" });
        assert.equal(await value(certs.certIdFor("https://pay.example.com")), "cert_new");
        assert.equal(Object.getPrototypeOf(byOrigin), Object.prototype);
        assert.equal(Object.hasOwn(byOrigin, "constructor"), false);
        const fn = await getProjectClientCerts({ idOrName: "my-app" });
        assert.deepEqual(fn.certIdByOrigin, byOrigin);
        assert.deepEqual(fn.certIds, ["cert_b", "cert_new", "cert_old"], "both certificates of the rotation stay listed");
    });

    it("teamId: null with a secret vercel:team: the configured team applies, and the scope is secret", async () => {
        await pulumi.runtime.setMocks(clientCertsMocks({ "team_other/my-app": [{ id: "cert_other", origin: "https://o.example.com" }] }), "user-stack", "test");
        pulumi.runtime.setAllConfig({ "vercel:team": "team_other" }, ["vercel:team"]);
        try {
            const r = new ProjectClientCerts("null-team", { idOrName: "my-app", teamId: null as unknown as undefined });
            assert.deepEqual(await value(r.certIds), ["cert_other"]);
            assert.match(await value(r.id), /^\(secret\)\/[0-9a-f-]{36}$/);
            assert.equal(await pulumi.isSecret(r.teamId), true);
        } finally {
            pulumi.runtime.setAllConfig({}, []);
        }
    });

    it("passes other resources and invokes to the mocks given", async () => {
        const seen: string[] = [];
        await pulumi.runtime.setMocks(
            clientCertsMocks({}, {
                newResource: (a) => (seen.push(a.type), { id: "x", state: { ...a.inputs, extra: 1 } }),
                call: (a) => a.inputs,
            }),
        );
        class Other extends pulumi.CustomResource {
            declare readonly extra: pulumi.Output<number>;
            constructor(name: string) {
                super("test:index:Other", name, { extra: undefined });
            }
        }
        assert.equal(await value(new Other("o").extra), 1);
        assert.deepEqual(seen, ["test:index:Other"]);
    });
});

describe("ProjectClientCerts.get through the real provider host", function () {
    this.timeout(60_000);
    it("reads by id (team, slug, personal) with the engine's Read, as `get` registers it", async () => {
        const fake = await startSandbox();
        const { urn, inputs } = await registerResource("existing", { idOrName: "web-app" });
        const host = await ProviderHost.start({ cwd: REPO_ROOT, env: { VERCEL_API_URL: fake.url } });
        try {
            await host.configure({ "vercel:apiToken": SANDBOX_TOKEN }, ["vercel:apiToken"]);
            const provider = inputs.__provider;
            const team = await host.read(urn, "team_acme/web-app", { idOrName: "web-app", teamId: "team_acme", __provider: provider }, {});
            assert.equal(team.id, "team_acme/web-app");
            assert.deepEqual(team.outputs.certIds, ["cert_ledger001", "cert_payments01"]);
            const personal = await host.read(urn, "(personal)/side-project", { idOrName: "side-project", __provider: provider }, {});
            assert.deepEqual(personal.outputs.certIds, ["cert_side01"]);
        } finally {
            await host.stop();
            await fake.stop();
        }
    });

    it("an id that is not <team>/<project> fails at once, saying what ids look like", async () => {
        await pulumi.runtime.setMocks(clientCertsMocks({}));
        assert.throws(() => ProjectClientCerts.get("bad", "no-slash-here"), /"no-slash-here" is not a ProjectClientCerts id\. Ids look like "team_abc123\/my-app"/);
        assert.throws(() => ProjectClientCerts.get("bad2", "team_acme/"), /is not a ProjectClientCerts id/);
    });
});
