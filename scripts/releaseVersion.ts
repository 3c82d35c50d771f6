/**
 * One version, stamped everywhere: package.json's `version` is the single source, and this file lists every other
 * place that carries it, reads each, and says which ones differ. scripts/release.ts refuses to finish a release
 * with a difference, and tests/release.test.ts fails on one.
 *
 * The places in the source tree: the plugin's schema; every SDK's metadata (sdk/nodejs/package.json's `version`
 * and `pulumi.version`, the Python SDK's `VERSION` in PEP 440 form, each `pulumi-plugin.json`);
 * source-plugin/package.json (the source-package route's folder); the CHANGELOG's newest version heading. In a built release (dist/release/): every asset's file name, the launchers' banners and
 * plugin.js's banner inside each archive, schema.json, and the metadata inside both npm tarballs and both Python
 * distributions.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..");

/** The plugin's name, and the prefix of every archive. */
export const PLUGIN_NAME = "vercel-client-certs";
/** Pulumi's plugin executable name. */
export const LAUNCHER = `pulumi-resource-${PLUGIN_NAME}`;
/** The platforms Pulumi downloads plugins for (sdk/go/common/workspace/plugins.go, `standardAssetName`). */
export const PLATFORMS = [
    { os: "linux", arch: "amd64" },
    { os: "linux", arch: "arm64" },
    { os: "darwin", arch: "amd64" },
    { os: "darwin", arch: "arm64" },
    { os: "windows", arch: "amd64" },
    { os: "windows", arch: "arm64" },
] as const;
/** One of {@link PLATFORMS}. */
export type Platform = (typeof PLATFORMS)[number];

/** The Python distribution name (the schema's `language.python.packageName`). */
export const PYTHON_DIST = "pulumi_vercel_client_certs";
/** The npm names of the two packages. */
export const NPM_PACKAGE = "pulumi-vercel-client-certs";
/** The Node.js SDK's npm name (the schema's `language.nodejs.packageName`). */
export const NPM_SDK_PACKAGE = "@pulumi-vercel-client-certs/sdk";

/** package.json's version: the single source. */
export function packageVersion(repo = REPO): string {
    return JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).version as string;
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

/**
 * The PEP 440 form of a semver version, as Python packaging needs it: `1.2.3` stays, `1.2.3-alpha.4` is
 * `1.2.3a4`, `-beta.N` `bN`, `-rc.N` `rcN`, `-dev.N` `.devN`; build metadata becomes a local version (`+abc`).
 * Any other pre-release label has no PEP 440 form and is refused, naming it.
 */
export function pep440(version: string): string {
    const m = SEMVER.exec(version);
    if (!m) throw new Error(`version ${JSON.stringify(version)} is not semver (x.y.z[-pre][+build])`);
    let out = `${m[1]}.${m[2]}.${m[3]}`;
    if (m[4] !== undefined) {
        const pre = /^(alpha|beta|rc|dev)\.?(\d+)?$/.exec(m[4]);
        if (!pre) throw new Error(`pre-release ${JSON.stringify(m[4])} has no PEP 440 form: use alpha.N, beta.N, rc.N or dev.N`);
        const n = pre[2] ?? "0";
        out += { alpha: `a${n}`, beta: `b${n}`, rc: `rc${n}`, dev: `.dev${n}` }[pre[1] as "alpha" | "beta" | "rc" | "dev"];
    }
    if (m[5] !== undefined) out += `+${m[5].replace(/-/g, ".")}`;
    return out;
}

/** True when `version` is semver. */
export function isSemver(version: string): boolean {
    return SEMVER.test(version);
}

/** One place that carries the version: what it says (undefined: not found) and what it must say. */
export interface VersionPlace {
    place: string;
    found: string | undefined;
    expected: string;
}

/** The places that differ from what they must say, one line each, naming the place. */
export function mismatches(places: VersionPlace[]): string[] {
    return places
        .filter((p) => p.found !== p.expected)
        .map((p) => `${p.place}: ${p.found === undefined ? "no version found" : `says ${p.found}`}, expected ${p.expected}`);
}

/** The first capture of `re` in a file's text, or undefined. */
function capture(file: string, re: RegExp): string | undefined {
    if (!fs.existsSync(file)) return undefined;
    return re.exec(fs.readFileSync(file, "utf8"))?.[1];
}

/** A JSON file's value at `keys`, or undefined. */
function jsonAt(file: string, ...keys: string[]): string | undefined {
    if (!fs.existsSync(file)) return undefined;
    let value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key];
    return typeof value === "string" ? value : undefined;
}

/** The CHANGELOG's newest version heading (`## 1.2.3`, optionally followed by ` - <date>` or ` (<date>)`). */
export function changelogVersion(changelog: string): string | undefined {
    return /^## v?(\d+\.\d+\.\d+[0-9A-Za-z.+-]*)(?:\s.*)?$/m.exec(changelog)?.[1];
}

/** True when the CHANGELOG's "Unreleased" section holds entries (a tagged release must have moved them). */
export function hasUnreleasedEntries(changelog: string): boolean {
    const m = /^## Unreleased\s*$([\s\S]*?)(?=^## )/m.exec(changelog);
    return m !== null && m[1].trim() !== "";
}

/** Every place in the source tree that carries the version. */
export function sourceVersionPlaces(repo = REPO): VersionPlace[] {
    const version = packageVersion(repo);
    const sdk = (p: string) => path.join(repo, "sdk", p);
    return [
        { place: "provider/plugin/schema.json version", found: jsonAt(path.join(repo, "provider/plugin/schema.json"), "version"), expected: version },
        { place: "sdk/nodejs/package.json version", found: jsonAt(sdk("nodejs/package.json"), "version"), expected: version },
        { place: "sdk/nodejs/package.json pulumi.version", found: jsonAt(sdk("nodejs/package.json"), "pulumi", "version"), expected: version },
        { place: "sdk/python/setup.py VERSION (PEP 440)", found: capture(sdk("python/setup.py"), /^VERSION = "([^"]*)"$/m), expected: pep440(version) },
        {
            place: `sdk/python/${PYTHON_DIST}/pulumi-plugin.json version`,
            found: jsonAt(sdk(`python/${PYTHON_DIST}/pulumi-plugin.json`), "version"),
            expected: version,
        },
        { place: "source-plugin/package.json version", found: jsonAt(path.join(repo, "source-plugin/package.json"), "version"), expected: version },
        { place: "sdk/go/vercelclientcerts/pulumi-plugin.json version", found: jsonAt(sdk("go/vercelclientcerts/pulumi-plugin.json"), "version"), expected: version },
        { place: "CHANGELOG.md newest version heading", found: changelogVersion(fs.readFileSync(path.join(repo, "CHANGELOG.md"), "utf8")), expected: version },
    ];
}

/** The archive name Pulumi downloads for a platform (`standardAssetName`). */
export function archiveName(version: string, p: Platform): string {
    return `${LAUNCHER}-v${version}-${p.os}-${p.arch}.tar.gz`;
}

/** Every file name `npm run release` writes into dist/release/, sorted: exactly these, nothing else. */
export function releaseAssetNames(version: string): string[] {
    const py = pep440(version);
    return [
        ...PLATFORMS.map((p) => archiveName(version, p)),
        "SHA256SUMS",
        "schema.json",
        `${NPM_PACKAGE}-${version}.tgz`,
        `${NPM_SDK_PACKAGE.replace(/^@/, "").replace("/", "-")}-${version}.tgz`,
        `${PYTHON_DIST}-${py}-py3-none-any.whl`,
        `${PYTHON_DIST}-${py}.tar.gz`,
    ].sort();
}

/** The launchers each platform's archive carries. */
export function launchersFor(p: Platform): string[] {
    return p.os === "windows" ? [`${LAUNCHER}.cmd`, `${LAUNCHER}.exe`] : [LAUNCHER];
}

/** The banner every launcher and plugin.js opens with (scripts/launchers.js, scripts/buildPlugin.js). */
const BANNER = new RegExp(`${LAUNCHER} (\\S+?):`);

/** One member of a .tar.gz as bytes, or undefined when it is not there. */
function tarMember(archive: string, member: string): Buffer | undefined {
    const r = spawnSync("tar", ["-xOzf", archive, member], { maxBuffer: 64 * 1024 * 1024 });
    return r.status === 0 ? r.stdout : undefined;
}

/** One member of a zip (a wheel) as text, or undefined. */
function zipMember(zip: string, member: string): string | undefined {
    const r = spawnSync("unzip", ["-p", zip, member], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    return r.status === 0 && r.stdout !== "" ? r.stdout : undefined;
}

/**
 * Every place in a built release directory that carries the version: the asset names (one place: the listing),
 * each archive's launchers' and plugin.js's banners, schema.json, both npm tarballs' package.json (and the SDK's
 * `pulumi.version`), the wheel's METADATA and pulumi-plugin.json, the sdist's PKG-INFO.
 */
export function releaseVersionPlaces(dir: string, version = packageVersion()): VersionPlace[] {
    const places: VersionPlace[] = [];
    const expectedNames = releaseAssetNames(version);
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    places.push({
        place: `${path.basename(dir)}/ file names`,
        found: JSON.stringify(names) === JSON.stringify(expectedNames) ? version : `other files: ${names.join(", ")}`,
        expected: version,
    });
    for (const p of PLATFORMS) {
        const archive = path.join(dir, archiveName(version, p));
        for (const member of [...launchersFor(p), "plugin.js"]) {
            const bytes = fs.existsSync(archive) ? tarMember(archive, member) : undefined;
            places.push({ place: `${archiveName(version, p)}: ${member} banner`, found: bytes && BANNER.exec(bytes.toString("latin1"))?.[1], expected: version });
        }
    }
    places.push({ place: "schema.json version", found: jsonAt(path.join(dir, "schema.json"), "version"), expected: version });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "release-version-"));
    try {
        const npmJson = (tgz: string, ...keys: string[]) => {
            const file = path.join(dir, tgz);
            const bytes = fs.existsSync(file) ? tarMember(file, "package/package.json") : undefined;
            if (!bytes) return undefined;
            const json = path.join(scratch, "package.json");
            fs.writeFileSync(json, bytes);
            return jsonAt(json, ...keys);
        };
        const sdkTgz = `${NPM_SDK_PACKAGE.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;
        places.push({ place: `${NPM_PACKAGE}-${version}.tgz package.json version`, found: npmJson(`${NPM_PACKAGE}-${version}.tgz`, "version"), expected: version });
        places.push({ place: `${sdkTgz} package.json version`, found: npmJson(sdkTgz, "version"), expected: version });
        places.push({ place: `${sdkTgz} package.json pulumi.version`, found: npmJson(sdkTgz, "pulumi", "version"), expected: version });
        const py = pep440(version);
        const wheel = path.join(dir, `${PYTHON_DIST}-${py}-py3-none-any.whl`);
        const wheelText = (member: string) => (fs.existsSync(wheel) ? zipMember(wheel, member) : undefined);
        places.push({ place: "wheel METADATA Version", found: /^Version: (.*)$/m.exec(wheelText(`${PYTHON_DIST}-${py}.dist-info/METADATA`) ?? "")?.[1], expected: py });
        const pluginJson = wheelText(`${PYTHON_DIST}/pulumi-plugin.json`);
        places.push({ place: "wheel pulumi-plugin.json version", found: pluginJson ? (JSON.parse(pluginJson).version as string) : undefined, expected: version });
        const sdist = path.join(dir, `${PYTHON_DIST}-${py}.tar.gz`);
        const pkgInfo = fs.existsSync(sdist) ? tarMember(sdist, `${PYTHON_DIST}-${py}/PKG-INFO`) : undefined;
        places.push({ place: "sdist PKG-INFO Version", found: pkgInfo && /^Version: (.*)$/m.exec(pkgInfo.toString("utf8"))?.[1], expected: py });
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    return places;
}
