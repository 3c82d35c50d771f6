/**
 * The package as a user receives it: `npm pack`, installed into a scratch Pulumi program outside the repo, the
 * resource constructed there, and run through the host with the host's working directory in that program.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { measureFootprint } from "../scripts/footprint";
import { ProviderHost, REPO_ROOT } from "./support/providerHost";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

describe("the published package", function () {
    this.timeout(300_000);
    let scratch: string;
    let tarball: string;
    let fake: FakeVercel;

    before(async function () {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vercel-client-certs-user-"));
        // The build is fresh: `npm test` runs `npm run build` first. Skip `prepare` so packing does not rebuild.
        const out = execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], { cwd: REPO_ROOT, encoding: "utf8" });
        tarball = path.join(scratch, JSON.parse(out)[0].filename);
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(async () => {
        await fake.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("holds compiled JS, types, the bundled SDK with its license, README and LICENSE; no sources or tests", function () {
        const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, ""));
        for (const f of [
            "dist/index.js",
            "dist/index.d.ts",
            "dist/dynamic/lifecycle.js",
            "dist/dynamic/stub.js",
            "dist/core/vendor/vercelSdk.js",
            "dist/core/vendor/vercelSdk.LICENSE",
            "README.md",
            "CHANGELOG.md",
            "LICENSE",
            "package.json",
        ]) {
            assert.ok(files.includes(f), `missing ${f}`);
        }
        const unwanted = files.filter((f) => /^(tests|sandbox|provider|examples|scripts)\/|\.ts$(?<!\.d\.ts)|fixture/.test(f));
        assert.deepEqual(unwanted, []);
        const bundle = execFileSync("tar", ["-xzOf", tarball, "package/dist/core/vendor/vercelSdk.js"], { encoding: "utf8" });
        assert.match(bundle.slice(0, 400), /Bundled from @vercel\/sdk 1\.18\.5 .*Apache License, Version 2\.0/);
        assert.deepEqual([...new Set(bundle.match(/require\("[^"]+"\)/g))], ['require("zod/v3")'], "the bundle needs only zod");
    });

    it("depends on zod and undici (for proxies), takes @pulumi/pulumi as a peer, and runs no install script", function () {
        const pkg = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
        assert.deepEqual(Object.keys(pkg.dependencies).sort(), ["undici", "zod"]);
        // A peer, so the program's own copy is the one used (one runtime state): see installers.test.ts.
        assert.deepEqual(pkg.peerDependencies, { "@pulumi/pulumi": "^3.248.0" });
        assert.equal(pkg.devDependencies["@vercel/sdk"], "1.18.5", "the SDK is the pinned build-time source");
        // prepack builds before `npm pack`; it never runs when the tarball is installed.
        for (const script of ["preinstall", "install", "postinstall", "prepare"]) {
            assert.equal(pkg.scripts?.[script], undefined, `${script} would run in users' programs`);
        }
    });

    it("adds at most 5 packages and 5 MB to a program beyond @pulumi/pulumi and zod, and no command", function () {
        const fp = measureFootprint(tarball);
        console.log(`      footprint: +${fp.addedPackages.length} package(s) (${fp.addedPackages.join(", ")}), +${(fp.addedBytes / 1e6).toFixed(2)} MB`);
        assert.ok(fp.addedPackages.length <= 5, fp.addedPackages.join(", "));
        assert.ok(fp.addedBytes <= 5_000_000, `${fp.addedBytes} bytes`);
        assert.deepEqual(fp.addedBins, []);
    });

    it("the README's install wording names exactly the packages npm ls --all lists beyond @pulumi/pulumi", function () {
        // name@version of everything `npm ls --all --json` lists, walked through every level (a second version of
        // a package the SDK already has counts: it is another copy on disk).
        const listed = (dir: string): Set<string> => {
            const names = new Set<string>();
            const walk = (deps: Record<string, { version?: string; dependencies?: object }> | undefined) => {
                for (const [name, info] of Object.entries(deps ?? {})) {
                    names.add(`${name}@${info.version}`);
                    walk(info.dependencies as Record<string, { dependencies?: object }> | undefined);
                }
            };
            walk(JSON.parse(execFileSync(npm, ["ls", "--all", "--json"], { cwd: dir, encoding: "utf8" })).dependencies);
            return names;
        };
        const install = (name: string, specs: string[]) => {
            const dir = path.join(scratch, name);
            fs.mkdirSync(dir);
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }));
            execFileSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", ...specs], { cwd: dir, stdio: "pipe" });
            return dir;
        };
        const sdk = `@pulumi/pulumi@${require("@pulumi/pulumi/package.json").version}`;
        const baseline = listed(install("ls-baseline", [sdk]));
        const added = [...listed(install("ls-with-package", [sdk, tarball]))]
            .filter((n) => !baseline.has(n))
            .map((n) => n.slice(0, n.lastIndexOf("@")))
            .sort();

        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const sentence = /<!-- install: footprint -->\n([\s\S]*?)\n\n/.exec(readme)?.[1];
        assert.ok(sentence, "README.md has the `install: footprint` paragraph");
        const counted = /adds (\w+) packages/.exec(sentence)?.[1];
        const named = [...sentence.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((n) => n !== "@pulumi/pulumi" && !n.startsWith("npm "));
        assert.deepEqual(named.sort(), added, sentence);
        assert.equal(counted, ["zero", "one", "two", "three", "four", "five"][added.length], sentence);
    });

    it("installs into a scratch program, and the resource it builds runs through the host there", async function () {
        const program = path.join(scratch, "program");
        fs.mkdirSync(program);
        fs.writeFileSync(path.join(program, "package.json"), JSON.stringify({ name: "scratch-stack", private: true }));
        fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: scratch-stack\nruntime: nodejs\n");
        execFileSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: program, stdio: "pipe" });
        // The program, as a user writes it, run under mocks to capture what Pulumi would register.
        fs.writeFileSync(
            path.join(program, "capture.js"),
            `const pulumi = require("@pulumi/pulumi");
let registered;
pulumi.runtime.setMocks({ newResource: (a) => { registered = a; return { id: "i", state: a.inputs }; }, call: (a) => a.inputs }, "scratch-stack", "dev", false);
const { ProjectClientCerts } = require("pulumi-vercel-client-certs");
const certs = new ProjectClientCerts("web", { idOrName: "web-app", teamId: "team_acme" });
certs.urn.apply((urn) => process.stdout.write(JSON.stringify({ urn, inputs: registered.inputs })));
`,
        );
        const { urn, inputs } = JSON.parse(execFileSync(process.execPath, ["capture.js"], { cwd: program, encoding: "utf8" }));
        assert.ok(!String(inputs.__provider).includes(REPO_ROOT), "__provider must not point into the repo");

        const host = await ProviderHost.start({ cwd: program, env: { VERCEL_API_URL: fake.url } });
        try {
            await host.configure({ "vercel:apiToken": SANDBOX_TOKEN }, ["vercel:apiToken"]);
            const checked = await host.check(urn, {}, inputs);
            assert.deepEqual(checked.failures, []);
            const created = await host.create(urn, checked.inputs);
            assert.equal(created.id, "team_acme/web-app");
            assert.deepEqual(created.outputs.certIds, ["cert_ledger001", "cert_payments01"]);
        } finally {
            await host.stop();
        }
        assert.ok(!host.allBytes().includes(SANDBOX_TOKEN));
    });
});
