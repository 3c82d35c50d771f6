/**
 * Generates the Go, Python and Node.js SDKs of the provider plugin from its checked-in schema, with Pulumi's own
 * code generators (`pulumi package gen-sdk` and the language hosts beside the CLI), then finishes what gen-sdk
 * leaves undone in 3.248 so the SDKs can be used and published as they are:
 *
 * - the version (package.json's) is stamped where gen-sdk leaves none or a placeholder (it does unless the
 *   schema's language sections set `respectSchemaVersion`): Go's and Python's `pulumi-plugin.json` (no version: a
 *   program would then take the newest plugin installed), Node.js's `package.json` (`${VERSION}`), Python's
 *   `setup.py`/`pyproject.toml` (`0.0.0`); a version already there must be package.json's;
 * - the Go SDK gets its own module: `go.mod` (module path from the schema's Go import path, requiring
 *   github.com/pulumi/pulumi/sdk/v3 at the repository's @pulumi/pulumi version) and its `go.sum`, written by
 *   `go mod tidy` through the Go module proxy.
 *
 * Each generated file already says it is generated (gen-sdk's headers and `.gitattributes`); `sdk/README.md` says
 * how they are made. `npm run gen-sdk` writes `sdk/go`, `sdk/python`, `sdk/nodejs`; tests/sdk.test.ts regenerates
 * into a temporary directory and fails on any difference.
 *
 * Bounds: each gen-sdk run may take at most 2 min, `go mod tidy` at most 10 min (a cold module cache).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { locatePulumi } from "./pulumiCli";
import { pep440 } from "./releaseVersion";

/** The languages generated here (the ones with a language host on this machine). */
export const SDK_LANGUAGES = ["go", "python", "nodejs"] as const;
/** One of {@link SDK_LANGUAGES}. */
export type SdkLanguage = (typeof SDK_LANGUAGES)[number];

const REPO = path.resolve(__dirname, "..");
/** The plugin's checked-in schema, the single input of generation. */
export const SCHEMA_PATH = path.join(REPO, "provider", "plugin", "schema.json");
/** Where the committed SDKs live. */
export const SDK_DIR = path.join(REPO, "sdk");

const GEN_TIMEOUT_MS = 2 * 60_000;
const TIDY_TIMEOUT_MS = 10 * 60_000;

/** What {@link generateSdks} needs. */
export interface GenerateOptions {
    /** Path of the `pulumi` binary; its language hosts must be beside it. */
    cli: string;
    /** The directory that receives `go/`, `python/` and `nodejs/` (each replaced whole). */
    outDir: string;
    /** The schema to generate from; defaults to {@link SCHEMA_PATH}. */
    schema?: string;
    /** The version to stamp; defaults to package.json's. */
    version?: string;
    /** The github.com/pulumi/pulumi/sdk/v3 version the Go module requires; defaults to {@link lockedPulumiVersion}. */
    goSdkVersion?: string;
    /** Progress lines (stderr by default). */
    log?: (line: string) => void;
}

/** The package version every SDK is stamped with: package.json's. */
export function packageVersion(): string {
    return JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
}

/**
 * The @pulumi/pulumi version in package-lock.json: the Go module requires the same Pulumi SDK version. The lockfile,
 * not the installed copy, so a CI pass that installs a newer @pulumi/pulumi generates the same SDKs.
 */
export function lockedPulumiVersion(): string {
    const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8"));
    const version = lock.packages?.["node_modules/@pulumi/pulumi"]?.version;
    if (typeof version !== "string") throw new Error("gen-sdk: package-lock.json has no node_modules/@pulumi/pulumi");
    return version;
}

/** Generates every SDK language into `outDir/<language>`, stamped and (for Go) with its own module. */
export function generateSdks(opts: GenerateOptions): void {
    const version = opts.version ?? packageVersion();
    const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const schema = path.resolve(opts.schema ?? SCHEMA_PATH);
    if (!fs.existsSync(schema)) throw new Error(`gen-sdk: no schema at ${schema} (the plugin's schema.json)`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gen-sdk-"));
    try {
        for (const language of SDK_LANGUAGES) {
            const started = Date.now();
            runGenSdk(opts.cli, schema, language, scratch);
            const generated = path.join(scratch, language);
            stampVersion(language, generated, version);
            const dest = path.join(opts.outDir, language);
            fs.rmSync(dest, { recursive: true, force: true });
            fs.mkdirSync(path.dirname(dest), { recursive: true });
            fs.cpSync(generated, dest, { recursive: true });
            if (language === "go") writeGoModule(dest, opts.goSdkVersion ?? lockedPulumiVersion());
            log(`gen-sdk: ${language} → ${dest} (v${version}, ${Date.now() - started} ms)`);
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** Runs `pulumi package gen-sdk <schema> --language <language> --out <outRoot>` (it writes `outRoot/<language>`). */
function runGenSdk(cli: string, schema: string, language: SdkLanguage, outRoot: string): void {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "gen-sdk-home-"));
    try {
        const result = spawnSync(cli, ["package", "gen-sdk", schema, "--language", language, "--out", outRoot], {
            encoding: "utf8",
            timeout: GEN_TIMEOUT_MS,
            env: {
                ...process.env,
                // The code generators are the language hosts beside the CLI; a scratch PULUMI_HOME keeps the
                // user's plugins and credentials out of it.
                PATH: [path.dirname(cli), process.env.PATH ?? ""].join(path.delimiter),
                PULUMI_HOME: home,
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                NO_COLOR: "1",
            },
        });
        if (result.status !== 0) {
            throw new Error(
                `pulumi package gen-sdk --language ${language} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`,
            );
        }
    } finally {
        fs.rmSync(home, { recursive: true, force: true });
    }
}

/**
 * Makes every place that carries the SDK's version say `version`: a placeholder gen-sdk left (no version, `${VERSION}`,
 * `0.0.0`) is filled; a version gen-sdk already wrote (the schema's, with
 * `respectSchemaVersion`) must be the same, else this fails naming the file, so the SDKs never disagree.
 */
export function stampVersion(language: SdkLanguage, dir: string, version: string): void {
    /** Replaces `placeholder` by `stamped`, or checks that `stamped` is already there. */
    const ensure = (file: string, placeholder: RegExp, stamped: string, current: RegExp, expected = version) => {
        const text = fs.readFileSync(file, "utf8");
        if (placeholder.test(text)) {
            fs.writeFileSync(file, text.replace(placeholder, stamped));
            return;
        }
        const found = current.exec(text)?.[1];
        if (found !== expected) {
            throw new Error(
                `gen-sdk: ${path.basename(file)} says version ${found ?? "(none found)"}, expected ${expected} (package.json ${version}): ` +
                    "set the schema's version to package.json's (or update scripts/genSdk.ts's stamping)",
            );
        }
    };
    const stampPluginJson = (file: string) => {
        const meta = JSON.parse(fs.readFileSync(file, "utf8"));
        if (meta.version === undefined) fs.writeFileSync(file, `${JSON.stringify({ ...meta, version }, null, 2)}\n`);
        else if (meta.version !== version) throw new Error(`gen-sdk: ${file} says version ${meta.version}, package.json ${version}`);
    };
    const pluginJsons = findFiles(dir, (f) => path.basename(f) === "pulumi-plugin.json");
    if (language === "go") {
        pluginJsons.forEach(stampPluginJson);
    } else if (language === "python") {
        pluginJsons.forEach(stampPluginJson);
        const setup = path.join(dir, "setup.py");
        const pyproject = path.join(dir, "pyproject.toml");
        // Python's version is the PEP 440 form (1.2.3-alpha.1 is 1.2.3a1); pulumi-plugin.json keeps semver.
        const py = pep440(version);
        if (fs.existsSync(setup)) ensure(setup, /^VERSION = "0\.0\.0"$/m, `VERSION = "${py}"`, /^VERSION = "([^"]*)"$/m, py);
        if (fs.existsSync(pyproject)) ensure(pyproject, /^version = "0\.0\.0"$/m, `version = "${py}"`, /^version = "([^"]*)"$/m, py);
    } else {
        ensure(path.join(dir, "package.json"), /"version": "\$\{VERSION\}"/, `"version": "${version}"`, /"version": "([^"]*)"/);
    }
}

/**
 * Gives the Go SDK its own module: the module path is the schema's Go import path without the package folder
 * (read from the generated imports of `<importBasePath>/internal`), and `go mod tidy` writes the rest and go.sum.
 */
function writeGoModule(dir: string, pulumiSdkVersion: string): void {
    const modulePath = goModulePath(dir);
    fs.writeFileSync(
        path.join(dir, "go.mod"),
        [
            "// Generated by scripts/genSdk.ts (npm run gen-sdk) beside the Go SDK of pulumi package gen-sdk. DO NOT EDIT.",
            `module ${modulePath}`,
            "",
            "go 1.25",
            "",
            `require github.com/pulumi/pulumi/sdk/v3 v${pulumiSdkVersion}`,
            "",
        ].join("\n"),
    );
    const result = spawnSync("go", ["mod", "tidy"], {
        cwd: dir,
        encoding: "utf8",
        timeout: TIDY_TIMEOUT_MS,
        // Never download a Go toolchain: the machine's Go builds the SDK or the tidy fails and says so.
        env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" },
    });
    if (result.status !== 0) {
        throw new Error(`gen-sdk: go mod tidy in ${dir} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`);
    }
}

/** The Go module path of a generated Go SDK in `dir`, from its own imports of `<importBasePath>/internal`. */
export function goModulePath(dir: string): string {
    const packages = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
    if (packages.length !== 1) throw new Error(`gen-sdk: expected one Go package folder in ${dir}, found ${packages.map((p) => p.name).join(", ")}`);
    const pkg = packages[0].name;
    for (const file of findFiles(path.join(dir, pkg), (f) => f.endsWith(".go"))) {
        const m = /"([^"\s]+)\/internal"/.exec(fs.readFileSync(file, "utf8"));
        if (!m) continue;
        const base = m[1];
        if (!base.endsWith(`/${pkg}`)) throw new Error(`gen-sdk: Go import path ${base} does not end in the package folder ${pkg}`);
        return base.slice(0, -pkg.length - 1);
    }
    throw new Error(`gen-sdk: no import of <importBasePath>/internal in ${dir}/${pkg}`);
}

/** Every file under `dir` (recursively) that `keep` accepts, sorted. */
export function findFiles(dir: string, keep: (file: string) => boolean = () => true): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
            const full = path.join(d, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.isFile() && keep(full)) out.push(full);
        }
    };
    walk(dir);
    return out.sort();
}

async function main(): Promise<void> {
    const cli = await locatePulumi();
    if (!cli) throw new Error("gen-sdk: no Pulumi CLI; run `npm run pulumi-cli` first");
    generateSdks({ cli: cli.path, outDir: SDK_DIR });
}

if (require.main === module) {
    main().catch((err: Error) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    });
}
