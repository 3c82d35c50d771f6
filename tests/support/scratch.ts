/**
 * The package as users get it: `npm pack`, installed into a scratch directory outside the repo, together with
 * what a Pulumi TypeScript template has (typescript, @types/node), and @types/mocha for the README's test. Packed and installed once per test run; each
 * program is a subdirectory, so its modules resolve from the shared install as in a monorepo.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./providerHost";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** A packed and installed copy of the package. */
export interface ScratchInstall {
    /** The directory whose node_modules holds the installed package. */
    root: string;
    /** The packed tarball. */
    tarball: string;
}

let install: ScratchInstall | undefined;

/** Packs the built package (dist/ is fresh: `npm test` builds first) and installs it once per process. */
export function scratchInstall(): ScratchInstall {
    if (install) return install;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "vercel-client-certs-user-"));
    // --ignore-scripts: the build already ran, and packing must not rebuild.
    const out = execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", root], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    });
    const tarball = path.join(root, JSON.parse(out)[0].filename);
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "scratch-stacks", private: true }));
    const versionOf = (dep: string) => require(`${dep}/package.json`).version as string;
    execFileSync(
        npm,
        [
            "install",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            tarball,
            `typescript@${versionOf("typescript")}`,
            `@types/node@${versionOf("@types/node")}`,
            `@types/mocha@${versionOf("@types/mocha")}`,
        ],
        { cwd: root, stdio: "pipe" },
    );
    install = { root, tarball };
    process.once("exit", () => fs.rmSync(root, { recursive: true, force: true }));
    return install;
}

/** Creates `<root>/<name>/` with a Pulumi.yaml (runtime nodejs) and the given files, and returns its path. */
export function scratchProgram(name: string, files: Record<string, string>): string {
    const dir = path.join(scratchInstall().root, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    return dir;
}
