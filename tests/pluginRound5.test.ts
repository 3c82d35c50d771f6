/**
 * Round 5 of the plugin's hardening (issue 23, items 3, 5, 6 and 9), over gRPC where it is about what the engine
 * would never send, and through the real CLI where it is about what the user reads:
 * - import ids are validated like the arguments before anything is requested (and a refresh of state an earlier
 *   version imported unchecked is refused in words, sending nothing);
 * - a request over the plugin's size bound is refused in words, unread, and the process goes on serving, while
 *   the largest legitimate requests fit;
 * - the plugin exits on its own within seconds once its engine (the address it was started with) is gone;
 * - a `ProjectClientCertsSet` with failing projects shows each project's error once, on its own line, and one
 *   sentence for the set: no "grpc: the client connection is closing".
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { outputsFrom, checkedInputs } from "../dist/core/certSet";
import { withSecretScope } from "../dist/core/clientCertsLifecycle";
import {
    ENGINE_CHECK_INTERVAL_MS,
    ENGINE_GONE_AFTER_FAILED_CHECKS,
    MAX_BODY_BYTES,
    MAX_CERT_ID_LENGTH,
    MAX_ORIGIN_LENGTH,
    MAX_PLUGIN_REQUEST_BYTES,
    MAX_SET_PROJECTS,
} from "../dist/core/limits";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
import { requireCli } from "./support/cli";
import { expectYaml, PLUGIN_DIR, removeYamlStacks, requirePluginBuilt, runYaml, yamlProgram, yamlStack, type YamlStack } from "./support/pluginCli";

const TYPE = "vercel-client-certs:index:ProjectClientCerts";
const URN = `urn:pulumi:dev::p::${TYPE}::r`;
const EXE = path.join(PLUGIN_DIR, "pulumi-resource-vercel-client-certs");
const struct = (v: Record<string, unknown>) => Struct.fromJavaScript(v as never);
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

/** Starts the packed plugin with `args`; resolves with the process and its port. */
async function startPlugin(env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ child: ChildProcess; port: string; exited: Promise<number | null> }> {
    const child = spawn(EXE, args, { env: { ...process.env, VERCEL_API_TOKEN: "", VERCEL_TOKEN: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const port = await new Promise<string>((resolve, reject) => {
        child.stdout!.once("data", (c: Buffer) => resolve(c.toString().trim()));
        child.once("exit", (code) => reject(new Error(`plugin exited ${code} before printing its port`)));
    });
    assert.match(port, /^\d+$/);
    return { child, port, exited };
}

/** The resident set size of process `pid`, in bytes (Linux). */
function rssOf(pid: number): number {
    const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Number(kb) * 1024;
}

describe("plugin round 5 over gRPC (no CLI)", function () {
    this.timeout(120_000);
    let fake: FakeVercel;
    let plugin: Awaited<ReturnType<typeof startPlugin>>;
    let client: ResourceProviderClient;
    let stderr = "";

    const call = <Req, Res>(method: string, req: Req): Promise<Res> =>
        new Promise((resolve, reject) =>
            (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method](req, (e, r) => (e ? reject(e) : resolve(r))),
        );
    const importRead = (id: string) => call<providerPb.ReadRequest, providerPb.ReadResponse>("read", new providerPb.ReadRequest().setId(id).setUrn(URN));
    const refreshRead = (id: string, stored: Record<string, unknown>) =>
        call<providerPb.ReadRequest, providerPb.ReadResponse>("read", new providerPb.ReadRequest().setId(id).setUrn(URN).setProperties(struct(stored)).setInputs(struct(stored)));
    const check = (news: Record<string, unknown>) =>
        call<providerPb.CheckRequest, providerPb.CheckResponse>("check", new providerPb.CheckRequest().setUrn(URN).setNews(struct(news)).setOlds(struct({})));

    before(async function () {
        requirePluginBuilt();
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        plugin = await startPlugin({ VERCEL_API_URL: fake.url });
        plugin.child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
        client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
        await call("configure", new providerPb.ConfigureRequest().setArgs(struct({ apiToken: secret(SANDBOX_TOKEN) })).setAcceptsecrets(true));
    });

    after(async function () {
        client?.close();
        plugin?.child.kill("SIGTERM");
        await fake?.stop();
    });

    describe("import ids are validated like the arguments, before any request (item 3)", function () {
        // Each id, and what its refusal must say (the id JSON-escaped, and the rule it breaks).
        const bad: [string, RegExp][] = [
            ["team_acme/..", /"team_acme\/\.\." is not a valid ProjectClientCerts id: idOrName must not be '\.' or '\.\.'/],
            ["team_acme/.", /"team_acme\/\." is not a valid ProjectClientCerts id: idOrName must not be '\.' or '\.\.'/],
            [`team_acme/${"p".repeat(300)}`, /is not a valid ProjectClientCerts id: idOrName must be at most 100 characters/],
            ["team_acme/web\u0007app", /"team_acme\/web\\u0007app" is not a valid ProjectClientCerts id: idOrName must not contain control characters/],
            ["team_acme/web\u001b[31mapp", /"team_acme\/web\\u001b\[31mapp" is not a valid ProjectClientCerts id: idOrName must not contain control characters/],
            ["\u001b]0;title\u0007/web-app", /"\\u001b\]0;title\\u0007\/web-app" is not a valid ProjectClientCerts id: slug must be a team slug/],
            ["team_acme/web\u202eapp", /"team_acme\/web\\u202eapp" is not a valid ProjectClientCerts id: idOrName must not contain invisible or direction-changing characters/],
            ["team_ac me/web-app", /"team_ac me\/web-app" is not a valid ProjectClientCerts id: teamId must be a Vercel team id/],
            ["my?team/web-app", /"my\?team\/web-app" is not a valid ProjectClientCerts id: slug must be a team slug/],
            [`${"t".repeat(101)}/web-app`, /is not a valid ProjectClientCerts id: slug must be at most 100 characters/],
            ["(personal)/ web-app", /"\(personal\)\/ web-app" is not a valid ProjectClientCerts id: idOrName must not start or end with whitespace/],
            ["team_acme/web\u200bapp", /"team_acme\/web\\u200bapp" is not a valid ProjectClientCerts id: idOrName must not contain invisible or direction-changing characters/],
        ];
        for (const [id, expected] of bad) {
            it(`refuses ${JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id)} in words, sending nothing`, async function () {
                const before = fake.requests.length;
                await assert.rejects(importRead(id), (e: grpc.ServiceError) => {
                    assert.match(e.details, expected);
                    assert.match(e.details, /^Cannot import vercel-client-certs:index:ProjectClientCerts: .*Nothing was requested\.$/);
                    assert.doesNotMatch(e.details, /[\u0000-\u001f\u007f-\u009f\u202e]/, "a raw control or bidi character reached the message");
                    return true;
                });
                assert.equal(fake.requests.length, before, "a request was sent for a bad id");
            });
        }

        it("a valid id still imports with one request", async function () {
            const before = fake.apiRequests().length;
            const read = await importRead("team_acme/web-app");
            assert.equal(read.getId(), "team_acme/web-app");
            assert.equal(fake.apiRequests().length, before + 1);
        });

        it("refresh of state an earlier version imported unchecked: refused with the way out, nothing sent", async function () {
            const before = fake.requests.length;
            const long = "p".repeat(300);
            await assert.rejects(refreshRead(`team_acme/${long}`, { idOrName: long, teamId: "team_acme", certOriginsById: {} }), (e: grpc.ServiceError) => {
                assert.match(e.details, /^Cannot refresh a ProjectClientCerts: "team_acme\/p+…" is not a valid ProjectClientCerts id: idOrName must be at most 100 characters/);
                assert.match(e.details, /Nothing was requested\. The resource's state is not valid .*pulumi state unprotect '<URN>'.*pulumi state delete '<URN>'/);
                return true;
            });
            await assert.rejects(refreshRead("team_acme/web-app", { idOrName: "web\u0007app", teamId: "team_acme" }), (e: grpc.ServiceError) => {
                assert.match(e.details, /^Cannot refresh the ProjectClientCerts with id "team_acme\/web-app": idOrName: idOrName must not contain control characters \(project "web\\u0007app"\)/);
                assert.match(e.details, /pulumi state delete '<URN>'/);
                return true;
            });
            // Valid stored arguments under a stored id that is not one this package makes (hand-edited state).
            await assert.rejects(refreshRead("team_acme/web\u001b[2Japp", { idOrName: "web-app", teamId: "team_acme" }), (e: grpc.ServiceError) => {
                assert.match(e.details, /^Cannot refresh a ProjectClientCerts: "team_acme\/web\\u001b\[2Japp" is not a valid ProjectClientCerts id: idOrName must not contain control characters/);
                assert.doesNotMatch(e.details, /\u001b/);
                return true;
            });
            assert.equal(fake.requests.length, before);
            // A good refresh still reads.
            const fresh = await refreshRead("team_acme/service-05", { idOrName: "service-05", teamId: "team_acme" });
            assert.equal(fresh.getId(), "team_acme/service-05");
            assert.equal(fake.requests.length, before + 1);
        });
    });

    describe("message size (item 6)", function () {
        it("the largest legitimate requests fit under the bound", function () {
            // Every certificate (and every set entry) below has the same encoded length, so a request's size is
            // linear in their count: measured at 20 and 40, extrapolated, plus a margin for the few bytes of
            // length prefixes that grow with the whole (building the 96 MiB request itself takes half a minute).
            const extrapolate = (bytesFor: (n: number) => number, n: number) => {
                const [a, b] = [bytesFor(20), bytesFor(40)];
                return a + ((b - a) / 20) * (n - 20) + 64;
            };
            // A project whose certificates fill the largest answer the read accepts, in a secret scope (inputs
            // carry the output lists too), as a Diff with old outputs, new inputs and old inputs.
            const per = MAX_CERT_ID_LENGTH + MAX_ORIGIN_LENGTH + 23; // {"id":"…","origin":"…"},
            const diffBytes = extrapolate((n) => {
                const certs = Array.from({ length: n }, (_, i) => ({
                    id: `cert_${i}`.padEnd(MAX_CERT_ID_LENGTH, "x"),
                    origin: `https://o${i}.example.com/`.padEnd(MAX_ORIGIN_LENGTH, "p"),
                }));
                const args = { idOrName: "p".repeat(100), teamId: `team_${"a".repeat(95)}` };
                const ins = withSecretScope(true, checkedInputs(args, certs), args, certs);
                return new providerPb.DiffRequest().setOlds(struct(outputsFrom(args, certs))).setNews(struct(ins)).setOldInputs(struct(ins)).serializeBinary().length;
            }, Math.floor(MAX_BODY_BYTES / per));
            // A set of the most projects allowed, longest names and teams, three required origins each.
            const setBytes = extrapolate((n) => {
                const projects = Array.from({ length: n }, (_, i) => ({
                    idOrName: `p${i}`.padEnd(100, "n"),
                    teamId: `team_${i}`.padEnd(100, "t"),
                    requireOrigins: [1, 2, 3].map((j) => `https://r${j}.example.com`.padEnd(100, "q")),
                }));
                return new providerPb.ConstructRequest().setInputs(struct({ projects })).serializeBinary().length;
            }, MAX_SET_PROJECTS);
            assert.ok(diffBytes > 60 * 1024 * 1024 && diffBytes < MAX_PLUGIN_REQUEST_BYTES, `largest Diff: ${diffBytes} bytes`);
            assert.ok(setBytes < MAX_PLUGIN_REQUEST_BYTES, `largest set: ${setBytes} bytes`);
            console.log(`      (largest Diff ${(diffBytes / 2 ** 20).toFixed(1)} MiB, largest set ${(setBytes / 2 ** 20).toFixed(1)} MiB, bound ${MAX_PLUGIN_REQUEST_BYTES / 2 ** 20} MiB)`);
        });

        it("an oversize Check is refused in words, unread; the process goes on serving", async function () {
            const raw = new grpc.Client(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
            const rssBefore = rssOf(plugin.child.pid!);
            const size = MAX_PLUGIN_REQUEST_BYTES + 1024 * 1024;
            const started = Date.now();
            const err = await new Promise<grpc.ServiceError | null>((resolve) =>
                raw.makeUnaryRequest("/pulumirpc.ResourceProvider/Check", (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(size, 1), (e) => resolve(e)),
            );
            const ms = Date.now() - started;
            raw.close();
            assert.ok(err, "an oversize request was accepted");
            assert.equal(err.code, grpc.status.RESOURCE_EXHAUSTED);
            assert.equal(
                err.details,
                `vercel-client-certs: the Check request (${size} bytes) is larger than the plugin accepts (${MAX_PLUGIN_REQUEST_BYTES} bytes, 128 MiB), ` +
                    "so it was refused unread. That bound is sized to the largest request the engine sends for this package: a diff of a project " +
                    "whose certificates fill Vercel's largest accepted answer, or a ProjectClientCertsSet of 10,000 projects. If it was a " +
                    "ProjectClientCertsSet, split its projects into several sets.",
            );
            const grown = rssOf(plugin.child.pid!) - rssBefore;
            assert.ok(grown < 64 * 1024 * 1024, `the refused request grew the plugin by ${grown} bytes`);
            const before = fake.apiRequests().length;
            const ok = await check({ idOrName: "web-app", teamId: "team_acme" });
            assert.deepEqual(ok.getFailuresList(), []);
            assert.ok(before <= fake.apiRequests().length);
            console.log(`      (refused in ${ms} ms; RSS grew ${(grown / 2 ** 20).toFixed(1)} MiB)`);
        });
    });

    it("nothing but the port reaches stdout or stderr", function () {
        assert.equal(stderr, "");
    });
});

describe("plugin round 5: an orphaned plugin exits (item 9)", function () {
    this.timeout(60_000);

    /** A stand-in engine: a gRPC server with `grpc.health.v1.Health/Check`, counting checks. */
    async function engine(): Promise<{ server: grpc.Server; address: string; checks: () => number }> {
        const server = new grpc.Server();
        let checks = 0;
        server.register(
            "/grpc.health.v1.Health/Check",
            (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
                checks++;
                callback(null, Buffer.from([0x08, 0x01])); // HealthCheckResponse{status: SERVING}
            },
            (b: Buffer) => b,
            (b: Buffer) => b,
            "unary",
        );
        const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
        return { server, address: `127.0.0.1:${port}`, checks: () => checks };
    }

    const bound = ENGINE_CHECK_INTERVAL_MS * (ENGINE_GONE_AFTER_FAILED_CHECKS + 1) + 2_000;

    it(`lives while its engine answers; exits within ${bound} ms once the engine is gone`, async function () {
        requirePluginBuilt();
        const eng = await engine();
        // The flags the CLI passes before the address (`-v`, `--logtostderr`, `--tracing <endpoint>`) are skipped.
        const plugin = await startPlugin({}, ["--logtostderr", "-v=9", "--tracing", "127.0.0.1:1", eng.address]);
        try {
            await new Promise((r) => setTimeout(r, ENGINE_CHECK_INTERVAL_MS * 3.5));
            assert.equal(plugin.child.exitCode, null, "the plugin exited while its engine was there");
            assert.ok(eng.checks() >= 2, `the plugin checked its engine ${eng.checks()} times`);
            const killed = Date.now();
            eng.server.forceShutdown();
            const code = await Promise.race([plugin.exited, new Promise((r) => setTimeout(() => r("still running"), bound))]);
            const ms = Date.now() - killed;
            assert.equal(code, 0, `the plugin was ${code} ${ms} ms after its engine went away`);
            console.log(`      (exited ${ms} ms after its engine went away)`);
        } finally {
            plugin.child.kill("SIGKILL");
        }
    });

    it("without an engine address (started by hand) it keeps serving", async function () {
        requirePluginBuilt();
        const plugin = await startPlugin({});
        try {
            await new Promise((r) => setTimeout(r, ENGINE_CHECK_INTERVAL_MS * 2.5));
            assert.equal(plugin.child.exitCode, null);
        } finally {
            plugin.child.kill("SIGKILL");
        }
    });
});

describe("plugin round 5 through the real CLI (items 3 and 5)", function () {
    this.timeout(240_000);
    let fake: FakeVercel;
    let stack: YamlStack;
    before(async function () {
        const cli = await requireCli(this);
        requirePluginBuilt();
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        const body =
            "resources:\n  fleet:\n    type: vercel-client-certs:index:ProjectClientCertsSet\n    properties:\n      projects:\n" +
            "        - { idOrName: service-01, teamId: team_acme }\n" +
            "        - { idOrName: no-such-project, teamId: team_acme }\n" +
            '        - { idOrName: service-02, teamId: team_acme, requireOrigins: ["https://missing.example.com"] }\n';
        stack = await yamlStack(cli, "round5", yamlProgram("plugin-round5", body), fake.url);
        await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
    });
    after(async () => {
        await fake?.stop();
        removeYamlStacks();
    });

    it("a ProjectClientCertsSet with failing projects: each error once on its own line, one sentence for the set", async function () {
        const notFound =
            'error: Vercel found no project "no-such-project" in team "team_acme" (404). Vercel said: "Project not found". Check idOrName, ' +
            "and teamId/slug or vercel-client-certs:team: a project that belongs to a team is only visible with that team's scope.";
        const noOrigin =
            'error: project "service-02" in team "team_acme" has no client certificate for "https://missing.example.com" (requireOrigins; ' +
            'it has: "https://upstream-2.example.com"). Upload one in the project\'s Vercel settings, or remove the origin from requireOrigins.';
        const setError =
            "error: vercel-client-certs:index:ProjectClientCertsSet resource 'fleet' has a problem: 2 of its 3 projects failed: " +
            '"fleet/team_acme/no-such-project", "fleet/team_acme/service-02" (each error is shown on its resource).';
        // The Diagnostics section, block by block (the CLI's order of blocks varies).
        const expected = [
            ["  pulumi:pulumi:Stack (plugin-round5-dev):", `    ${setError}`],
            ["  vercel-client-certs:index:ProjectClientCerts (fleet/team_acme/no-such-project):", `    ${notFound}`],
            ["  vercel-client-certs:index:ProjectClientCerts (fleet/team_acme/service-02):", `    ${noOrigin}`],
        ].map((b) => b.join("\n"));
        for (const args of [["preview"], ["up", "--yes", "--skip-preview"]]) {
            const r = await runYaml(stack, args);
            const printed = r.stdout + r.stderr;
            assert.equal(r.code, 1, `pulumi ${args.join(" ")}:\n${printed}`);
            assert.doesNotMatch(printed, /client connection is closing|grpc:|rpc error/, `transport noise in pulumi ${args.join(" ")}:\n${printed}`);
            const diagnostics = /\nDiagnostics:\n([\s\S]*?)\n\n(?:Resources:|Outputs:)/.exec(printed)?.[1];
            assert.ok(diagnostics, printed);
            assert.deepEqual(diagnostics.split("\n\n").sort(), expected.sort(), printed);
            // Every error line of the progress display is one of those three errors.
            const errorLines = printed.split("\n").filter((l) => /\berror: /.test(l) && !/^ {4}error: /.test(l));
            for (const line of errorLines) assert.ok([notFound, noOrigin, setError].some((e) => line.endsWith(e)), `unexpected error line: ${line}`);
        }
        // `up` created what did not fail: the set's healthy child is in state; the failed ones are not.
        const state = (await expectYaml(stack, ["stack", "export"])).stdout;
        assert.match(state, /ProjectClientCerts::fleet\/team_acme\/service-01"/);
        assert.doesNotMatch(state, /fleet\/team_acme\/(no-such-project|service-02)/);
    });

    it("pulumi import of an id with an escape sequence: refused, named escaped, nothing imported or sent", async function () {
        const before = fake.requests.length;
        const r = await runYaml(stack, ["import", TYPE, "hostile", "team_acme/web\u001b[31mapp", "--yes", "--skip-preview", "--generate-code=false"]);
        const printed = r.stdout + r.stderr;
        assert.equal(r.code, 1, printed);
        assert.doesNotMatch(printed, /\u001b/, "a raw escape reached the terminal");
        assert.match(
            printed,
            /\n {2}vercel-client-certs:index:ProjectClientCerts \(hostile\):\n {4}error: Cannot import vercel-client-certs:index:ProjectClientCerts: "team_acme\/web\\u001b\[31mapp" is not a valid ProjectClientCerts id: idOrName must not contain control characters\. Ids look like "team_abc123\/my-app", "my-team-slug\/my-app" or "\(personal\)\/my-app"\. Nothing was requested\.\n/,
        );
        assert.equal(fake.requests.length, before, "a request was sent");
        const state = (await expectYaml(stack, ["stack", "export"])).stdout;
        assert.doesNotMatch(state, /hostile/);
    });
});
