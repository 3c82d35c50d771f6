/**
 * Credential and scope rules, observed on the wire: which token and which team query the fake received.
 */
import { strict as assert } from "node:assert";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { newCommand } from "./support/inProcess";

describe("credentials and scope, read at call time", function () {
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());
    beforeEach(() => fake.reset());

    const sent = () => {
        const r = fake.apiRequests().at(-1)!;
        const q = new URL(r.url, fake.url).searchParams;
        return { auth: r.headers.authorization, teamId: q.get("teamId"), slug: q.get("slug") };
    };

    it("stack config vercel:apiToken wins over VERCEL_API_TOKEN and VERCEL_TOKEN", async function () {
        const lc = await newCommand(
            { VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: "env-api-token", VERCEL_TOKEN: "env-token" },
            { "vercel:apiToken": SANDBOX_TOKEN },
        );
        await lc.create({ idOrName: "web-app", teamId: "team_acme" });
        assert.equal(sent().auth, `Bearer ${SANDBOX_TOKEN}`);
    });

    it("then VERCEL_API_TOKEN, then VERCEL_TOKEN", async function () {
        let lc = await newCommand({ VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: SANDBOX_TOKEN, VERCEL_TOKEN: "env-token" });
        await lc.create({ idOrName: "web-app", teamId: "team_acme" });
        assert.equal(sent().auth, `Bearer ${SANDBOX_TOKEN}`);
        lc = await newCommand({ VERCEL_API_URL: fake.url, VERCEL_TOKEN: SANDBOX_TOKEN });
        await lc.create({ idOrName: "web-app", teamId: "team_acme" });
        assert.equal(sent().auth, `Bearer ${SANDBOX_TOKEN}`);
    });

    it("a pasted trailing newline is trimmed, not sent", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": `${SANDBOX_TOKEN}\n` });
        await lc.create({ idOrName: "web-app", teamId: "team_acme" });
        assert.equal(sent().auth, `Bearer ${SANDBOX_TOKEN}`);
    });

    it("vercel:team starting with team_ is sent as teamId, and reported as the teamId used", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
        const { inputs } = await lc.check({}, { idOrName: "web-app" });
        assert.equal(inputs.teamId, "team_acme");
        assert.deepEqual(sent(), { auth: `Bearer ${SANDBOX_TOKEN}`, teamId: "team_acme", slug: null });
    });

    it("any other vercel:team is sent as slug", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "acme" });
        const { inputs } = await lc.check({}, { idOrName: "web-app" });
        const { outs } = await lc.create(inputs);
        assert.equal(outs.slug, "acme");
        assert.deepEqual(sent(), { auth: `Bearer ${SANDBOX_TOKEN}`, teamId: null, slug: "acme" });
    });

    it("the resource's own teamId/slug wins over vercel:team", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_other" });
        await lc.create({ idOrName: "web-app", slug: "acme" });
        assert.deepEqual(sent(), { auth: `Bearer ${SANDBOX_TOKEN}`, teamId: null, slug: "acme" });
    });

    it("no team at all reads the token's personal account", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const { id, outs } = await lc.create({ idOrName: "side-project" });
        assert.equal(id, "(personal)/side-project");
        assert.deepEqual(outs.certIds, ["cert_side01"]);
        assert.ok(!("teamId" in outs) && !("slug" in outs));
    });

    it("odd project names are percent-encoded into the one path segment", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const { outs } = await lc.create({ idOrName: "café-ünï", teamId: "team_acme" });
        assert.deepEqual(outs.certIds, ["cert_uni01"]);
        assert.equal(fake.apiRequests()[0].path, "/v1/projects/caf%C3%A9-%C3%BCn%C3%AF/client-cert");
    });

    it("a malformed vercel:team is a check failure on teamId, before any request", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "my team" });
        const { failures } = await lc.check({}, { idOrName: "web-app" });
        assert.equal(failures?.[0].property, "teamId");
        assert.match(failures![0].reason, /stack config vercel:team \("my team"\)/);
        assert.equal(fake.requests.length, 0);
    });

    it("refresh uses the stored scope: setting vercel:team later does not move a personal project to a team", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
        const stored = { idOrName: "side-project", clientCerts: [], certIds: [], origins: [] };
        const result = await lc.read("(personal)/side-project", stored);
        assert.equal(result.id, "(personal)/side-project", "still there, not dropped as a 404 in team_acme");
        assert.deepEqual(result.props?.certIds, ["cert_side01"]);
        assert.equal(sent().teamId, null);
    });

    it("create resolves vercel:team for unchecked inputs; diff compares what it is given, so a later vercel:team never moves a personal resource", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
        const { id, outs } = await lc.create({ idOrName: "web-app" });
        assert.equal(id, "team_acme/web-app");
        // A refresh's Diff: fresh outputs as olds, stored inputs as news. A personal resource stays personal.
        const personal = { idOrName: "side-project", clientCerts: [], certIds: [], origins: [] };
        assert.deepEqual(await lc.diff("(personal)/side-project", personal, { idOrName: "side-project", certOriginsById: {} }), { changes: false });
        // Stored inputs from before certOriginsById: nothing proves there is no drift, so it is a change.
        assert.deepEqual(await lc.diff("(personal)/side-project", personal, { idOrName: "side-project" }), { changes: true });
        const requests = fake.requests.length;
        assert.equal((await lc.diff(id, outs, { ...outs, certOriginsById: { cert_x: "https://x.example.com" } })).changes, true);
        assert.equal(fake.requests.length, requests, "diff sends no request");
    });
});
