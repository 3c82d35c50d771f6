/**
 * Hostile text (issue 18, items 6, 8, 9 and two message items of 14): what Vercel sends, and what the user
 * types, never reaches a terminal raw, never makes a message unbounded, and no certificate id is lost as an
 * object key. Real HTTP to the fake Vercel API on 127.0.0.1 throughout; the classes the CLI shows run through the
 * real Pulumi CLI with Pulumi's own Node.js language host.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { FakeVercel, type Fault } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { readClientCerts } from "../dist/core/vercelApi";
import { MAX_LISTED_ORIGINS } from "../dist/core/limits";
import { getProjectClientCerts, ProjectClientCerts } from "../dist";
import { clientCertsMocks } from "../dist/testing/testing";
import { newCommand, rejection } from "./support/inProcess";
import { cliStack, expectExit, runPulumi, startCliSuite, type CliContext } from "./support/cli";

/**
 * What must never be in a message, written out here on purpose rather than imported: controls (C0, DEL, C1),
 * bidi embeddings, overrides, isolates and marks, zero-width characters, BOM, line separators, lone surrogates.
 */
const RAW_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const body200 = (body: unknown): Fault => ({ kind: "raw", status: 200, contentType: "application/json", body: JSON.stringify(body) });
const GOOD = { id: "cert_good01", origin: "https://good.example.com" };
const policy = { timeoutMs: 2_000, retryBudgetMs: 5_000, maxAttempts: 2 };
const settle = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();

/** `count` certificates whose origins are long and all different: a ~7 MB answer for 10 000. */
function hugeCerts(count: number, originChars = 620): { id: string; origin: string }[] {
    const labels = `${"a".repeat(60)}.`.repeat(Math.ceil(originChars / 61));
    return Array.from({ length: count }, (_, i) => {
        const host = `o${i}.${labels}`.slice(0, originChars - "https://".length - ".example.com".length).replace(/\.+$/, "");
        return { id: `cert_${String(i).padStart(5, "0")}`, origin: `https://${host}.example.com` };
    });
}

/** Asserts that `text` holds no character of {@link RAW_UNSAFE}, naming the first one found. */
function assertNoRawUnsafe(text: string, what: string): void {
    const m = RAW_UNSAFE.exec(text);
    assert.ok(!m, `${what} holds U+${m?.[0].charCodeAt(0).toString(16).padStart(4, "0")} raw at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 60))}`);
}

describe("hostile text: ids and origins from Vercel", function () {
    this.timeout(120_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());
    beforeEach(() => fake.reset());

    const read = () => readClientCerts({ scope: { idOrName: "web-app", teamId: "team_acme" }, apiUrl: fake.url, token: SANDBOX_TOKEN, policy });

    // [what, the bad certificate, the field, what the message must quote (escaped), why]
    const REFUSED: [string, { id: string; origin: string }, string, string, RegExp][] = [
        ["an id that clears the screen (ESC[2J ESC[H)", { id: "\u001b[2J\u001b[H", origin: "https://a.example.com" }, "id", '"\\u001b[2J\\u001b[H"', /control, invisible or direction-changing/],
        ["an id with an OSC window-title sequence", { id: "cert\u001b]0;pwned\u0007", origin: "https://a.example.com" }, "id", '"cert\\u001b]0;pwned\\u0007"', /control/],
        ["an id with a right-to-left override (U+202E)", { id: "cert_\u202eevil", origin: "https://a.example.com" }, "id", '"cert_\\u202eevil"', /direction-changing/],
        ["an id with a zero-width space", { id: "cert_\u200bx", origin: "https://a.example.com" }, "id", '"cert_\\u200bx"', /invisible/],
        ["an id with a C1 control (U+0085) and DEL", { id: "cert_\u0085\u007f", origin: "https://a.example.com" }, "id", '"cert_\\u0085\\u007f"', /control/],
        ["an id with a lone surrogate", { id: "cert_\ud800", origin: "https://a.example.com" }, "id", '"cert_\\ud800"', /control/],
        ["the id __proto__", { id: "__proto__", origin: "https://a.example.com" }, "id", '"__proto__"', /not a Vercel id.*"__proto__" cannot be a key/],
        ["an id with a space and a slash", { id: "cert 1/2", origin: "https://a.example.com" }, "id", '"cert 1/2"', /not a Vercel id/],
        ["an origin with an OSC colour sequence", { id: "cert_osc", origin: "https://a.example.com\u001b]10;#ff0000\u0007" }, "origin", '"https://a.example.com\\u001b]10;#ff0000\\u0007"', /control/],
        ["an origin with U+202E", { id: "cert_bidi", origin: "https://\u202emoc.elpmaxe" }, "origin", '"https://\\u202emoc.elpmaxe"', /direction-changing/],
        ["an origin with a path", { id: "cert_path", origin: "https://a.example.com/x" }, "origin", '"https://a.example.com/x"', /not an http\(s\) origin/],
        ["an origin with user info", { id: "cert_user", origin: "https://u:p@a.example.com" }, "origin", '"https://u:p@a.example.com"', /not an http\(s\) origin/],
        ["an origin with another scheme", { id: "cert_ftp", origin: "ftp://a.example.com" }, "origin", '"ftp://a.example.com"', /not an http\(s\) origin/],
        ["an origin without a scheme", { id: "cert_bare", origin: "a.example.com" }, "origin", '"a.example.com"', /not an http\(s\) origin/],
        ["an empty origin", { id: "cert_empty", origin: "" }, "origin", '""', /not an http\(s\) origin/],
        ["an origin whose non-ASCII host the URL parser refuses (a fullwidth slash)", { id: "cert_idna", origin: "https://a\uff0fb.example.com" }, "origin", '"https://a\uff0fb.example.com"', /its host is not a valid name/],
        ["an origin with a port out of range", { id: "cert_port", origin: "https://a.example.com:65536" }, "origin", '"https://a.example.com:65536"', /not an http\(s\) origin/],
    ];
    for (const [what, bad, field, quotedAs, why] of REFUSED) {
        it(`refused: ${what}; the message names the project and team and quotes it escaped`, async function () {
            fake.failNext(body200({ clientCerts: [GOOD, bad] }));
            const err = (await rejection(read())) as Error & { kind?: string };
            assert.equal(err.kind, "invalid-response");
            assert.match(err.message, /project "web-app" in team "team_acme"/);
            assert.ok(err.message.includes(`\`clientCerts[1].${field}\` ${quotedAs} `), err.message);
            assert.match(err.message, why);
            assert.match(err.message, /Nothing was stored/);
            assertNoRawUnsafe(err.message, "the message");
            assert.ok(err.message.length < 1_200, `${err.message.length} characters`);
            assert.equal(fake.apiRequests().length, 1, "not retried: the answer is wrong, not late");
        });
    }

    it("accepted: real-looking ids and origins, kept exactly as sent (trailing /, upper case, non-ASCII host, IPv6, port)", async function () {
        const fine = [
            { id: "cert_1a2B3c", origin: "https://payments.example.com" },
            { id: "cert.v2-a_b", origin: "https://payments.example.com/" },
            { id: "9cert", origin: "HTTPS://API.EXAMPLE.COM:8443" },
            { id: "cert_uni", origin: "https://ü.example.com" },
            { id: "cert_v6", origin: "http://[::1]:8080" },
        ];
        fake.failNext(body200({ clientCerts: fine }));
        const certs = await read();
        assert.deepEqual(new Set(certs.map((c) => `${c.id} ${c.origin}`)), new Set(fine.map((c) => `${c.id} ${c.origin}`)));
    });

    it("a duplicate id is still named (quoted the same way); an id with escapes never reaches any message raw", async function () {
        const id = "cert_\u202edup";
        fake.failNext(body200({ clientCerts: [{ id: "cert_a", origin: "https://a.example.com" }, { id: "cert_a", origin: "https://b.example.com" }] }));
        assert.match((await rejection(read())).message, /two client certificates with the same id "cert_a"/);
        fake.failNext(body200({ clientCerts: [{ id, origin: "https://a.example.com" }] }));
        assertNoRawUnsafe((await rejection(read())).message, "the message");
    });

    it("Vercel's own error text and content type with escapes: quoted without them", async function () {
        fake.failNext({ kind: "status", status: 400, body: JSON.stringify({ error: { code: "bad_request", message: "bad \u001b[2J\u202e request" } }), contentType: "application/json" });
        const e400 = await rejection(read());
        assert.match(e400.message, /Vercel said: "bad .*request"/);
        assertNoRawUnsafe(e400.message, "the 400 message");
        fake.failNext({ kind: "raw", status: 200, contentType: "text/html\u0085\u009b2J", body: "<p>hi</p>" });
        const ct = await rejection(read());
        assert.match(ct.message, /content-type "text\/html\\u0085\\u009b2J"/);
        assertNoRawUnsafe(ct.message, "the content-type message");
    });
});

describe("hostile text: ids that are Object.prototype names are kept, never lost", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());

    const PROTO_IDS = ["constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString"];

    it("check, create, read and diff keep every one of them; the set settles (no change on the next refresh)", async function () {
        fake.project("web-app", "team_acme").certs = PROTO_IDS.map((id, i) => ({ id, origin: `https://p${i}.example.com` }));
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const checked = await lc.check({}, { idOrName: "web-app", teamId: "team_acme", requireOrigins: ["https://p0.example.com", "https://p6.example.com"] });
        assert.equal(checked.failures, undefined, JSON.stringify(checked.failures));
        const byId = checked.inputs.certOriginsById as Record<string, string>;
        assert.deepEqual(Object.keys(byId).sort(), [...PROTO_IDS].sort());
        for (const [i, id] of PROTO_IDS.entries()) assert.ok(Object.hasOwn(byId, id) && byId[id] === `https://p${i}.example.com`, id);
        const created = await lc.create(checked.inputs);
        assert.deepEqual([...created.outs.certIds].sort(), [...PROTO_IDS].sort());
        // A program-side read hands the live set to check as an input: the same map, parsed by the input schema.
        const again = await lc.check({}, { idOrName: "web-app", teamId: "team_acme", certOriginsById: JSON.parse(JSON.stringify(byId)) });
        assert.deepEqual(again.inputs.certOriginsById, byId);
        const read = await lc.read(created.id, created.outs as never);
        assert.deepEqual(read.props?.clientCerts, created.outs.clientCerts);
        const diff = await lc.diff(created.id, read.props as never, read.inputs as never);
        assert.equal(diff.changes, false, "a refresh settles");
    });

    it("a stored or handed-in live set with a __proto__ key is refused with the reason, not silently shortened", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const live = JSON.parse('{"cert_a": "https://a.example.com", "__proto__": "https://b.example.com"}');
        assert.ok(Object.hasOwn(live, "__proto__"), "JSON.parse makes it an own key");
        const err = await rejection(lc.check({}, { idOrName: "web-app", teamId: "team_acme", certOriginsById: live }));
        assert.match(err.message, /certOriginsById "__proto__" is not a Vercel id/);
        const escaped = await rejection(lc.check({}, { idOrName: "web-app", teamId: "team_acme", certOriginsById: { "\u001b[2J": "https://a.example.com" } }));
        assert.match(escaped.message, /certOriginsById "\\u001b\[2J" has control/);
        assertNoRawUnsafe(escaped.message, "the message");
    });
});

describe("hostile text: the user's own inputs in messages", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());
    beforeEach(() => fake.reset());

    it("idOrName, slug and requireOrigins entries with escapes or bidi characters: check failures, quoted escaped, no request", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const cases: [Record<string, unknown>, string, RegExp][] = [
            [{ idOrName: "web\u202eppa" }, "idOrName", /invisible or direction-changing.*\(project "web\\u202eppa"\)/],
            [{ idOrName: "web\u001b[2J" }, "idOrName", /control characters \(project "web\\u001b\[2J"\)/],
            [{ idOrName: "web-app", slug: "ac\u2066me" }, "slug", /invisible or direction-changing/],
            [{ idOrName: "web-app", requireOrigins: ["https://a.example.com\u001b]0;pwned\u0007"] }, "requireOrigins", /requireOrigins\.0 has control/],
            [{ idOrName: "web-app", requireOrigins: ["https://\u202eevil.example.com"] }, "requireOrigins", /requireOrigins\.0 has control, invisible or direction-changing/],
        ];
        for (const [args, property, reason] of cases) {
            const { failures } = await lc.check({}, { teamId: "team_acme", ...args });
            assert.equal(failures?.[0]?.property, property, JSON.stringify(args));
            assert.match(failures![0].reason, reason);
            for (const f of failures!) assertNoRawUnsafe(f.reason, `the reason for ${JSON.stringify(args)}`);
        }
        assert.equal(fake.requests.length, 0, "no request for any of them");
    });

    it("a malformed vercel:team and a bad get() id are quoted escaped", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "ac\u001b[2Jme" });
        const { failures } = await lc.check({}, { idOrName: "web-app" });
        assert.match(failures![0].reason, /vercel:team \("ac\\u001b\[2Jme"\)/);
        assertNoRawUnsafe(failures![0].reason, "the reason");
        assert.throws(() => ProjectClientCerts.get("bad-id", "\u001b]0;x\u0007"), (e: Error) => {
            assert.match(e.message, /"\\u001b]0;x\\u0007" is not a ProjectClientCerts id/);
            assertNoRawUnsafe(e.message, "the message");
            return true;
        });
    });

    it("a scheme-less requireOrigins entry: did you mean \"https://…\"?", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const { failures } = await lc.check({}, { idOrName: "web-app", teamId: "team_acme", requireOrigins: ["https://ledger.example.com", "payments.example.com"] });
        assert.equal(failures?.[0]?.property, "requireOrigins");
        assert.equal(
            failures![0].reason,
            'requireOrigins.1 has no scheme (an origin is https://host[:port]): did you mean "https://payments.example.com"? (project "web-app")',
        );
        const path = await lc.check({}, { idOrName: "web-app", teamId: "team_acme", requireOrigins: ["https://payments.example.com/api?x=1"] });
        assert.match(path.failures![0].reason, /requireOrigins\.0 is not an http\(s\) origin: .*did you mean "https:\/\/payments\.example\.com"\?/);
        assert.equal(fake.requests.length, 0, "no request");
    });

    it("teamId and slug together: one sentence naming both", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const { failures } = await lc.check({}, { idOrName: "web-app", teamId: "team_acme", slug: "acme" });
        assert.deepEqual(failures, [
            { property: "slug", reason: 'Set either teamId or slug, not both (got teamId "team_acme" and slug "acme"). (project "web-app")' },
        ]);
        assert.equal(fake.requests.length, 0);
    });
});

describe("hostile text: origin lists in messages are bounded", function () {
    this.timeout(120_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "hostile-text", "dev", false);
    });
    after(() => fake.stop());

    /** Asserts the bounded shape of a message listing what a 10 000-certificate project has. */
    function assertBoundedList(message: string): void {
        assert.ok(message.length < 4_000, `${message.length} characters`);
        assert.match(message, /project "web-app" in team "team_acme" has no client certificate for "https:\/\/missing\.example\.com"/);
        const listed = message.match(/"https:\/\/o\d+\./g) ?? [];
        assert.equal(listed.length, MAX_LISTED_ORIGINS, "at most 20 origins are named");
        assert.match(message, new RegExp(`, … and ${10_000 - MAX_LISTED_ORIGINS} more\\)`));
        assert.match(message, /a{20,}…"/, "each long origin is cut short");
    }

    it("a ~7 MB answer and a missing requireOrigins entry: check's failure lists 20 origins, each cut, then '… and 9980 more'", async function () {
        fake.project("web-app", "team_acme").certs = hugeCerts(10_000);
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const { failures } = await lc.check({}, { idOrName: "web-app", teamId: "team_acme", requireOrigins: ["https://missing.example.com"] });
        assert.ok(fake.apiRequests()[0] && fake.apiRequests().length === 1);
        assertBoundedList(failures![0].reason);
    });

    it("the same through getProjectClientCerts, and 100 missing 2 kB entries are bounded too", async function () {
        fake.project("web-app", "team_acme").certs = hugeCerts(10_000);
        await newCommand({ VERCEL_API_URL: fake.url });
        pulumi.runtime.setAllConfig({ "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" }, ["vercel:apiToken"]);
        const err = await rejection(getProjectClientCerts({ idOrName: "web-app", requireOrigins: ["https://missing.example.com"] }));
        assertBoundedList(err.message);
        const many = Array.from({ length: 100 }, (_, i) => `https://m${i}.${"b".repeat(2_000)}.example.com`);
        const err2 = await rejection(getProjectClientCerts({ idOrName: "web-app", requireOrigins: many }));
        assert.ok(err2.message.length < 6_000, `${err2.message.length} characters`);
        assert.match(err2.message, /has no client certificate for "https:\/\/m0\.b+…", .*, … and 80 more \(requireOrigins; it has: /);
    });

    it("certIdFor for an origin a 10 000-certificate project lacks: the same bounded list", async function () {
        await pulumi.runtime.setMocks(clientCertsMocks({ "team_acme/web-app": hugeCerts(10_000) }), "hostile-text", "dev", false);
        const certs = new ProjectClientCerts("big", { idOrName: "web-app", teamId: "team_acme" });
        const err = await rejection(settle(certs.certIdFor("https://missing.example.com")));
        assertBoundedList(err.message);
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "hostile-text", "dev", false);
    });
});

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";

const config = new pulumi.Config();
const certs = new ProjectClientCerts("web", { idOrName: "web-app", requireOrigins: config.getObject<string[]>("require") });

export const certIds = certs.certIds;
`;

describe("hostile text through the real Pulumi CLI", function () {
    this.timeout(900_000);
    let fake: FakeVercel;
    let ctx: CliContext;
    const ORIGINAL = [
        { id: "cert_ledger001", origin: "https://ledger.example.com" },
        { id: "cert_payments01", origin: "https://payments.example.com" },
    ];
    const setCerts = (certs: { id: string; origin: string }[]) => (fake.project("web-app", "team_acme").certs = certs.map((c) => ({ ...c })));
    const storedIds = async () => {
        const state = JSON.parse((await expectExit(ctx, ["stack", "export"])).stdout);
        const res = state.deployment.resources.find((r: { type: string }) => r.type.endsWith("vercel:ProjectClientCerts"));
        return res.outputs.certIds as string[];
    };
    /** Everything the CLI printed, both streams, asserted free of ESC and every other unsafe character. */
    const allOutput = (r: { stdout: string; stderr: string }) => {
        const text = `${r.stdout}\n${r.stderr}`;
        assert.ok(!text.includes("\u001b"), "no ESC byte in the CLI's output");
        assertNoRawUnsafe(text.replace(/\r?\n/g, " ").replace(/\t/g, " "), "the CLI's output");
        return text;
    };

    before(async function () {
        let cli: string;
        ({ cli, fake } = await startCliSuite(this));
        ctx = await cliStack(cli, "hostile-text", { "index.ts": PROGRAM }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
        setCerts(ORIGINAL);
        await expectExit(ctx, ["up", "--yes", "--color", "never"]);
    });
    after(async () => {
        await fake?.stop();
    });

    it("preview --diff against a cert id of ESC[2J ESC[H: fails naming the project and team, no ESC byte reaches the output; refresh keeps state", async function () {
        setCerts([...ORIGINAL, { id: "\u001b[2J\u001b[Hcert_evil", origin: "https://evil.example.com" }]);
        const r = await runPulumi(ctx, ["preview", "--diff", "--color", "never"]);
        assert.notEqual(r.code, 0);
        const text = allOutput(r);
        assert.match(text, /project "web-app" in team "team_acme"/);
        assert.ok(text.includes('"\\u001b[2J\\u001b[Hcert_evil" has control, invisible or direction-changing characters'), text);
        const refresh = await runPulumi(ctx, ["refresh", "--yes", "--color", "never"]);
        assert.notEqual(refresh.code, 0);
        assert.match(allOutput(refresh), /Vercel returned a client certificate this package refuses/);
        assert.deepEqual(await storedIds(), ORIGINAL.map((c) => c.id), "prior state is kept");
    });

    it("OSC sequences and U+202E in an origin: refused the same way", async function () {
        setCerts([...ORIGINAL, { id: "cert_osc", origin: "https://a.example.com\u001b]0;pwned\u0007\u202e" }]);
        const r = await runPulumi(ctx, ["preview", "--diff", "--color", "never"]);
        assert.notEqual(r.code, 0);
        assert.ok(allOutput(r).includes('"https://a.example.com\\u001b]0;pwned\\u0007\\u202e"'));
    });

    it("a certificate id __proto__: refused, saying why, rather than silently dropped", async function () {
        setCerts([...ORIGINAL, { id: "__proto__", origin: "https://proto.example.com" }]);
        const r = await runPulumi(ctx, ["preview", "--diff", "--color", "never"]);
        assert.notEqual(r.code, 0);
        assert.match(allOutput(r), /"__proto__" is not a Vercel id: .*"__proto__" cannot be a key of the live set/);
    });

    it("ids constructor, toString and hasOwnProperty: shown by id in --diff, stored, and the stack settles", async function () {
        const proto = [
            { id: "constructor", origin: "https://c.example.com" },
            { id: "hasOwnProperty", origin: "https://h.example.com" },
            { id: "toString", origin: "https://t.example.com" },
        ];
        setCerts([...ORIGINAL, ...proto]);
        const preview = await expectExit(ctx, ["preview", "--diff", "--color", "never"]);
        const text = allOutput(preview);
        for (const c of proto) assert.match(text, new RegExp(`\\+ ${c.id}\\s*: "${c.origin.replace(/[./]/g, "\\$&")}"`));
        await expectExit(ctx, ["up", "--yes", "--color", "never"]);
        assert.deepEqual([...(await storedIds())].sort(), [...ORIGINAL, ...proto].map((c) => c.id).sort());
        await expectExit(ctx, ["refresh", "--yes", "--expect-no-changes", "--color", "never"]);
        await expectExit(ctx, ["preview", "--expect-no-changes", "--color", "never"]);
    });

    it("a ~7 MB answer and a missing requireOrigins entry: the CLI prints a bounded message, not 14 MB", async function () {
        setCerts(hugeCerts(10_000));
        await expectExit(ctx, ["config", "set", "require", JSON.stringify(["https://missing.example.com"])]);
        const r = await runPulumi(ctx, ["preview", "--color", "never"]);
        assert.notEqual(r.code, 0);
        const text = allOutput(r);
        assert.match(text, /has no client certificate for "https:\/\/missing\.example\.com"/);
        assert.match(text, /… and 9980 more/);
        assert.ok(text.length < 16_000, `the CLI printed ${text.length} characters`);
        await expectExit(ctx, ["config", "rm", "require"]);
    });
});
