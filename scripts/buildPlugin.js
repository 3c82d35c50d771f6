/**
 * `npm run plugin`: packs the provider plugin, after `npm run build` compiled dist/plugin/ and dist/core/.
 *
 * Writes dist/plugin/vercel-client-certs/ (the plugin directory: `plugin.js`, one esbuild bundle of
 * dist/plugin/main.js with the schema and everything it imports inlined; the `pulumi-resource-vercel-client-certs`
 * sh launcher of scripts/launchers.js, which runs it with the `node` on PATH; this package's LICENSE and the license of every bundled
 * package under licenses/) and dist/plugin/pulumi-resource-vercel-client-certs-v<version>-linux-amd64.tar.gz,
 * the same files, named as Pulumi names release assets. The bundle is plain JavaScript, so the same archive works
 * on any OS/arch with Node >= 20 and `sh`; only the name says linux-amd64. `npm run release` (scripts/release.ts)
 * makes the six release archives from this folder, each with its platform's launchers.
 *
 * Why a bundle plus launcher rather than a Node single executable: 234 kB instead of ~100 MB per OS/arch, and
 * nothing to sign; the cost is Node >= 20 on PATH (docs/plugin.md, docs/performance.md).
 */
"use strict";
const esbuild = require("esbuild");
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { writeLaunchers } = require("./launchers");

const root = path.resolve(__dirname, "..");
const version = require(path.join(root, "package.json")).version;
const outRoot = path.join(root, "dist", "plugin");
const dir = path.join(outRoot, "vercel-client-certs");
const archive = path.join(outRoot, `pulumi-resource-vercel-client-certs-v${version}-linux-amd64.tar.gz`);
const entry = path.join(outRoot, "main.js");

if (!fs.existsSync(entry)) throw new Error(`buildPlugin: ${entry} is missing; run \`npm run build\` first`);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, "licenses"), { recursive: true });

/**
 * The bundle takes from this package's package.json only its name and version (core/vercelApi.ts and
 * plugin/schemaServing.ts require it for those), so a change to its scripts or dependencies does not change the
 * bundle, and source-plugin/'s committed copy does not go stale for it.
 */
const packageNameAndVersion = {
    name: "package.json: name and version only",
    setup(build) {
        const own = path.join(root, "package.json");
        build.onLoad({ filter: /[\\/]package\.json$/ }, (args) => {
            if (path.resolve(args.path) !== own) return undefined;
            const { name, version: v } = JSON.parse(fs.readFileSync(own, "utf8"));
            return { contents: JSON.stringify({ name, version: v }), loader: "json" };
        });
    },
};

async function main() {
    const result = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        minify: true,
        legalComments: "eof",
        metafile: true,
        banner: {
            js:
                `/*! pulumi-resource-vercel-client-certs ${version}: the vercel-client-certs provider plugin, bundled by ` +
                "scripts/buildPlugin.js. Licenses of this package and of every bundled package: see LICENSE and licenses/ beside this file. */\n" +
                // Refuse an old Node before anything else runs, in words (the engine shows the plugin's stderr).
                'if(+process.versions.node.split(".")[0]<20){process.stderr.write("pulumi-resource-vercel-client-certs needs Node.js >= 20 on PATH, found "+process.version+"\\n");process.exit(1)}',
        },
        outfile: path.join(dir, "plugin.js"),
        logLevel: "warning",
        plugins: [packageNameAndVersion],
    });
    if (result.errors.length > 0) process.exit(1);

    // The sh launcher (scripts/launchers.js): `node` from PATH, plugin.js beside its real self, through symlinks.
    writeLaunchers(dir, version, "linux", "amd64");

    // Licenses: this package's, and each bundled package's (found from the bundle's inputs).
    fs.copyFileSync(path.join(root, "LICENSE"), path.join(dir, "LICENSE"));
    const packages = new Map();
    for (const input of Object.keys(result.metafile.inputs)) {
        const abs = path.resolve(root, input);
        const m = /^(.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+))[\\/]/.exec(abs);
        if (m) packages.set(m[2].replace(/\\/g, "/"), m[1]);
    }
    packages.set("@vercel/sdk", path.dirname(require.resolve("@vercel/sdk/package.json", { paths: [root] })));
    const missing = [];
    for (const [name, pkgDir] of [...packages].sort()) {
        const file = fs.readdirSync(pkgDir).find((f) => /^(licen[cs]e|copying)(\.md|\.txt)?$/i.test(f));
        if (!file) {
            missing.push(name);
            continue;
        }
        fs.copyFileSync(path.join(pkgDir, file), path.join(dir, "licenses", `${name.replace("/", "__")}.LICENSE`));
    }
    if (missing.length) throw new Error(`buildPlugin: no license file found for bundled package(s) ${missing.join(", ")}`);

    // The archive: the directory's files at its root, as `pulumi plugin install --file` expects.
    const files = fs.readdirSync(dir).sort();
    const tar = spawnSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-czf", archive, "-C", dir, ...files], { stdio: "inherit" });
    if (tar.status !== 0) throw new Error(`buildPlugin: tar exited ${tar.status}`);
    const kb = (f) => (fs.statSync(f).size / 1024).toFixed(0);
    console.log(`plugin: ${path.relative(root, dir)}/ (plugin.js ${kb(path.join(dir, "plugin.js"))} kB, ${packages.size} bundled package licenses)`);
    console.log(`plugin: ${path.relative(root, archive)} (${kb(archive)} kB)`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
