/**
 * The release rehearsal: what `npm run release` writes into dist/release/ is exactly a release's assets, each
 * stamped with package.json's version; the launchers run the plugin the way the engine starts it (through a
 * symlink on PATH, from a folder with spaces); the Node.js SDK tarball needs no build; the wheel carries its
 * metadata; the Go SDK's tag resolves with `go list -m`; both workflows pass actionlint and the shell scripts
 * shellcheck; the schema and docs/ carry what Pulumi's registry reads. The install routes themselves (download
 * on first use, `plugin install --server`, `package add`, upgrades) are rehearsed against these same assets by their
 * own suites.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    archiveName,
    changelogVersion,
    hasUnreleasedEntries,
    launchersFor,
    mismatches,
    packageVersion,
    pep440,
    PLATFORMS,
    PYTHON_DIST,
    releaseAssetNames,
    releaseVersionPlaces,
    sourceVersionPlaces,
} from "../scripts/releaseVersion";
import { ensureRelease, launchedPluginVersion } from "./support/release";

const REPO = path.join(__dirname, "..");
const version = packageVersion();
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
const schema = JSON.parse(fs.readFileSync(path.join(REPO, "provider", "plugin", "schema.json"), "utf8"));
/** The pinned actionlint (Go module github.com/rhysd/actionlint), run from the Go module cache. */
const ACTIONLINT = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12";
/** "owner/repo" from package.json's repository URL. */
const ownerRepo = /github\.com\/([^/]+\/[^/.]+)(?:\.git)?$/.exec(pkg.repository.url)![1];

/** Runs a command to its end; fails with its output unless it exits 0. */
function mustRun(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
    const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: "utf8", timeout: 10 * 60_000 });
    assert.equal(r.status, 0, `${cmd} ${args.join(" ")} exited ${r.status}\n${r.stdout}${r.stderr}`);
    return r.stdout;
}

/** `tar -tvzf` lines of an archive: [mode, name]. */
function tarListing(archive: string): [string, string][] {
    return mustRun("tar", ["-tvzf", archive])
        .trim()
        .split("\n")
        .map((line) => {
            const cols = line.trim().split(/\s+/);
            return [cols[0], cols[cols.length - 1]];
        });
}

describe("release: npm run release and its assets", function () {
    this.timeout(15 * 60_000);
    let dir = "";
    const scratch: string[] = [];
    const tmp = (prefix: string) => {
        const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
        scratch.push(d);
        return d;
    };

    before(function () {
        dir = ensureRelease();
    });
    after(function () {
        for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
    });

    it("writes exactly a release's files, and SHA256SUMS covers every other one (sha256sum -c)", function () {
        assert.deepEqual(fs.readdirSync(dir).sort(), releaseAssetNames(version));
        assert.equal(releaseAssetNames(version).filter((n) => n.startsWith("pulumi-resource-vercel-client-certs-v")).length, 6);
        const sums = fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8").trim().split("\n");
        const expected = releaseAssetNames(version)
            .filter((n) => n !== "SHA256SUMS")
            .map((n) => `${createHash("sha256").update(fs.readFileSync(path.join(dir, n))).digest("hex")}  ${n}`);
        assert.deepEqual(sums, expected);
        mustRun("sha256sum", ["-c", "--strict", "SHA256SUMS"], { cwd: dir });
    });

    it("one version: package.json's is in the schema, every SDK's metadata, the CHANGELOG, every asset's name, banner and metadata", function () {
        assert.deepEqual(mismatches(sourceVersionPlaces()), []);
        const places = releaseVersionPlaces(dir);
        assert.deepEqual(mismatches(places), []);
        // Every launcher of every archive is among the places checked.
        assert.equal(places.filter((p) => / banner$/.test(p.place)).length, PLATFORMS.reduce((n, p) => n + launchersFor(p).length + 1, 0));
    });

    it("a place that differs is named: a schema, an SDK, a CHANGELOG heading or an asset with another version", function () {
        const copy = tmp("release-versions-");
        fs.copyFileSync(path.join(REPO, "package.json"), path.join(copy, "package.json"));
        fs.cpSync(path.join(REPO, "sdk"), path.join(copy, "sdk"), { recursive: true });
        fs.mkdirSync(path.join(copy, "provider", "plugin"), { recursive: true });
        fs.writeFileSync(path.join(copy, "provider", "plugin", "schema.json"), JSON.stringify({ ...schema, version: "9.9.9" }));
        const changelog = fs.readFileSync(path.join(REPO, "CHANGELOG.md"), "utf8");
        fs.writeFileSync(path.join(copy, "CHANGELOG.md"), changelog.replace(`\n## ${version}`, "\n## 9.9.8"));
        const setup = path.join(copy, "sdk", "python", "setup.py");
        fs.writeFileSync(setup, fs.readFileSync(setup, "utf8").replace(/^VERSION = ".*"$/m, 'VERSION = "9.9.7"'));
        fs.mkdirSync(path.join(copy, "source-plugin"));
        const sourcePkg = JSON.parse(fs.readFileSync(path.join(REPO, "source-plugin", "package.json"), "utf8"));
        fs.writeFileSync(path.join(copy, "source-plugin", "package.json"), JSON.stringify({ ...sourcePkg, version: "9.9.6" }));
        assert.deepEqual(mismatches(sourceVersionPlaces(copy)), [
            `provider/plugin/schema.json version: says 9.9.9, expected ${version}`,
            `sdk/python/setup.py VERSION (PEP 440): says 9.9.7, expected ${pep440(version)}`,
            `source-plugin/package.json version: says 9.9.6, expected ${version}`,
            `CHANGELOG.md newest version heading: says 9.9.8, expected ${version}`,
        ]);
        // A release folder with a stray file and an archive of another version.
        const rel = tmp("release-assets-");
        fs.cpSync(dir, rel, { recursive: true });
        const linux = archiveName(version, { os: "linux", arch: "amd64" });
        fs.renameSync(path.join(rel, linux), path.join(rel, linux.replace(`-v${version}-`, "-v9.9.9-")));
        const found = mismatches(releaseVersionPlaces(rel));
        assert.ok(found.some((m) => /file names: says other files: .*-v9\.9\.9-linux-amd64/.test(m)), found.join("\n"));
        assert.ok(found.some((m) => m.startsWith(`${linux}: pulumi-resource-vercel-client-certs banner: no version found`)), found.join("\n"));
    });

    it("PEP 440 forms of semver versions, and the CHANGELOG rules a tagged release follows", function () {
        assert.equal(pep440("1.2.3"), "1.2.3");
        assert.equal(pep440("1.2.3-alpha.4"), "1.2.3a4");
        assert.equal(pep440("1.2.3-beta.1"), "1.2.3b1");
        assert.equal(pep440("1.2.3-rc.2"), "1.2.3rc2");
        assert.equal(pep440("1.2.3-dev.5"), "1.2.3.dev5");
        assert.equal(pep440("1.2.3+build-7"), "1.2.3+build.7");
        assert.throws(() => pep440("1.2.3-preview.1"), /"preview.1" has no PEP 440 form/);
        assert.throws(() => pep440("1.2"), /not semver/);
        assert.equal(changelogVersion("# Changelog\n\n## Unreleased\n\n- x\n\n## 1.4.0 - 2026-12-04\n\n## 1.3.0\n"), "1.4.0");
        assert.equal(hasUnreleasedEntries("## Unreleased\n\n- x\n\n## 1.4.0\n"), true);
        assert.equal(hasUnreleasedEntries("## Unreleased\n\n## 1.4.0\n"), false);
        assert.equal(hasUnreleasedEntries("## 1.4.0\n"), false);
    });

    it("each archive: plugin.js, LICENSE, licenses/ and its platform's launchers, executable; sh for linux/darwin, .cmd and .exe for windows", function () {
        for (const p of PLATFORMS) {
            const listing = tarListing(path.join(dir, archiveName(version, p)));
            const names = listing.map(([, n]) => n);
            const top = [...new Set(names.map((n) => n.split("/")[0]))].sort();
            assert.deepEqual(top, ["LICENSE", "licenses", "plugin.js", ...launchersFor(p)].sort(), `${p.os}-${p.arch}`);
            for (const launcher of launchersFor(p)) {
                const mode = listing.find(([, n]) => n === launcher)![0];
                assert.match(mode, /^-rwxr-xr-x$/, `${p.os}-${p.arch} ${launcher} is executable`);
            }
            assert.ok(!names.includes("PulumiPlugin.yaml"), "no PulumiPlugin.yaml: an install would run npm in the plugin folder");
        }
        // The same plugin.js in every archive: one bundle for every OS and arch.
        const bundles = PLATFORMS.map((p) => mustRun("sh", ["-c", `tar -xOzf "$0" plugin.js | sha256sum`, path.join(dir, archiveName(version, p))]));
        assert.equal(new Set(bundles).size, 1);
    });

    it("the sh launcher runs the plugin through a chain of symlinks on PATH, from folders with spaces, with dash as sh", async function () {
        const root = tmp("release-sh-");
        const plugin = path.join(root, "plugins dir", "vercel client certs");
        fs.mkdirSync(plugin, { recursive: true });
        mustRun("tar", ["-xzf", path.join(dir, archiveName(version, { os: "linux", arch: "amd64" })), "-C", plugin]);
        // PATH dir "my bin" -> a relative link into "links" -> an absolute link to the launcher.
        const links = path.join(root, "links");
        const bin = path.join(root, "my bin");
        fs.mkdirSync(links);
        fs.mkdirSync(bin);
        fs.symlinkSync(path.join(plugin, "pulumi-resource-vercel-client-certs"), path.join(links, "hop"));
        fs.symlinkSync(path.join("..", "links", "hop"), path.join(bin, "pulumi-resource-vercel-client-certs"));
        const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
        // Found on PATH by name, as the engine's ambient lookup does (spawn searches PATH).
        const viaPath = await launchedPluginVersion("pulumi-resource-vercel-client-certs", ["127.0.0.1:1"], { env, cwd: root });
        assert.equal(viaPath.version, version);
        assert.doesNotMatch(viaPath.stderr, /Cannot find module/);
        // Run by a relative path from another folder, through the same links.
        const relative = await launchedPluginVersion(path.join("..", "my bin", "pulumi-resource-vercel-client-certs"), [], { env, cwd: links });
        assert.equal(relative.version, version);
        // A symlink loop ends with a message, within the bound ($0 is the loop; the launcher's text is sourced).
        fs.symlinkSync(path.join(links, "loop-b"), path.join(links, "loop-a"));
        fs.symlinkSync(path.join(links, "loop-a"), path.join(links, "loop-b"));
        const loop = spawnSync("sh", ["-c", '. "$1"', path.join(links, "loop-a"), path.join(plugin, "pulumi-resource-vercel-client-certs")], {
            encoding: "utf8",
            timeout: 30_000,
        });
        assert.equal(loop.status, 1);
        assert.match(loop.stderr, /more than 40 symlinks from .*loop-a; cannot find plugin\.js/);
        // No node on PATH (only the tools the launcher uses): said in words.
        const tools = path.join(root, "tools");
        fs.mkdirSync(tools);
        for (const tool of ["dirname", "readlink"]) fs.symlinkSync(mustRun("sh", ["-c", `command -v ${tool}`]).trim(), path.join(tools, tool));
        const noNode = spawnSync(path.join(bin, "pulumi-resource-vercel-client-certs"), [], { encoding: "utf8", env: { PATH: tools }, timeout: 30_000 });
        assert.equal(noNode.status, 1, noNode.stderr);
        assert.equal(noNode.stderr, "pulumi-resource-vercel-client-certs needs Node.js >= 20 on PATH (node was not found)\n");
    });

    it("the sh launcher is POSIX sh: shellcheck -s sh finds nothing (when shellcheck is installed)", function () {
        const launcher = mustRun("tar", ["-xOzf", path.join(dir, archiveName(version, { os: "darwin", arch: "arm64" })), "pulumi-resource-vercel-client-certs"]);
        const code = launcher.split("\n").filter((line) => !line.trimStart().startsWith("#")).join("\n");
        assert.doesNotMatch(code, /readlink -f|realpath|\[\[/, "no GNU-only or bash-only constructs (macOS has neither readlink -f nor, before 13, realpath)");
        if (spawnSync("sh", ["-c", "command -v shellcheck"]).status !== 0) {
            console.log("    (shellcheck not installed: its pass skipped; apt-get install shellcheck)");
            return;
        }
        const r = spawnSync("shellcheck", ["-s", "sh", "-"], { input: launcher, encoding: "utf8" });
        assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    it("the .cmd launcher: CRLF lines, plugin.js beside it through %~dp0 (quoted), node from PATH, its exit code", function () {
        const text = mustRun("tar", ["-xOzf", path.join(dir, archiveName(version, { os: "windows", arch: "amd64" })), "pulumi-resource-vercel-client-certs.cmd"]);
        assert.ok(text.split("\n").slice(0, -1).every((line) => line.endsWith("\r")), "every line ends in CRLF");
        assert.match(text, /^@echo off\r\n/);
        assert.match(text, /^for %%I in \(node\.exe\) do set "NODE_EXE=%%~\$PATH:I"\r$/m);
        assert.match(text, /^"%NODE_EXE%" "%~dp0plugin\.js" %\*\r$/m);
        assert.match(text, /^exit \/b %ERRORLEVEL%\r$/m);
        assert.match(text, /needs Node\.js 20 or newer on PATH/);
    });

    it("the Node.js SDK tarball: compiled JavaScript and .d.ts, no TypeScript source or build step, the schema's download URL", function () {
        const tgz = path.join(dir, `pulumi-vercel-client-certs-sdk-${version}.tgz`);
        const names = tarListing(tgz).map(([, n]) => n.replace(/^package\//, ""));
        for (const f of ["index.js", "index.d.ts", "projectClientCerts.js", "projectClientCerts.d.ts", "getProjectClientCerts.js", "config/vars.js", "types/output.d.ts", "package.json", "README.md", "LICENSE"]) {
            assert.ok(names.includes(f), `${f} in the SDK tarball`);
        }
        assert.deepEqual(names.filter((n) => n.endsWith(".ts") && !n.endsWith(".d.ts")), [], "no .ts sources");
        const sdkPkg = JSON.parse(mustRun("tar", ["-xOzf", tgz, "package/package.json"]));
        assert.equal(sdkPkg.name, "@pulumi-vercel-client-certs/sdk");
        assert.equal(sdkPkg.main, "index.js");
        assert.equal(sdkPkg.types, "index.d.ts");
        assert.equal(sdkPkg.scripts, undefined, "nothing runs on install");
        assert.deepEqual(Object.keys(sdkPkg.dependencies), ["@pulumi/pulumi"]);
        assert.deepEqual(sdkPkg.pulumi, { resource: true, name: "vercel-client-certs", version, server: schema.pluginDownloadURL });
    });

    it("the TypeScript package tarball: dist/ without the plugin and release folders, README, CHANGELOG, LICENSE", function () {
        const names = tarListing(path.join(dir, `pulumi-vercel-client-certs-${version}.tgz`)).map(([, n]) => n);
        for (const f of ["package/package.json", "package/dist/index.js", "package/dist/index.d.ts", "package/dist/dynamic/lifecycle.js", "package/README.md", "package/CHANGELOG.md", "package/LICENSE"]) {
            assert.ok(names.includes(f), `${f} in the npm tarball`);
        }
        assert.deepEqual(names.filter((n) => /^package\/dist\/(plugin|release|release-work)\//.test(n)), []);
    });

    it("the Python wheel and sdist: name, PEP 440 version, requirements, pulumi-plugin.json with the download URL", function () {
        const py = pep440(version);
        const wheel = path.join(dir, `${PYTHON_DIST}-${py}-py3-none-any.whl`);
        const metadata = mustRun("unzip", ["-p", wheel, `${PYTHON_DIST}-${py}.dist-info/METADATA`]);
        assert.match(metadata, /^Name: pulumi[-_]vercel[-_]client[-_]certs$/m);
        assert.match(metadata, new RegExp(`^Version: ${py.replace(/\./g, "\\.")}$`, "m"));
        assert.match(metadata, /^Requires-Python: >=3\.9$/m);
        assert.match(metadata, /^Requires-Dist: pulumi(?: \()?<4\.0\.0,>=3\.248\.0\)?$/m);
        assert.match(metadata, /^License: MIT$/m);
        const files = mustRun("unzip", ["-Z1", wheel]).trim().split("\n");
        for (const f of ["__init__.py", "project_client_certs.py", "project_client_certs_set.py", "get_project_client_certs.py", "provider.py", "py.typed", "pulumi-plugin.json"]) {
            assert.ok(files.includes(`${PYTHON_DIST}/${f}`), `${f} in the wheel`);
        }
        const pluginJson = JSON.parse(mustRun("unzip", ["-p", wheel, `${PYTHON_DIST}/pulumi-plugin.json`]));
        assert.deepEqual(pluginJson, { resource: true, name: "vercel-client-certs", version, server: schema.pluginDownloadURL });
        const sdist = mustRun("tar", ["-tzf", path.join(dir, `${PYTHON_DIST}-${py}.tar.gz`)]);
        assert.match(sdist, new RegExp(`^${PYTHON_DIST}-${py.replace(/\./g, "\\.")}/setup\\.py$`, "m"));
        assert.match(sdist, new RegExp(`/${PYTHON_DIST}/pulumi-plugin\\.json$`, "m"));
    });

    it("the Go SDK's release tag sdk/go/v<version>: go list -m resolves the module at that tag from a tagged clone", function () {
        const root = tmp("release-go-");
        const repo = path.join(root, "repo");
        const git = (...args: string[]) => mustRun("git", ["-c", "user.email=release@example.invalid", "-c", "user.name=release rehearsal", ...args], { cwd: repo });
        fs.mkdirSync(repo);
        fs.cpSync(path.join(REPO, "sdk"), path.join(repo, "sdk"), { recursive: true });
        git("init", "-q");
        git("add", "-A");
        git("commit", "-qm", "release rehearsal");
        git("tag", `sdk/go/v${version}`);
        // The module path the tag serves must be the Go SDK's own.
        const modulePath = /^module (\S+)$/m.exec(fs.readFileSync(path.join(REPO, "sdk", "go", "go.mod"), "utf8"))![1];
        assert.equal(modulePath, `github.com/${ownerRepo}/sdk/go`);
        // Go asks git for https://github.com/<owner>/<repo>; a private git config sends that to the local clone.
        const home = path.join(root, "home");
        fs.mkdirSync(home);
        fs.writeFileSync(
            path.join(home, ".gitconfig"),
            `[url "file://${repo}"]\n\tinsteadOf = https://github.com/${ownerRepo}\n[protocol "file"]\n\tallow = always\n`,
        );
        const program = path.join(root, "program");
        fs.mkdirSync(program);
        fs.writeFileSync(path.join(program, "go.mod"), "module rehearsal\n\ngo 1.25\n");
        const env = {
            ...process.env,
            HOME: home,
            GIT_CONFIG_GLOBAL: path.join(home, ".gitconfig"),
            GOPROXY: "direct",
            GOPRIVATE: `github.com/${ownerRepo.split("/")[0]}`,
            GOFLAGS: "-mod=mod",
            GOTOOLCHAIN: "local",
            // A private module cache: the rehearsal's version never lands in the user's.
            GOMODCACHE: path.join(root, "modcache"),
        };
        try {
            const listed = JSON.parse(mustRun("go", ["list", "-m", "-json", `${modulePath}@v${version}`], { cwd: program, env }));
            assert.equal(listed.Path, modulePath);
            assert.equal(listed.Version, `v${version}`);
            assert.equal(listed.Origin?.Ref, `refs/tags/sdk/go/v${version}`);
            assert.equal(listed.Origin?.Subdir, "sdk/go");
            // A plain tag v<x.y.z> (the GitHub release's form) does not version the Go module: only sdk/go/v<x.y.z> does.
            git("tag", "v9.9.9");
            const wrong = spawnSync("go", ["list", "-m", `${modulePath}@v9.9.9`], { cwd: program, env, encoding: "utf8", timeout: 120_000 });
            assert.notEqual(wrong.status, 0, wrong.stdout);
        } finally {
            spawnSync("go", ["clean", "-modcache"], { cwd: program, env, timeout: 120_000 });
        }
    });

    it("both workflows pass actionlint, and the release workflow does every step of docs/releasing.md", function () {
        const workflows = path.join(REPO, ".github", "workflows");
        mustRun("go", ["run", ACTIONLINT, "-no-color", path.join(workflows, "ci.yml"), path.join(workflows, "release.yml")], {
            cwd: REPO,
            env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "" },
        });
        const release = fs.readFileSync(path.join(workflows, "release.yml"), "utf8");
        assert.match(release, /tags: \["v\*\.\*\.\*"\]/);
        assert.match(release, /bash \.ci\/run/);
        assert.match(release, /npm run release -- --tag "\$TAG"/);
        assert.match(release, /gh release create "\$TAG" dist\/release\/\*/);
        assert.match(release, /npm publish "dist\/release\/pulumi-vercel-client-certs-\$\{version\}\.tgz"/);
        assert.match(release, /npm publish "dist\/release\/pulumi-vercel-client-certs-sdk-\$\{version\}\.tgz"/);
        assert.match(release, /twine upload/);
        assert.match(release, /git push origin "refs\/tags\/sdk\/go\/\$TAG"/);
        const docs = fs.readFileSync(path.join(REPO, "docs", "releasing.md"), "utf8");
        for (const secret of release.match(/secrets\.[A-Z_]+/g) ?? []) assert.ok(docs.includes(secret.slice("secrets.".length)), `docs/releasing.md names ${secret}`);
        assert.match(fs.readFileSync(path.join(workflows, "ci.yml"), "utf8"), /bash \.ci\/run/);
    });

    it("the repository's shell scripts, .ci/run (both workflows run it) and scripts/releaseCheck.sh: shellcheck finds nothing", function () {
        if (spawnSync("sh", ["-c", "command -v shellcheck"]).status !== 0) {
            if (process.env.CI === "true") assert.fail("CI=true: .ci/run installs shellcheck (apt) before the tests");
            console.log("    (shellcheck not installed: this check skipped; apt-get install shellcheck)");
            return this.skip();
        }
        const scripts = [path.join(REPO, ".ci", "run"), path.join(REPO, "scripts", "releaseCheck.sh")];
        const r = spawnSync("shellcheck", scripts, { encoding: "utf8", timeout: 60_000 });
        assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    it("registry-ready: the schema's publisher, repository, homepage, license, keywords and download URL; docs/ with front matter", function () {
        assert.equal(schema.name, pkg.name.replace(/^pulumi-/, ""), "the name is the repository's minus pulumi-");
        assert.equal(schema.publisher, ownerRepo.split("/")[0]);
        assert.equal(schema.repository, `https://github.com/${ownerRepo}`);
        assert.equal(schema.homepage, `https://github.com/${ownerRepo}`);
        assert.equal(schema.license, pkg.license);
        assert.equal(schema.pluginDownloadURL, `github://api.github.com/${ownerRepo}`);
        assert.ok(schema.displayName && schema.description);
        assert.ok(schema.keywords.some((k: string) => k.startsWith("category/")) && schema.keywords.includes("kind/native"));
        for (const doc of ["_index.md", "installation-configuration.md"]) {
            const text = fs.readFileSync(path.join(REPO, "docs", doc), "utf8");
            const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
            assert.ok(front, `docs/${doc} starts with --- front matter`);
            assert.match(front![1], /^title: \S/m);
            assert.match(front![1], /^meta_desc: \S/m);
            assert.match(front![1], /^layout: package$/m);
        }
    });
});
