/**
 * The plugin's secrets and advice (issue 23, items 1, 2, 8 and 10), in two parts:
 * - over gRPC, driving the plugin process as the engine does (what the engine would never send, and the exact
 *   wire shape of what comes back): a secret `team` in Configure (stack config or an explicit provider's), a
 *   secret `requireOrigins` entry, a `certOriginsById` key `__proto__`, and the advice of a 401 under an explicit
 *   provider and of a malformed team;
 * - through the real CLI with Pulumi's YAML host, one stack: `pulumi config set --secret vercel-client-certs:team`,
 *   `up`, then what `pulumi stack export` and `pulumi stack output --json` hold, and a set refused.
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as structPb from "google-protobuf/google/protobuf/struct_pb";
type Struct = structPb.Struct;
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
// The engine (Go) sends a map key `__proto__` as it is; this process's protobuf runtime needs the plugin's fix to
// send one too (the assertion "the wire carries the key" below checks that it does).
import "../dist/plugin/protoMapKeys";
import { requireCli } from "./support/cli";
import { expectYaml, PLUGIN_DIR, removeYamlStacks, requirePluginBuilt, runYaml, yamlProgram, yamlStack, type YamlStack } from "./support/pluginCli";

const SIG = "4dabf18193072939515e22adb298388d";
const SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SIG_VALUE, value });
const isWrapped = (v: unknown) => !!v && typeof v === "object" && (v as Record<string, unknown>)[SIG] === SIG_VALUE;
/**
 * A Struct built by the google-protobuf copy this file imports (the one protoMapKeys patched). The generated
 * struct_pb code looks its classes up at call time in a process-wide namespace (`globalThis.proto.google.protobuf`),
 * which the last copy of google-protobuf loaded in the process owns: another suite in the same mocha process that
 * loads a second copy (a packed install's @pulumi/pulumi) re-points it at classes whose maps were never patched,
 * and a `__proto__` key vanished on this side. So the namespace is pointed back at this copy first.
 */
const struct = (v: Record<string, unknown>) => {
    const ns = (globalThis as unknown as { proto?: { google?: { protobuf?: Record<string, unknown> } } }).proto?.google?.protobuf;
    if (ns) Object.assign(ns, { Struct: structPb.Struct, Value: structPb.Value, ListValue: structPb.ListValue, NullValue: structPb.NullValue });
    return structPb.Struct.fromJavaScript(v as never);
};
const TYPE = "vercel-client-certs:index:ProjectClientCerts";
const URN = `urn:pulumi:dev::p::${TYPE}::r`;
const FUNCTION = "vercel-client-certs:index:getProjectClientCerts";
const DEFAULT_PROVIDER = "urn:pulumi:dev::p::pulumi:providers:vercel-client-certs::default_0_1_0";
const EXPLICIT_PROVIDER = "urn:pulumi:dev::p::pulumi:providers:vercel-client-certs::prod";

/** The keys of a wire object whose values are wrapped as secrets, sorted. */
const wrappedKeys = (s: Struct | undefined) =>
    Object.entries((s?.toJavaScript() ?? {}) as Record<string, unknown>)
        .filter(([, v]) => isWrapped(v))
        .map(([k]) => k)
        .sort();

describe("plugin secrets and advice over gRPC (no CLI)", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    let child: ChildProcess;
    let client: ResourceProviderClient;
    let stderr = "";

    const call = <Req, Res>(method: string, req: Req): Promise<Res> =>
        new Promise((resolve, reject) =>
            (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method](req, (e, r) => (e ? reject(e) : resolve(r))),
        );
    const configure = (args: Record<string, unknown>, urn = DEFAULT_PROVIDER) =>
        call<providerPb.ConfigureRequest, providerPb.ConfigureResponse>(
            "configure",
            new providerPb.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true).setUrn(urn),
        );
    const check = (news: Record<string, unknown>) =>
        call<providerPb.CheckRequest, providerPb.CheckResponse>("check", new providerPb.CheckRequest().setUrn(URN).setNews(struct(news)).setOlds(struct({})));
    const create = (properties: Struct) =>
        call<providerPb.CreateRequest, providerPb.CreateResponse>("create", new providerPb.CreateRequest().setUrn(URN).setProperties(properties));
    const invoke = (args: Record<string, unknown>) =>
        call<providerPb.InvokeRequest, providerPb.InvokeResponse>("invoke", new providerPb.InvokeRequest().setTok(FUNCTION).setArgs(struct(args)));
    const reasons = (r: providerPb.CheckResponse | providerPb.InvokeResponse) => r.getFailuresList().map((f) => f.getReason()).join("\n");

    before(async function () {
        requirePluginBuilt();
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        child = spawn(path.join(PLUGIN_DIR, "pulumi-resource-vercel-client-certs"), [], {
            env: { ...process.env, VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: "", VERCEL_TOKEN: "" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
        const port = await new Promise<string>((resolve) => child.stdout!.once("data", (c: Buffer) => resolve(c.toString().trim())));
        client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(async function () {
        client?.close();
        child?.kill("SIGTERM");
        await fake?.stop();
    });

    for (const [label, urn] of [
        ["stack config vercel-client-certs:team set --secret", DEFAULT_PROVIDER],
        ["an explicit provider's secret team", EXPLICIT_PROVIDER],
    ] as const) {
        it(`${label}: a secret scope for the resource (opaque id, every input and output secret, [secret] in messages)`, async function () {
            await configure({ apiToken: secret(SANDBOX_TOKEN), team: secret("team_acme") }, urn);
            const checked = await check({ idOrName: "web-app" });
            assert.deepEqual(checked.getFailuresList(), []);
            const inputs = checked.getInputs()!.toJavaScript() as Record<string, unknown>;
            assert.equal(inputs.secretScope, true);
            assert.deepEqual(wrappedKeys(checked.getInputs()), ["certIdByOrigin", "certIds", "certOriginsById", "clientCerts", "idOrName", "origins", "teamId"]);
            const made = await create(checked.getInputs()!);
            assert.match(made.getId(), /^\(secret\)\/[0-9a-f-]{36}$/);
            assert.deepEqual(wrappedKeys(made.getProperties()), ["certIdByOrigin", "certIds", "certOriginsById", "clientCerts", "idOrName", "origins", "teamId"]);

            const missing = await check({ idOrName: "no-such-app-xyz" });
            assert.match(reasons(missing), /Vercel found no project \[secret\] in team \[secret\] \(404\)/);
            assert.doesNotMatch(reasons(missing), /team_acme|no-such-app-xyz/);
            const unserved = await check({ idOrName: "web-app", requireOrigins: ["https://nowhere.example.com"] });
            assert.match(reasons(unserved), /\[secret\]/);
            assert.doesNotMatch(reasons(unserved), /team_acme|web-app/);
        });

        it(`${label}: the function's result is secret and its errors say [secret]`, async function () {
            await configure({ apiToken: secret(SANDBOX_TOKEN), team: secret("team_acme") }, urn);
            const res = await invoke({ idOrName: "web-app" });
            assert.deepEqual(wrappedKeys(res.getReturn()), ["certIdByOrigin", "certIds", "certOriginsById", "clientCerts", "idOrName", "origins", "teamId"]);
            // The function's failure arrives in the protocol's form for it (InvokeResponse.failures).
            const failed = reasons(await invoke({ idOrName: "no-such-app-xyz" }));
            assert.match(failed, /project \[secret\] in team \[secret\]/);
            assert.doesNotMatch(failed, /team_acme|no-such-app-xyz/);
            // A resource or call that names its own, plain, team is no secret scope.
            const own = await check({ idOrName: "web-app", slug: "acme" });
            assert.deepEqual(wrappedKeys(own.getInputs()), []);
        });
    }

    it("a malformed secret team is [secret] in the resource's check, and quoted nowhere", async function () {
        await configure({ apiToken: secret(SANDBOX_TOKEN), team: secret("team_has spaces") });
        const bad = await check({ idOrName: "web-app" });
        assert.match(reasons(bad), /stack config vercel-client-certs:team \(\[secret\]\) starts with "team_" but is not a team id/);
        assert.doesNotMatch(reasons(bad), /has spaces/);
    });

    it("a secret requireOrigins entry goes back secret, with every output that holds it; messages say [secret]", async function () {
        await configure({ apiToken: secret(SANDBOX_TOKEN) });
        const origin = "https://payments.example.com";
        const checked = await check({ idOrName: "web-app", teamId: "team_acme", requireOrigins: [secret(origin)] });
        assert.deepEqual(checked.getFailuresList(), []);
        // The observed set holds the origin (as a value), so it is secret too; the scope is not.
        assert.deepEqual(wrappedKeys(checked.getInputs()), ["certOriginsById", "requireOrigins"]);
        const made = await create(checked.getInputs()!);
        assert.equal(made.getId(), "team_acme/web-app");
        assert.deepEqual(wrappedKeys(made.getProperties()), ["certIdByOrigin", "certOriginsById", "clientCerts", "origins", "requireOrigins"]);

        const hidden = "https://hidden-origin.example.com";
        const missing = await check({ idOrName: "web-app", teamId: "team_acme", requireOrigins: [secret(hidden), "https://ledger.example.com"] });
        assert.match(reasons(missing), /has no client certificate for \[secret\]/);
        assert.doesNotMatch(reasons(missing), /hidden-origin/);
        assert.match(reasons(missing), /project "web-app" in team "team_acme"/, "the plain scope is still named");

        const fn = await invoke({ idOrName: "web-app", teamId: "team_acme", requireOrigins: [secret(origin)] });
        assert.deepEqual(wrappedKeys(fn.getReturn()), ["certIdByOrigin", "certOriginsById", "clientCerts", "origins"]);
        const failed = reasons(await invoke({ idOrName: "web-app", teamId: "team_acme", requireOrigins: [secret(hidden)] }));
        assert.match(failed, /\[secret\]/);
        assert.doesNotMatch(failed, /hidden-origin/);
    });

    it("a certOriginsById key __proto__, in Check's inputs or in stored state, is refused with the reason, not dropped", async function () {
        await configure({ apiToken: secret(SANDBOX_TOKEN) });
        // JSON.parse makes `__proto__` an own key, and Struct.fromJavaScript (a for-in loop) sends it.
        const withProto = JSON.parse(
            '{"idOrName":"web-app","teamId":"team_acme","certOriginsById":{"__proto__":"https://x.example.com","cert_payments01":"https://payments.example.com"}}',
        );
        assert.deepEqual(Object.keys(withProto.certOriginsById), ["__proto__", "cert_payments01"]);
        const sent = struct(withProto).getFieldsMap().get("certOriginsById")!.getStructValue()!.getFieldsMap();
        assert.deepEqual(sent.getEntryList().map(([k]) => k).sort(), ["__proto__", "cert_payments01"], "the wire carries the key");
        const before = fake.apiRequests().length;
        await assert.rejects(check(withProto), (e: Error) => {
            assert.match(e.message, /certOriginsById "__proto__" is not a Vercel id/);
            assert.match(e.message, /"__proto__" cannot be a key of the live set/);
            return true;
        });
        assert.equal(fake.apiRequests().length, before, "a request was sent instead");
        const olds = { idOrName: "web-app", teamId: "team_acme", clientCerts: [], certIds: [], origins: [], certOriginsById: {} };
        await assert.rejects(
            call("diff", new providerPb.DiffRequest().setId("team_acme/web-app").setUrn(URN).setOlds(struct(olds)).setNews(struct(withProto))),
            /certOriginsById "__proto__" is not a Vercel id.*Run `pulumi refresh`/s,
        );
    });

    it("a 401 under an explicit provider names that provider's apiToken property, in a check and in a refresh", async function () {
        await configure({ apiToken: secret("revoked-token-for-explicit-0001") }, EXPLICIT_PROVIDER);
        await assert.rejects(check({ idOrName: "web-app", teamId: "team_acme" }), (e: Error) => {
            assert.match(e.message, /Vercel rejected the token \(401\)/);
            assert.match(e.message, /Check that the `apiToken` property of provider "prod" \(or VERCEL_API_TOKEN\) holds a valid Vercel token/);
            assert.doesNotMatch(e.message, /pulumi config set/);
            return true;
        });
        // A refresh (Read with stored inputs and outputs) says where a refresh takes the token from: for an
        // explicit provider, its apiToken property as stored in state, never a stack config key.
        const stored = { idOrName: "web-app", teamId: "team_acme", clientCerts: [], certIds: [], origins: [], certIdByOrigin: {}, certOriginsById: {} };
        const refresh = () =>
            call("read", new providerPb.ReadRequest().setId("team_acme/web-app").setUrn(URN).setInputs(struct({ idOrName: "web-app", teamId: "team_acme" })).setProperties(struct(stored)));
        await assert.rejects(refresh(), (e: Error) => {
            assert.match(e.message, /A refresh uses the token from the apiToken property of provider "prod" as stored in the stack's state/);
            assert.match(e.message, /a token set since with the `apiToken` property of provider "prod" is not used yet/);
            assert.doesNotMatch(e.message, /pulumi config set|vercel-client-certs:apiToken|vercel:apiToken/);
            return true;
        });
        await configure({ apiToken: secret("revoked-token-for-default-0002") });
        await assert.rejects(check({ idOrName: "web-app", teamId: "team_acme" }), /Check that `pulumi config set --secret vercel-client-certs:apiToken <token>`/);
        await assert.rejects(refresh(), /A refresh uses the token from stack config vercel-client-certs:apiToken as stored in the stack's state .*`pulumi config set --secret vercel-client-certs:apiToken <token>` is not used yet/s);
    });

    it("a malformed team says how to write one (an id or a slug), never 'set slug', and quotes no value", async function () {
        const checkConfig = (urn: string, team: string) =>
            call<providerPb.CheckRequest, providerPb.CheckResponse>("checkConfig", new providerPb.CheckRequest().setUrn(urn).setNews(struct({ team })).setOlds(struct({})));
        for (const team of ["team_has spaces", "my/team"]) {
            const stack = reasons(await checkConfig(DEFAULT_PROVIDER, team));
            assert.match(stack, /^stack config vercel-client-certs:team (starts with "team_" but is not a team id|must be a team slug)/);
            assert.match(stack, /Write the team as its id \(team_ .*\) or as its slug .*`pulumi config set vercel-client-certs:team <team id or slug>`/);
            assert.doesNotMatch(stack, /set slug|has spaces|my\/team/);
            const explicit = reasons(await checkConfig(EXPLICIT_PROVIDER, team));
            assert.match(explicit, /^the team property of provider "prod" /);
            assert.match(explicit, /set it as the `team` property of provider "prod"\.$/);
            assert.doesNotMatch(explicit, /pulumi config set|slug instead/);
        }
    });

    it("CheckConfig returns apiToken secret even when it arrived plain (a token set without --secret), the rest as it came", async function () {
        const token = "plain-set-token-0123456789";
        const checkConfig = (news: Record<string, unknown>) =>
            call<providerPb.CheckRequest, providerPb.CheckResponse>(
                "checkConfig",
                new providerPb.CheckRequest().setUrn(DEFAULT_PROVIDER).setNews(struct(news)).setOlds(struct({})),
            );
        const r = await checkConfig({ apiToken: token, team: "team_acme", version: "0.1.0" });
        assert.equal(r.getFailuresList().length, 0, reasons(r));
        assert.deepEqual(wrappedKeys(r.getInputs()), ["apiToken"]);
        assert.deepEqual(r.getInputs()!.toJavaScript(), { apiToken: secret(token), team: "team_acme", version: "0.1.0" });
        // Unknown in a preview (an explicit provider's token from another resource's output): left as it is.
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const pending = await checkConfig({ apiToken: UNKNOWN });
        assert.deepEqual(pending.getInputs()!.toJavaScript(), { apiToken: UNKNOWN });
        assert.ok(!stderr.includes(token.slice(0, 10)), "the token reached the plugin's stderr");
    });

    it("never prints anything but the port", function () {
        assert.equal(stderr, "");
    });
});

/** One stack: a secret team from config, an explicit provider with a secret team, and a secret required origin. */
const program = yamlProgram(
    "plugin-secrets",
    `resources:
  prod:
    type: pulumi:providers:vercel-client-certs
    properties:
      team:
        fn::secret: acme
  web:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: web-app
  viaProd:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: service-04
    options:
      provider: \${prod}
  pinned:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: service-01
      slug: acme
      requireOrigins:
        - fn::secret: https://upstream-1.example.com
variables:
  lookup:
    fn::invoke:
      function: vercel-client-certs:index:getProjectClientCerts
      arguments:
        idOrName: service-02
  lookupPinned:
    fn::invoke:
      function: vercel-client-certs:index:getProjectClientCerts
      arguments:
        idOrName: service-04
        slug: acme
        requireOrigins:
          - fn::secret: https://upstream-1.example.com
outputs:
  webCertIds: \${web.certIds}
  webTeam: \${web.teamId}
  viaProdCertIds: \${viaProd.certIds}
  lookupCertIds: \${lookup.certIds}
  pinnedOrigins: \${pinned.origins}
  pinnedCertIds: \${pinned.certIds}
  lookupPinnedOrigins: \${lookupPinned.origins}
  lookupPinnedCertIds: \${lookupPinned.certIds}
`,
);

describe("plugin secrets through the real CLI (YAML)", function () {
    this.timeout(240_000);
    let fake: FakeVercel;
    let stack: YamlStack;

    before(async function () {
        const cli = await requireCli(this);
        requirePluginBuilt();
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        stack = await yamlStack(cli, "secrets", program, fake.url);
        // The explicit provider takes its token from the environment (it reads no stack config).
        stack.env.VERCEL_API_TOKEN = SANDBOX_TOKEN;
        await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
        await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:team", "team_acme"]);
    });

    after(async function () {
        await fake?.stop();
        removeYamlStacks();
    });

    it("up; state holds no secret team, project or origin in clear, in ids, inputs, outputs or URNs", async function () {
        const up = await expectYaml(stack, ["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /\+ 5 created|5 created/);
        const state = (await expectYaml(stack, ["stack", "export"])).stdout;
        const resources = JSON.parse(state).deployment.resources as { urn: string; id?: string; type: string; inputs?: unknown; outputs?: unknown }[];
        const byName = (n: string) => resources.find((r) => r.urn.endsWith(`::${n}`))!;
        assert.match(byName("web").id!, /^\(secret\)\/[0-9a-f-]{36}$/);
        assert.match(byName("viaProd").id!, /^\(secret\)\/[0-9a-f-]{36}$/);
        assert.equal(byName("pinned").id, "acme/service-01");
        assert.ok(!state.includes("team_acme"), "the secret team is in clear in state");
        assert.ok(!/"acme"|\/acme|acme\//.test(JSON.stringify([byName("web"), byName("viaProd"), byName("prod")])), "the provider's secret team is in clear");
        assert.ok(!state.includes("https://upstream-1.example.com"), "the secret required origin is in clear in state");
        for (const name of ["web", "viaProd", "pinned"]) {
            for (const section of ["inputs", "outputs"] as const) {
                const values = byName(name)[section] as Record<string, unknown>;
                assert.ok(values, `${name} has no ${section}`);
            }
        }
        assert.deepEqual(Object.keys(byName("web").outputs as object).filter((k) => !JSON.stringify((byName("web").outputs as Record<string, unknown>)[k]).includes("ciphertext")), []);
        assert.ok(!state.includes(SANDBOX_TOKEN.slice(0, 12)), "the token is in state");
    });

    it("stack output --json: every output of a secret scope, or holding a secret origin, is [secret]; the rest plain", async function () {
        const outputs = JSON.parse((await expectYaml(stack, ["stack", "output", "--json"])).stdout);
        for (const key of ["webCertIds", "webTeam", "viaProdCertIds", "lookupCertIds", "pinnedOrigins", "lookupPinnedOrigins"]) {
            assert.equal(outputs[key], "[secret]", `${key} is not secret: ${JSON.stringify(outputs[key])}`);
        }
        assert.deepEqual(outputs.pinnedCertIds, ["cert_svc1_a"], "an output that holds no secret stays plain");
        // YAML makes the whole result of a call with a secret argument secret (the per-key rule is over gRPC above).
        assert.equal(outputs.lookupPinnedCertIds, "[secret]");
        const shown = JSON.parse((await expectYaml(stack, ["stack", "output", "--json", "--show-secrets"])).stdout);
        assert.equal(shown.webTeam, "team_acme");
        assert.deepEqual(shown.lookupCertIds, ["cert_svc2_a"]);
    });

    it("a token set without --secret, and an explicit provider's plain apiToken: encrypted in state, also after state that held it in clear", async function () {
        const plain = await yamlStack(
            stack.cli,
            "plain-token",
            yamlProgram(
                "plugin-plain-token",
                `resources:
  own:
    type: pulumi:providers:vercel-client-certs
    properties:
      apiToken: ${SANDBOX_TOKEN}
      team: team_acme
  web:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: web-app
      teamId: team_acme
  viaOwn:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: service-01
    options:
      provider: \${own}
outputs:
  webCertIds: \${web.certIds}
`,
            ),
            fake.url,
        );
        await expectYaml(plain, ["config", "set", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
        const up = await expectYaml(plain, ["up", "--yes", "--skip-preview"]);
        assert.ok(!(up.stdout + up.stderr).includes(SANDBOX_TOKEN.slice(0, 12)), up.stdout + up.stderr);
        const providersToken = (state: string) =>
            (JSON.parse(state).deployment.resources as { type: string; urn: string; inputs?: { apiToken?: unknown } }[])
                .filter((r) => r.type === "pulumi:providers:vercel-client-certs")
                .map((r) => [r.urn.split("::").pop(), r.inputs?.apiToken] as const);
        const assertEncrypted = (state: string) => {
            assert.ok(!state.includes(SANDBOX_TOKEN.slice(0, 12)), "a piece of the token is in state");
            const found = providersToken(state);
            assert.deepEqual(found.map(([name]) => (name?.startsWith("default") ? "default" : name)).sort(), ["default", "own"]);
            for (const [name, input] of found) assert.match(JSON.stringify(input), /"ciphertext"/, `${name}'s apiToken input is not a secret`);
        };
        const exported = (await expectYaml(plain, ["stack", "export"])).stdout;
        assertEncrypted(exported);

        // State an earlier version wrote, the token in clear in the default provider's inputs: the next up encrypts it.
        const old = JSON.parse(exported);
        for (const r of old.deployment.resources) {
            if (r.type === "pulumi:providers:vercel-client-certs" && !r.urn.endsWith("::own")) r.inputs.apiToken = SANDBOX_TOKEN;
        }
        const file = path.join(plain.dir, "old-state.json");
        fs.writeFileSync(file, JSON.stringify(old));
        await expectYaml(plain, ["stack", "import", "--file", file]);
        fs.rmSync(file);
        assert.ok((await expectYaml(plain, ["stack", "export"])).stdout.includes(SANDBOX_TOKEN), "the import did not put the token in clear");
        await expectYaml(plain, ["preview", "--expect-no-changes"]);
        await expectYaml(plain, ["up", "--yes", "--skip-preview"]);
        assertEncrypted((await expectYaml(plain, ["stack", "export"])).stdout);
    });

    it("a ProjectClientCertsSet refuses an entry that takes the secret team, naming neither team nor key value", async function () {
        const file = path.join(stack.dir, "Pulumi.yaml");
        const fleet = "  fleet:\n    type: vercel-client-certs:index:ProjectClientCertsSet\n    properties:\n      projects:\n        - idOrName: service-05\n";
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("resources:\n", `resources:\n${fleet}`));
        const r = await runYaml(stack, ["preview"]);
        const out = r.stdout + r.stderr;
        assert.notEqual(r.code, 0, out);
        assert.match(out, /projects\[0\] \(project "service-05"\) takes its team from stack config vercel-client-certs:team, which is secret/);
        assert.ok(!out.includes("team_acme"), out);
    });
});
