/**
 * The data-source functions, run in the program process under Pulumi's mocks, against the fake API.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { getProjectClientCerts, getProjectClientCertsOutput } from "../dist";
import { clearSnapshots, snapshotStats } from "../dist/core/snapshots";
import { newCommand, rejection } from "./support/inProcess";

const outputValue = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("getProjectClientCerts / getProjectClientCertsOutput", function () {
    let fake: FakeVercel;
    before(async function () {
        fake = new FakeVercel(sampleSeed(), { shuffle: true });
        await fake.start();
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "fn-test", "dev", false);
    });
    after(() => fake.stop());
    beforeEach(async function () {
        fake.reset();
        await newCommand({ VERCEL_API_URL: fake.url });
        pulumi.runtime.setAllConfig({ "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" }, ["vercel:apiToken"]);
    });

    it("returns the project, the team used and sorted certs; the token (read as a secret) is in no output", async function () {
        const result = await getProjectClientCerts({ idOrName: "web-app" });
        assert.deepEqual(result, {
            idOrName: "web-app",
            teamId: "team_acme",
            clientCerts: [
                { id: "cert_ledger001", origin: "https://ledger.example.com" },
                { id: "cert_payments01", origin: "https://payments.example.com" },
            ],
            certIds: ["cert_ledger001", "cert_payments01"],
            origins: ["https://ledger.example.com", "https://payments.example.com"],
            certOriginsById: { cert_ledger001: "https://ledger.example.com", cert_payments01: "https://payments.example.com" },
            certIdByOrigin: { "https://ledger.example.com": "cert_ledger001", "https://payments.example.com": "cert_payments01" },
        });
        assert.ok(!JSON.stringify(result).includes(SANDBOX_TOKEN));
        assert.equal(fake.apiRequests()[0].headers.authorization, `Bearer ${SANDBOX_TOKEN}`);
    });

    it("certIdByOrigin during a rotation (two certificates for one origin): the smallest id, whatever order the API lists them in", async function () {
        // The fake reorders every answer (shuffle), so each command below is served another order.
        fake.addCert("web-app", "team_acme", { id: "cert_payments02", origin: "https://payments.example.com" });
        fake.addCert("web-app", "team_acme", { id: "cert_payments00", origin: "https://payments.example.com" });
        const seen = new Set<string>();
        try {
            for (let i = 0; i < 4; i++) {
                await newCommand({ VERCEL_API_URL: fake.url });
                const r = await outputValue(getProjectClientCertsOutput({ idOrName: "web-app" }));
                assert.deepEqual(r.certIdByOrigin, { "https://ledger.example.com": "cert_ledger001", "https://payments.example.com": "cert_payments00" });
                assert.deepEqual(r.certIds, ["cert_ledger001", "cert_payments00", "cert_payments01", "cert_payments02"]);
                seen.add(JSON.stringify(fake.lastServedIds()));
            }
        } finally {
            for (const id of ["cert_payments00", "cert_payments02"]) fake.removeCert("web-app", "team_acme", id);
        }
        assert.ok(seen.size > 1, "the fake served one order only: the test would not see an order dependence");
    });

    it("certIdByOrigin keys origins exactly as Vercel wrote them (case, trailing slash, IPv6, non-ASCII), as own properties", async function () {
        const odd = ["HTTPS://Pay.Example.COM/", "http://[::1]:8443", "https://ü.example.com", "https://pay.example.com"];
        odd.forEach((origin, i) => fake.addCert("service-06", "team_acme", { id: `cert_odd${i}`, origin }));
        try {
            const r = await getProjectClientCerts({ idOrName: "service-06" });
            for (const [i, origin] of odd.entries()) assert.equal(r.certIdByOrigin[origin], `cert_odd${i}`, origin);
            assert.equal(Object.keys(r.certIdByOrigin).length, odd.length + 1, "one key per distinct origin, as written");
            for (const key of ["__proto__", "constructor", "toString"]) assert.equal(Object.hasOwn(r.certIdByOrigin, key), false, key);
        } finally {
            for (const i of odd.keys()) fake.removeCert("service-06", "team_acme", `cert_odd${i}`);
        }
    });

    it("the Output form takes Inputs", async function () {
        const result = await outputValue(getProjectClientCertsOutput({ idOrName: pulumi.output("web-app"), slug: "acme" }));
        assert.equal(result.slug, "acme");
        assert.deepEqual(result.certIds, ["cert_ledger001", "cert_payments01"]);
    });

    it("dedupe: 50 concurrent and repeated calls over 5 projects make 5 requests", async function () {
        const projects = ["service-00", "service-01", "service-02", "service-03", "service-04"];
        const calls = Array.from({ length: 50 }, (_, i) => getProjectClientCerts({ idOrName: projects[i % 5] }));
        const results = await Promise.all(calls);
        assert.equal(results.length, 50);
        assert.equal(fake.apiRequests().length, 5);
        await getProjectClientCerts({ idOrName: "service-00" });
        assert.equal(fake.apiRequests().length, 5, "a later repeated call is served from the snapshot too");
        assert.deepEqual(snapshotStats, { requests: 5, shared: 46 });
    });

    it("requireOrigins: a missing origin is an error naming it and the project", async function () {
        const err = await rejection(getProjectClientCerts({ idOrName: "web-app", requireOrigins: ["https://payments.example.com", "https://nope.example.com"] }));
        const [missing, has] = err.message.split("(requireOrigins");
        assert.match(missing, /"https:\/\/nope\.example\.com"/);
        assert.doesNotMatch(missing, /payments/);
        assert.match(has, /it has: "https:\/\/ledger\.example\.com", "https:\/\/payments\.example\.com"/, "lists the origins it has");
        assert.match(err.message, /project "web-app" in team "team_acme"/);
    });

    it("bad arguments fail before any request", async function () {
        const err = await rejection(getProjectClientCerts({ idOrName: " " }));
        assert.match(err.message, /idOrName must not be empty/);
        assert.equal(fake.requests.length, 0);
    });

    it("a failed read is not cached: the next call tries again", async function () {
        fake.failNext({ kind: "status", status: 404, body: "{}" });
        await rejection(getProjectClientCerts({ idOrName: "web-app" }));
        const ok = await getProjectClientCerts({ idOrName: "web-app" });
        assert.equal(ok.certIds.length, 2);
        clearSnapshots();
    });

    describe("secret scopes are never quoted in errors", function () {
        /** The rejection of an Output (the runtime's own promise of its value). */
        const outputRejection = (o: pulumi.Output<unknown>) => rejection((o as unknown as { promise(): Promise<unknown> }).promise());
        const NAME = "covert-project-name";

        it("Output form, secret idOrName: the 404 says [secret] for project and team", async function () {
            const err = await outputRejection(getProjectClientCertsOutput({ idOrName: pulumi.secret(NAME), teamId: "team_acme" }));
            assert.match(err.message, /Vercel found no project \[secret\] in team \[secret\] \(404\)/);
            assert.ok(!err.message.includes(NAME) && !err.message.includes("team_acme"), err.message);
            assert.equal(fake.apiRequests().length, 1, "a real request was made");
        });

        it("Output form, secret teamId: a missing required origin says [secret]", async function () {
            const err = await outputRejection(
                getProjectClientCertsOutput({ idOrName: "web-app", teamId: pulumi.secret("team_acme"), requireOrigins: ["https://nope.example.com"] }),
            );
            assert.match(err.message, /"https:\/\/nope\.example\.com"/);
            assert.match(err.message, /project \[secret\] in team \[secret\]/);
            assert.ok(!err.message.includes("web-app") && !err.message.includes("team_acme"), err.message);
        });

        it("Output form, secret slug: bad arguments say [secret] too", async function () {
            const err = await outputRejection(getProjectClientCertsOutput({ idOrName: pulumi.secret(` ${NAME}`), slug: "acme" }));
            assert.match(err.message, /getProjectClientCerts\(\[secret\]\): idOrName must not start or end with whitespace/);
            assert.ok(!err.message.includes(NAME), err.message);
            assert.equal(fake.requests.length, 0);
        });

        it("Promise form: a team from a secret vercel:team is hidden, and the Output form's result is secret", async function () {
            pulumi.runtime.setAllConfig({ "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" }, ["vercel:apiToken", "vercel:team"]);
            const err = await rejection(getProjectClientCerts({ idOrName: "no-such-app" }));
            assert.match(err.message, /Vercel found no project "no-such-app" in team \[secret\] \(404\)/);
            assert.ok(!err.message.includes("team_acme"), err.message);
            const out = getProjectClientCertsOutput({ idOrName: "web-app" });
            assert.equal(await pulumi.isSecret(out), true);
            assert.deepEqual((await outputValue(out)).certIds, ["cert_ledger001", "cert_payments01"]);
        });

        it("Promise form: a malformed secret vercel:team is not quoted", async function () {
            pulumi.runtime.setAllConfig({ "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_has spaces" }, ["vercel:apiToken", "vercel:team"]);
            const err = await rejection(getProjectClientCerts({ idOrName: "web-app" }));
            assert.match(err.message, /stack config vercel:team \(\[secret\]\)/);
            assert.ok(!err.message.includes("has spaces"), err.message);
        });

        it("a later read that meets the dead end a secret read ended on does not quote the secret project", async function () {
            pulumi.runtime.setAllConfig({ "vercel:apiToken": "revoked-token-111111111111", "vercel:team": "team_acme" }, ["vercel:apiToken"]);
            const first = await outputRejection(getProjectClientCertsOutput({ idOrName: pulumi.secret(NAME) }));
            assert.match(first.message, /rejected the token \(401\) reading client certificates of project \[secret\]/);
            const later = await rejection(getProjectClientCerts({ idOrName: "web-app" }));
            assert.match(later.message, /^Not sent for project "web-app" in team "team_acme": .*rejected the token \(401\) reading client certificates of another project\./);
            assert.ok(!later.message.includes(NAME), later.message);
            assert.equal(fake.apiRequests().length, 2, "the 401 and its confirmation; nothing for the later read");
        });

        it("plain arguments and a plain vercel:team are still named", async function () {
            const err = await rejection(getProjectClientCerts({ idOrName: "no-such-app" }));
            assert.match(err.message, /project "no-such-app" in team "team_acme"/);
            assert.equal(await pulumi.isSecret(getProjectClientCertsOutput({ idOrName: "web-app" })), false);
        });
    });
});
