/**
 * Upgrade safety (pulumi#6490): state stores the serialized `__provider`, and refresh/destroy run that stored
 * copy. Ours is a stub that loads whatever implementation is installed when it runs, so a fix reaches old state,
 * and destroy needs no implementation at all.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { registerResource } from "./support/capture";
import { ProviderHost, REPO_ROOT } from "./support/providerHost";

/** A program directory whose node_modules has @pulumi (linked) and, optionally, a stand-in implementation. */
function programWith(implementation: string | undefined): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upgrade-program-"));
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"));
    if (implementation !== undefined) installImplementation(dir, implementation);
    return dir;
}

function installImplementation(dir: string, marker: string): void {
    const pkg = path.join(dir, "node_modules", "pulumi-vercel-client-certs");
    fs.rmSync(pkg, { recursive: true, force: true });
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "pulumi-vercel-client-certs", version: marker, exports: { "./lifecycle": "./lifecycle.js" } }));
    fs.writeFileSync(
        path.join(pkg, "lifecycle.js"),
        `exports.lifecycle = {
  configure: async () => {},
  read: async (id, props) => ({ id, props: { ...props, implementation: ${JSON.stringify(marker)} } }),
};`,
    );
}

/** The stub state written before the hand-written one carries: one closure-serialized function per method. */
const PREVIOUS_STUB = fs.readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "stub-0.2.0-pre.js"), "utf8");

describe("upgrade safety: the stored stub runs the installed implementation", function () {
    let currentStub: string;
    let urn: string;
    const dirs: string[] = [];
    before(async function () {
        ({ urn, inputs: { __provider: currentStub } } = (await registerResource("upgrade", { idOrName: "web-app" })) as never);
    });
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("__provider is a small stub that names the package, not a copy of the implementation", function () {
        // State stores it twice per resource (inputs and outputs), JSON-escaped: at most 1.5 kB for both.
        const stored = 2 * Buffer.byteLength(JSON.stringify(currentStub));
        assert.ok(stored <= 1536, `${stored} bytes per resource`);
        assert.match(currentStub, /pulumi-vercel-client-certs\/lifecycle/);
        assert.doesNotMatch(currentStub, /VercelCore|projectsGetProjectClientCerts|zod/);
    });

    for (const [which, stub] of [["current", () => currentStub], ["previous (closure-serialized)", () => PREVIOUS_STUB]] as const) {
        describe(`${which} stub`, function () {
            let providerText: string;
            before(() => {
                providerText = stub();
            });

            it("serialized once, implementation swapped: Read (refresh) runs the new one", async function () {
                const dir = programWith("1.0.0");
                dirs.push(dir);
                const stored = { idOrName: "web-app", __provider: providerText };
                const readWith = async () => {
                    const host = await ProviderHost.start({ cwd: dir });
                    try {
                        await host.configure({});
                        return (await host.read(urn, "team_acme/web-app", stored, stored)).outputs.implementation;
                    } finally {
                        await host.stop();
                    }
                };
                assert.equal(await readWith(), "1.0.0");
                installImplementation(dir, "2.0.0");
                assert.equal(await readWith(), "2.0.0");
            });

            it("package uninstalled: destroy (Configure + Delete) still succeeds; Read says how to install it", async function () {
                const dir = programWith(undefined);
                dirs.push(dir);
                const host = await ProviderHost.start({ cwd: dir });
                try {
                    await host.configure({ "vercel:apiToken": SANDBOX_TOKEN }, ["vercel:apiToken"]);
                    const props = { idOrName: "web-app", __provider: providerText };
                    await host.delete(urn, "team_acme/web-app", props);
                    await assert.rejects(host.read(urn, "team_acme/web-app", props, props), /Cannot load pulumi-vercel-client-certs\/lifecycle .*npm install pulumi-vercel-client-certs/);
                } finally {
                    await host.stop();
                }
                assert.ok(!host.allBytes().includes(SANDBOX_TOKEN));
            });
        });
    }
});

describe("one snapshot per project per command", function () {
    it("every resource for the same team and project in one host sees the same certs, from one request", async function () {
        const fake = new FakeVercel(sampleSeed());
        await fake.start();
        const { urn, inputs } = await registerResource("snap", { idOrName: "web-app", teamId: "team_acme" });
        const host = await ProviderHost.start({ cwd: REPO_ROOT, env: { VERCEL_API_URL: fake.url } });
        try {
            await host.configure({ "vercel:apiToken": SANDBOX_TOKEN }, ["vercel:apiToken"]);
            const first = await host.create(urn, (await host.check(urn, {}, inputs)).inputs);
            fake.addCert("web-app", "team_acme", { id: "cert_midway", origin: "https://midway.example.com" });
            const second = await host.create(urn, (await host.check(urn, {}, inputs)).inputs);
            assert.deepEqual(second.outputs.clientCerts, first.outputs.clientCerts);
            assert.equal(fake.apiRequests().length, 1);
        } finally {
            await host.stop();
            await fake.stop();
        }
    });
});
