/**
 * Issue 23 item 4: a rate limit is not a timeout, and never a dead end. Real HTTP to the fake API, the core's read
 * (both front doors use it), a tight policy so each case takes a few seconds. The CLI suites (cliRateLimit) show
 * the same through `pulumi` for the dynamic provider and the plugin.
 *
 * What held before: a 429 storm with `Retry-After` waited until the deadline (the jitter capped at it), then sent
 * an attempt with ~0 ms left, which "timed out" ("Vercel did not answer within 2 ms"), and that timeout was stored
 * as a dead end for the token: every other project of the command failed without a request.
 */
import { strict as assert } from "node:assert";
import { FakeVercel, type Fault } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { readClientCerts, retryAfter, type ReadRequest } from "../dist/core/vercelApi";
import { MIN_ATTEMPT_TIMEOUT_MS } from "../dist/core/limits";

const TEAM = { teamId: "team_acme" };
const status429 = (headers: Record<string, string>): Fault => ({
    kind: "status",
    status: 429,
    headers,
    body: JSON.stringify({ error: { code: "rate_limited", message: "Rate limit exceeded" } }),
});
const times = (n: number, f: Fault): Fault[] => Array.from({ length: n }, () => f);
const BUDGET_ENV = "VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS";

describe("rate limits are not timeouts, and never dead ends (core, real HTTP)", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    /** One run (runOwner.ts) per test: dead ends are kept per run. */
    let run: object;
    const read = (idOrName: string, policy: ReadRequest["policy"]) =>
        readClientCerts({ scope: { idOrName, ...TEAM }, token: SANDBOX_TOKEN, apiUrl: fake.url, policy, run });
    const failure = (p: Promise<unknown>) =>
        p.then(
            () => assert.fail("the read succeeded"),
            (e: Error & { kind?: string; status?: number }) => e,
        );
    const requestsFor = (idOrName: string) => fake.apiRequests().filter((r) => r.path === `/v1/projects/${idOrName}/client-cert`);

    beforeEach(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        run = {};
    });
    afterEach(() => fake.stop());

    it("a 429 storm with Retry-After: 1 ends as rate-limited, saying how many waits and how long; no attempt starts with less than its floor; the next project is read", async () => {
        fake.failProject("service-01", ...times(50, status429({ "retry-after": "1" })));
        const policy = { timeoutMs: 2_000, retryBudgetMs: 3_500, maxAttempts: 3 };
        const started = Date.now();
        const err = await failure(read("service-01", policy));
        assert.match(
            err.message,
            new RegExp(
                '^Vercel rate-limited reading project "service-01" in team "team_acme" \\(429\\) and asked to wait 1\\.0 s more; ' +
                    "that and another attempt \\(at least 1\\.0 s\\) do not fit in what is left of the 3\\.5 s retry budget " +
                    `\\(${BUDGET_ENV}\\)\\. Waited ([12]) time\\(s\\) as asked \\(\\d\\.\\d s in all\\); gave up after \\d\\.\\d s\\. ` +
                    "Nothing was changed; it is safe to run the command again later\\.$",
            ),
        );
        assert.equal(err.kind, "rate-limited");
        assert.equal(err.status, 429);
        assert.doesNotMatch(err.message, /did not answer|timeout|timed out/i);
        // Two waits on a quiet machine (requests at 0, ~1.1 and ~2.2 s); one when requests are slow. Each wait
        // followed a request, and the message counts them right.
        const sent = requestsFor("service-01");
        assert.equal(sent.length, Number(/Waited (\d) time/.exec(err.message)?.[1]) + 1);
        for (const r of sent) {
            assert.ok(r.at - started <= policy.retryBudgetMs - MIN_ATTEMPT_TIMEOUT_MS + 50, `a request went ${r.at - started} ms into a 3.5 s budget`);
        }
        // Not a dead end: the next project of the same run is asked, and answers.
        assert.equal((await read("service-02", policy)).length, 1);
        assert.equal(requestsFor("service-02").length, 1);
    });

    it("reads waiting on the token's pause that would leave no room for an attempt end as rate-limited, and the others wait and succeed", async () => {
        fake.failProject("service-03", ...times(50, status429({ "retry-after": "1" })));
        const storm = failure(read("service-03", { timeoutMs: 2_000, retryBudgetMs: 3_500, maxAttempts: 3 }));
        // Started once the storm's first 429 has paused the token for 1–1.25 s: with 1.5 s of budget, that and a
        // 1 s floor for the attempt do not fit.
        await new Promise((r) => setTimeout(r, 300));
        const late = await failure(read("service-04", { timeoutMs: 2_000, retryBudgetMs: 1_500, maxAttempts: 3 }));
        assert.match(
            late.message,
            /^Vercel is rate-limiting this token for another 0\.\d s \(a 429 to another read\), so project "service-04" in team "team_acme" was not read; that and another attempt \(at least 1\.0 s\) do not fit in what is left of the 1\.5 s retry budget \(VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS\)\. Gave up after 0\.0 s, without waiting\. Nothing was changed; it is safe to run the command again later\.$/,
        );
        assert.equal(late.kind, "rate-limited");
        assert.equal(requestsFor("service-04").length, 0);
        // A read with room for the pause waits it out and succeeds, while the storm goes on.
        const t = Date.now();
        assert.equal((await read("service-05", { timeoutMs: 2_000, retryBudgetMs: 6_000, maxAttempts: 3 })).length, 1);
        assert.ok(Date.now() - t >= 500, "it waited for the token's pause");
        assert.match((await storm).message, /^Vercel rate-limited reading project "service-03" in team "team_acme" \(429\) and asked to wait 1\.0 s more; .* Waited 2 time\(s\) as asked/);
        // Neither ending is a dead end.
        assert.equal((await read("service-06", { timeoutMs: 2_000, retryBudgetMs: 1_500, maxAttempts: 1 })).length, 1);
    });

    it("a huge Retry-After (seconds beyond 10 digits, or a date years ahead) ends at once, in days, with one request", async () => {
        const policy = { timeoutMs: 2_000, retryBudgetMs: 60_000, maxAttempts: 3 };
        fake.failProject("service-16", status429({ "retry-after": "99999999999999999999" }));
        const t = Date.now();
        const huge = await failure(read("service-16", policy));
        assert.ok(Date.now() - t < 1_000);
        assert.match(huge.message, /\(429\) and asked to wait \d+ days more; that and another attempt/);
        fake.failProject("service-07", status429({ "retry-after": new Date(Date.now() + 400 * 86_400_000).toUTCString() }));
        assert.match((await failure(read("service-07", policy))).message, /asked to wait 400 days more/);
        assert.equal(requestsFor("service-16").length + requestsFor("service-07").length, 2);
        // Neither is a dead end.
        assert.equal((await read("service-08", policy)).length, 1);
    });

    it("a negative or garbled Retry-After is ignored (backoff, counted as attempts), never read as a date in 2001", async () => {
        const policy = { timeoutMs: 2_000, retryBudgetMs: 10_000, maxAttempts: 3 };
        fake.failProject("service-09", ...times(3, status429({ "retry-after": "-5" })));
        const err = await failure(read("service-09", policy));
        assert.match(err.message, /^Vercel rate-limited reading project "service-09" in team "team_acme" \(429\)\. Gave up after 3 attempt\(s\) in \d\.\d s: the limit is 3 attempts/);
        assert.equal(requestsFor("service-09").length, 3);
        assert.equal((await read("service-10", policy)).length, 1);
    });

    it("a timeout in a read Vercel had answered (503, then silence) is not a dead end; an attempt cut by the budget says so", async () => {
        // 503 asking for 1 s; then the attempt at ~1 s has 1.9 s of the budget left, less than its 2 s timeout.
        fake.failProject("service-11", { kind: "status", status: 503, headers: { "retry-after": "1" } }, ...times(5, { kind: "hang" }));
        const policy = { timeoutMs: 2_000, retryBudgetMs: 2_900, maxAttempts: 5 };
        const err = await failure(read("service-11", policy));
        assert.match(err.message, /^Vercel did not answer within 1[89]\d\d ms \(what was left of the 2\.9 s retry budget\) while reading project "service-11" in team "team_acme"\. Gave up after 2 attempt\(s\)/);
        assert.equal((await read("service-12", policy)).length, 1, "the next project is read");
        assert.equal(requestsFor("service-12").length, 1);
    });

    it("Retry-After and X-RateLimit-Reset forms", () => {
        const now = Date.parse("2026-12-04T12:00:00Z");
        const h = (o: Record<string, string>) => new Headers(o);
        assert.equal(retryAfter(h({ "retry-after": "2" }), now), 2_000);
        assert.equal(retryAfter(h({ "retry-after": "1.5" }), now), 1_500);
        assert.equal(retryAfter(h({ "retry-after": "1, 3" }), now), 3_000, "sent twice: the larger");
        assert.equal(retryAfter(h({ "retry-after": "Fri, 04 Dec 2026 12:00:05 GMT" }), now), 5_000);
        assert.equal(retryAfter(h({ "retry-after": "Friday, 04-Dec-26 12:00:05 GMT" }), now), 5_000);
        assert.equal(retryAfter(h({ "retry-after": "Fri Dec  4 12:00:05 2026" }), now) !== undefined, true);
        assert.equal(retryAfter(h({ "retry-after": "Thu, 03 Dec 2026 12:00:00 GMT" }), now), 0, "a date past is now");
        for (const bad of ["-5", "abc 5", "1e3", "Infinity", "0x10", "2026-12-05"]) assert.equal(retryAfter(h({ "retry-after": bad }), now), undefined, bad);
        assert.equal(retryAfter(h({ "x-ratelimit-reset": String(now / 1000 + 7) }), now), 7_000, "epoch seconds");
        assert.equal(retryAfter(h({ "x-ratelimit-reset": String(now + 7_000) }), now), 7_000, "epoch milliseconds");
        assert.equal(retryAfter(h({ "x-ratelimit-reset": "30" }), now), 30_000, "seconds from now");
        assert.equal(retryAfter(h({ "retry-after": "-5", "x-ratelimit-reset": "2" }), now), 2_000, "a bad Retry-After falls back to the reset");
        assert.equal(retryAfter(h({}), now), undefined);
    });
});
