/**
 * Every bad input and every API failure ends in an actionable error that names the project and team, never
 * contains the token, and (for Read) never replaces stored state with empty or partial outputs.
 */
import { strict as assert } from "node:assert";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { OUTSIDER_TOKEN, sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { VercelClientCertsError } from "../dist/core/errors";
import { newCommand, rejection } from "./support/inProcess";

const WEB = { idOrName: "web-app", teamId: "team_acme" };

describe("errors a user can act on", function () {
    let fake: FakeVercel;
    const env = () => ({
        VERCEL_API_URL: fake.url,
        VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "3",
        VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "10000",
    });
    const token = { "vercel:apiToken": SANDBOX_TOKEN };

    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());
    beforeEach(() => fake.reset());

    /** Runs create and returns its error, after checking the shared promises of every error. */
    async function createError(args: Record<string, unknown>, config: Record<string, string> = token, tok = SANDBOX_TOKEN) {
        const lc = await newCommand(env(), config);
        const err = await rejection(lc.create(args));
        assert.ok(err instanceof VercelClientCertsError, `not our error: ${err}`);
        assert.ok(!err.message.includes(tok), "the token must never appear in an error");
        assert.ok(!String(err.stack).includes(tok));
        return err;
    }

    it("two certificates with the same id from Vercel: an error naming the id, nothing stored", async function () {
        const dup = { clientCerts: [{ id: "cert_dup", origin: "https://a.example.com" }, { id: "cert_dup", origin: "https://b.example.com" }] };
        fake.failNext({ kind: "raw", status: 200, contentType: "application/json", body: JSON.stringify(dup) });
        const err = await createError({ idOrName: "web-app", teamId: "team_acme" });
        assert.match(err.message, /two client certificates with the same id "cert_dup" for project "web-app" in team "team_acme"/);
    });

    it("400: says what Vercel found invalid, and names project and team", async function () {
        fake.failNext({ kind: "status", status: 400, body: JSON.stringify({ error: { code: "bad_request", message: "Invalid request: `slug` is not valid" } }) });
        const err = await createError(WEB);
        assert.equal(err.kind, "bad-request");
        assert.match(err.message, /Invalid request: `slug` is not valid/);
        assert.match(err.message, /project "web-app" in team "team_acme"/);
        assert.equal(fake.apiRequests().length, 1, "a 400 is not retried");
    });

    it("401: an unknown token is rejected, with the config key and env var to check", async function () {
        const err = await createError(WEB, { "vercel:apiToken": "tok_wrong_123456" }, "tok_wrong_123456");
        assert.equal(err.kind, "unauthorized");
        assert.equal(err.status, 401);
        assert.match(err.message, /vercel:apiToken/);
        assert.match(err.message, /VERCEL_API_TOKEN/);
        assert.match(err.message, /project "web-app" in team "team_acme"/);
    });

    it("403: a token without access to the team is told to check team access", async function () {
        const err = await createError(WEB, { "vercel:apiToken": OUTSIDER_TOKEN }, OUTSIDER_TOKEN);
        assert.equal(err.status, 403);
        assert.match(err.message, /access to that team/);
        assert.match(err.message, /team "team_acme"/);
    });

    it("404: project X not found in team Y", async function () {
        const err = await createError({ idOrName: "no-such-app", teamId: "team_acme" });
        assert.equal(err.kind, "not-found");
        assert.match(err.message, /no project "no-such-app" in team "team_acme" \(404\)/);
    });

    it("404 without a team names the personal account and suggests a team scope", async function () {
        const err = await createError({ idOrName: "web-app" });
        assert.match(err.message, /project "web-app" in the token's personal account/);
        assert.match(err.message, /vercel:team/);
    });

    it("429 after the bounded retries (no Retry-After): what happened, and that it is safe to retry", async function () {
        for (let i = 0; i < 3; i++) fake.failNext({ kind: "status", status: 429 });
        const err = await createError(WEB);
        assert.equal(err.kind, "rate-limited");
        assert.match(err.message, /rate-limited/);
        assert.match(err.message, /3 attempt/);
        assert.match(err.message, /safe to run the command again/);
        assert.equal(fake.apiRequests().length, 3);
    });

    it("429s whose Retry-After fits in the budget use up no attempt: 3 attempts allowed, 5 rate-limit waits, then success", async function () {
        for (let i = 0; i < 5; i++) fake.failNext({ kind: "status", status: 429, headers: { "retry-after": "0" } });
        const lc = await newCommand(env(), token);
        const { outs } = await lc.create(WEB);
        assert.deepEqual(outs.certIds, ["cert_ledger001", "cert_payments01"]);
        assert.equal(fake.apiRequests().length, 6);
    });

    it("5xx after the bounded retries: status, attempts and safe to retry", async function () {
        for (let i = 0; i < 3; i++) fake.failNext({ kind: "status", status: 503 });
        const err = await createError(WEB);
        assert.equal(err.kind, "server-error");
        assert.match(err.message, /answered 503/);
        assert.match(err.message, /safe to run the command again/);
    });

    it("429 then 500 then success: retried transparently", async function () {
        fake.failNext({ kind: "status", status: 429, headers: { "retry-after": "0" } }, { kind: "status", status: 500 });
        const lc = await newCommand(env(), token);
        const { outs } = await lc.create(WEB);
        assert.equal(outs.certIds.length, 2);
        assert.equal(fake.apiRequests().length, 3);
    });

    it("honours Retry-After (1 s) before the next attempt", async function () {
        fake.failNext({ kind: "status", status: 429, headers: { "retry-after": "1" } });
        const lc = await newCommand(env(), token);
        await lc.create(WEB);
        const [first, second] = fake.apiRequests();
        assert.ok(first && second);
        assert.ok(second.at - first.at >= 950, `waited only ${second.at - first.at} ms`);
    });

    it("no token anywhere: says how to set one, before any request", async function () {
        const err = await createError(WEB, {});
        assert.equal(err.kind, "config");
        assert.match(err.message, /pulumi config set --secret vercel:apiToken/);
        assert.match(err.message, /VERCEL_API_TOKEN/);
        assert.match(err.message, /project "web-app" in team "team_acme"/);
        assert.equal(fake.apiRequests().length, 0);
    });

    it("a response with a missing id names the field", async function () {
        fake.failNext({ kind: "status", status: 200, body: JSON.stringify({ clientCerts: [{ origin: "https://a" }] }) });
        const err = await createError(WEB);
        assert.equal(err.kind, "invalid-response");
        assert.match(err.message, /clientCerts\[0\]\.id/);
        assert.match(err.message, /project "web-app"/);
    });

    it("an error body that echoes the token is redacted", async function () {
        fake.failNext({ kind: "status", status: 400, body: JSON.stringify({ error: { message: `bad header Bearer ${SANDBOX_TOKEN}` } }) });
        const err = await createError(WEB);
        assert.match(err.message, /Bearer \[redacted\]/);
    });

    describe("read (refresh) never loses state", function () {
        const stored = { ...WEB, clientCerts: [{ id: "c1", origin: "https://o" }], certIds: ["c1"], origins: ["https://o"] };

        it("404: returns an empty id, so the engine drops the resource", async function () {
            const lc = await newCommand(env(), token);
            const result = await lc.read("team_acme/gone", { ...stored, idOrName: "gone" });
            assert.deepEqual(result, { id: "" });
        });

        for (const status of [401, 403, 500]) {
            it(`${status}: throws, and returns no outputs in place of the stored ones`, async function () {
                for (let i = 0; i < 3; i++) fake.failNext({ kind: "status", status });
                const lc = await newCommand(env(), token);
                const err = await rejection(lc.read("team_acme/web-app", stored));
                assert.ok(err instanceof VercelClientCertsError);
            });
        }
    });

    describe("check: bad input is a check failure, and no request is sent", function () {
        const cases: [string, Record<string, unknown>, string, RegExp][] = [
            ["empty idOrName", { idOrName: "" }, "idOrName", /must not be empty/],
            ["whitespace idOrName", { idOrName: "   " }, "idOrName", /must not be empty/],
            ["both teamId and slug", { idOrName: "web-app", teamId: "team_acme", slug: "acme" }, "slug", /either teamId or slug/],
            ["teamId without team_", { idOrName: "web-app", teamId: "acme" }, "teamId", /team id such as team_/],
            ["too long", { idOrName: "x".repeat(101) }, "idOrName", /at most 100/],
            ["dot-dot", { idOrName: ".." }, "idOrName", /'\.'/],
            ["control character", { idOrName: "web\napp" }, "idOrName", /control/],
        ];
        for (const [title, news, property, reason] of cases) {
            it(title, async function () {
                const lc = await newCommand(env(), token);
                const { failures } = await lc.check({}, news);
                assert.equal(failures?.[0]?.property, property);
                assert.match(failures![0].reason, reason);
                assert.equal(fake.requests.length, 0);
            });
        }
    });
});
