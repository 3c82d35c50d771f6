/**
 * What installing the packed package adds to an empty program, beyond what every Pulumi program already has
 * (`@pulumi/pulumi`) and the one runtime dependency (`zod`): packages and bytes on disk. Used by the package test
 * (with the target) and by `npm run bench`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Packages (by name@version) and bytes under one node_modules tree. */
export interface Tree {
    packages: Set<string>;
    bytes: number;
    bins: string[];
}

/** Walks `node_modules` (nested ones included), listing every package and adding up file sizes. */
export function measureTree(nodeModules: string): Tree {
    const packages = new Set<string>();
    let bytes = 0;
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isSymbolicLink()) continue;
            if (entry.isDirectory()) walk(full);
            else if (entry.isFile()) {
                bytes += fs.statSync(full).size;
                if (entry.name === "package.json" && path.basename(path.dirname(path.dirname(full))).match(/^(node_modules|@.+)$/)) {
                    try {
                        const pkg = JSON.parse(fs.readFileSync(full, "utf8"));
                        if (pkg.name && pkg.version) packages.add(`${pkg.name}@${pkg.version}`);
                    } catch {
                        // not a package manifest
                    }
                }
            }
        }
    };
    if (fs.existsSync(nodeModules)) walk(nodeModules);
    const binDir = path.join(nodeModules, ".bin");
    return { packages, bytes, bins: fs.existsSync(binDir) ? fs.readdirSync(binDir).sort() : [] };
}

function installInto(dir: string, specs: string[]): Tree {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: path.basename(dir), private: true }));
    execFileSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", ...specs], { cwd: dir, stdio: "pipe" });
    return measureTree(path.join(dir, "node_modules"));
}

/** The difference the tarball makes over a program with only `@pulumi/pulumi` and `zod` at the same versions. */
export interface Footprint {
    addedPackages: string[];
    addedBytes: number;
    /** Commands the install puts into node_modules/.bin beyond the baseline's. */
    addedBins: string[];
}

/**
 * Installs the baseline and the tarball (plus `extra` specs, e.g. a former dependency) into two empty programs and
 * compares them.
 */
export function measureFootprint(tarball: string, extra: string[] = []): Footprint {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "footprint-"));
    try {
        const withPkg = installInto(path.join(root, "with-package"), [tarball, ...extra]);
        const version = (name: string) =>
            JSON.parse(fs.readFileSync(path.join(root, "with-package", "node_modules", name, "package.json"), "utf8")).version;
        const baseline = installInto(path.join(root, "baseline"), [`@pulumi/pulumi@${version("@pulumi/pulumi")}`, `zod@${version("zod")}`]);
        return {
            addedPackages: [...withPkg.packages].filter((p) => !baseline.packages.has(p)).sort(),
            addedBytes: withPkg.bytes - baseline.bytes,
            addedBins: withPkg.bins.filter((b) => !baseline.bins.includes(b)),
        };
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}
