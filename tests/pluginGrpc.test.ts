/**
 * The plugin process over gRPC, as the engine talks to it, without the CLI: the packed launcher
 * (dist/plugin/vercel-client-certs) against the fake API. Covers what the CLI suites show less directly: a secret
 * scope's messages say `[secret]`, messages name the plugin's config keys, import ids are parsed (and bad or
 * secret ones refused in words), Diff's detailed diff names the certificate, and no token reaches a response.
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
import { PLUGIN_DIR, requirePluginBuilt } from "./support/pluginCli";

const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
const struct = (v: Record<string, unknown>) => Struct.fromJavaScript(v as never);
const TYPE = "vercel-client-certs:index:ProjectClientCerts";
const URN = `urn:pulumi:dev::p::${TYPE}::r`;

describe("plugin over gRPC (no CLI)", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    let child: ChildProcess;
    let client: ResourceProviderClient;
    let stderr = "";

    const call = <Req, Res>(method: string, req: Req): Promise<Res> =>
        new Promise((resolve, reject) =>
            (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method](req, (e, r) => (e ? reject(e) : resolve(r))),
        );
    const configure = (args: Record<string, unknown>) =>
        call<providerPb.ConfigureRequest, providerPb.ConfigureResponse>("configure", new providerPb.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true));
    const check = (news: Record<string, unknown>) =>
        call<providerPb.CheckRequest, providerPb.CheckResponse>("check", new providerPb.CheckRequest().setUrn(URN).setNews(struct(news)).setOlds(struct({})));
    const importRead = (id: string) => call<providerPb.ReadRequest, providerPb.ReadResponse>("read", new providerPb.ReadRequest().setId(id).setUrn(URN));

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
        assert.match(port, /^\d+$/, "the first stdout line is the port");
        client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(async function () {
        client?.close();
        child?.kill("SIGTERM");
        await fake?.stop();
    });

    it("without a token: the error names the plugin's config key, not vercel:apiToken", async function () {
        await configure({});
        await assert.rejects(check({ idOrName: "web-app", teamId: "team_acme" }), (e: Error) => {
            assert.match(e.message, /pulumi config set --secret vercel-client-certs:apiToken/);
            assert.doesNotMatch(e.message, /\bvercel:apiToken/);
            return true;
        });
        assert.equal(fake.apiRequests().length, 0);
    });

    it("Configure takes the secret-wrapped token; Check reads and returns the observed set as a hidden input", async function () {
        const res = await configure({ apiToken: secret(SANDBOX_TOKEN) });
        assert.equal(res.getAcceptsecrets(), true);
        assert.equal(res.getSupportspreview(), true);
        const checked = await check({ idOrName: "web-app", teamId: "team_acme" });
        assert.deepEqual(checked.getFailuresList(), []);
        assert.deepEqual(checked.getInputs()!.toJavaScript().certOriginsById, {
            cert_ledger001: "https://ledger.example.com",
            cert_payments01: "https://payments.example.com",
        });
        assert.equal(fake.apiRequests().at(-1)!.headers.authorization, `Bearer ${SANDBOX_TOKEN}`);
    });

    it("a secret project: [secret] in the check failure, secret inputs back", async function () {
        const missing = await check({ idOrName: secret("no-such-project-xyz"), teamId: "team_acme" });
        const reason = missing.getFailuresList().map((f) => f.getReason()).join("\n");
        assert.match(reason, /\[secret\]/);
        assert.doesNotMatch(reason, /no-such-project-xyz/);
        const ok = await check({ idOrName: secret("service-02"), teamId: "team_acme", requireOrigins: ["https://nowhere.example.com"] });
        const failure = ok.getFailuresList().map((f) => f.getReason()).join("\n");
        assert.match(failure, /\[secret\] .*has no client certificate for "https:\/\/nowhere\.example\.com"|project \[secret\]/);
        assert.doesNotMatch(failure, /service-02/);
        const inputs = ok.getInputs()!.toJavaScript() as Record<string, Record<string, unknown>>;
        assert.equal(inputs.idOrName["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
        assert.equal(inputs.certOriginsById["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
    });

    it("import: a Read with only the id parses it; bad and secret ids are refused in words", async function () {
        const read = await importRead("acme/service-04");
        assert.equal(read.getId(), "acme/service-04");
        assert.deepEqual(read.getInputs()!.toJavaScript(), { idOrName: "service-04", slug: "acme", certOriginsById: { cert_svc4_a: "https://upstream-1.example.com" } });
        assert.deepEqual((read.getProperties()!.toJavaScript() as { certIds: string[] }).certIds, ["cert_svc4_a"]);
        await assert.rejects(importRead("web-app"), /is not a ProjectClientCerts id\. Ids look like "team_abc123\/my-app"/);
        await assert.rejects(importRead("(secret)/0b7e0a8e-0000-4000-8000-000000000000"), /project or team is secret/);
    });

    it("Diff names the added certificate in its detailed diff, and reads nothing", async function () {
        const before = fake.apiRequests().length;
        const olds = { idOrName: "web-app", teamId: "team_acme", clientCerts: [{ id: "cert_a", origin: "https://a" }], certIds: ["cert_a"], origins: ["https://a"], certOriginsById: { cert_a: "https://a" } };
        const news = { idOrName: "web-app", teamId: "team_acme", certOriginsById: { cert_a: "https://a", "cert.b": "https://b" } };
        const res = await call<providerPb.DiffRequest, providerPb.DiffResponse>(
            "diff",
            new providerPb.DiffRequest().setId("team_acme/web-app").setUrn(URN).setOlds(struct(olds)).setNews(struct(news)),
        );
        assert.equal(res.getChanges(), providerPb.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual([...res.getDetaileddiffMap().keys()], ['certOriginsById["cert.b"]']);
        const d = res.getDetaileddiffMap().get('certOriginsById["cert.b"]')!;
        assert.equal(d.getKind(), providerPb.PropertyDiff.Kind.ADD);
        assert.equal(d.getInputdiff(), true);
        assert.equal(fake.apiRequests().length, before);
    });

    it("certIdByOrigin: Create's outputs and getProjectClientCerts' result, one rule (a rotation: the smallest id)", async function () {
        // service-05 is read for the first time here, so the plugin's snapshot holds the rotation.
        fake.addCert("service-05", "team_acme", { id: "cert_svc5_0new", origin: "https://upstream-2.example.com" });
        const checked = await check({ idOrName: "service-05", teamId: "team_acme" });
        const created = await call<providerPb.CreateRequest, providerPb.CreateResponse>(
            "create",
            new providerPb.CreateRequest().setUrn(URN).setProperties(checked.getInputs()!),
        );
        const expected = { "https://upstream-2.example.com": "cert_svc5_0new" };
        const outs = created.getProperties()!.toJavaScript() as { certIdByOrigin: unknown; certIds: string[] };
        assert.deepEqual(outs.certIdByOrigin, expected);
        assert.deepEqual(outs.certIds, ["cert_svc5_0new", "cert_svc5_a"]);
        const invoked = await call<providerPb.InvokeRequest, providerPb.InvokeResponse>(
            "invoke",
            new providerPb.InvokeRequest().setTok("vercel-client-certs:index:getProjectClientCerts").setArgs(struct({ idOrName: "service-05", teamId: "team_acme" })),
        );
        assert.deepEqual((invoked.getReturn()!.toJavaScript() as { certIdByOrigin: unknown }).certIdByOrigin, expected);
    });

    it("never prints anything but the port, and no token fragment reaches stderr", function () {
        assert.equal(stderr, "");
    });
});
