/**
 * The plugin's launchers, one per platform family, each stamped with package.json's version in its banner:
 *
 * - `sh` (linux, darwin): `pulumi-resource-vercel-client-certs`, a POSIX sh script that runs plugin.js beside its
 *   real self with the `node` on PATH. It follows any chain of symlinks with plain `readlink` (macOS has no
 *   `readlink -f`), so a plugin linked onto PATH works, and it quotes every path, so folders with spaces work.
 * - `.cmd` (windows): `pulumi-resource-vercel-client-certs.cmd`, the same for cmd.exe (`%~dp0` is its folder).
 *   Pulumi probes `.exe`, then `.cmd`, for an installed plugin (sdk/go/common/workspace/plugins.go,
 *   `getCandidateExtensions`).
 * - `.exe` (windows): `pulumi-resource-vercel-client-certs.exe`, a small Go program (provider/plugin/launcher/),
 *   because `pulumi install` and `pulumi package add` accept only `pulumi-resource-<name>.exe` or a
 *   PulumiPlugin.yaml in a Windows plugin folder (pkg/cmd/pulumi/packageinstallation/packageinstallation.go,
 *   `ensureProjectDir`), so a `.cmd`-only archive fails there. Built with the machine's Go, cross-compiled,
 *   reproducible (`-trimpath`, no build id, no cgo).
 *
 * Used by scripts/buildPlugin.js (the plugin folder) and scripts/release.ts (the six release archives).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

/** The launcher's file name (no extension): what Pulumi looks for in a plugin folder. */
const LAUNCHER = "pulumi-resource-vercel-client-certs";
/** How many symlinks the sh launcher follows before it gives up (Linux's own limit is 40). */
const MAX_SYMLINKS = 40;
/** The Go launcher's source module. */
const GO_LAUNCHER_DIR = path.join(__dirname, "..", "provider", "plugin", "launcher");
/** At most this long for one cross-compile of the Windows launcher (a cold Go build cache included). */
const GO_BUILD_TIMEOUT_MS = 5 * 60_000;

/** The first words of every launcher: the plugin's name and version. */
function banner(version) {
    return `${LAUNCHER} ${version}: launcher of the vercel-client-certs provider plugin`;
}

/** The sh launcher (linux, darwin). */
function shLauncher(version) {
    return [
        "#!/bin/sh",
        `# ${banner(version)}.`,
        "# Runs plugin.js, beside this file's real location, with the Node.js (>= 20) on PATH. It resolves its own path",
        "# through symlinks with plain readlink (no readlink -f on macOS), and quotes every path (folders with spaces).",
        'self=$0',
        "hops=0",
        'while [ -h "$self" ]; do',
        `    hops=$((hops + 1))`,
        `    if [ "$hops" -gt ${MAX_SYMLINKS} ]; then`,
        `        echo "${LAUNCHER}: more than ${MAX_SYMLINKS} symlinks from $0; cannot find plugin.js" >&2`,
        "        exit 1",
        "    fi",
        '    link=$(readlink "$self") || exit 1',
        '    case $link in',
        '        /*) self=$link ;;',
        '        *) self=$(dirname "$self")/$link ;;',
        "    esac",
        "done",
        "dir=$(CDPATH='' cd -P \"$(dirname \"$self\")\" && pwd -P) || exit 1",
        "if ! command -v node >/dev/null 2>&1; then",
        `    echo "${LAUNCHER} needs Node.js >= 20 on PATH (node was not found)" >&2`,
        "    exit 1",
        "fi",
        'exec node "$dir/plugin.js" "$@"',
        "",
    ].join("\n");
}

/** The .cmd launcher (windows), with CRLF line ends as cmd.exe expects. */
function cmdLauncher(version) {
    return [
        "@echo off",
        `rem ${banner(version)}.`,
        "rem Runs plugin.js, beside this file, with the Node.js (>= 20) on PATH. %~dp0 is this file's folder, quoted.",
        "setlocal",
        "rem node.exe as cmd.exe itself finds it on PATH (where.exe is no test: wine stubs it).",
        'set "NODE_EXE="',
        'for %%I in (node.exe) do set "NODE_EXE=%%~$PATH:I"',
        "if not defined NODE_EXE (",
        `    echo ${LAUNCHER} needs Node.js 20 or newer on PATH: node was not found 1>&2`,
        "    exit /b 1",
        ")",
        '"%NODE_EXE%" "%~dp0plugin.js" %*',
        "exit /b %ERRORLEVEL%",
        "",
    ].join("\r\n");
}

/** Go's name for each Pulumi arch. */
const GOARCH = { amd64: "amd64", arm64: "arm64" };

/**
 * Cross-compiles the Windows `.exe` launcher for `arch` (amd64, arm64) into `outFile`, with the banner in the binary.
 * Needs Go (1.22 or newer) on PATH; never downloads a toolchain.
 */
function buildExeLauncher(version, arch, outFile) {
    if (!GOARCH[arch]) throw new Error(`launchers: no Windows launcher for arch ${arch}`);
    const result = spawnSync(
        "go",
        ["build", "-trimpath", "-buildvcs=false", "-ldflags", `-s -w -buildid= -X 'main.banner=${banner(version)}'`, "-o", outFile, "."],
        {
            cwd: GO_LAUNCHER_DIR,
            encoding: "utf8",
            timeout: GO_BUILD_TIMEOUT_MS,
            env: { ...process.env, GOOS: "windows", GOARCH: GOARCH[arch], CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "" },
        },
    );
    if (result.status !== 0) {
        throw new Error(
            `launchers: go build of the Windows ${arch} launcher failed (${result.error?.message ?? `exit ${result.status}`}); ` +
                `Go 1.22 or newer must be on PATH:\n${result.stderr}`,
        );
    }
}

/** Writes the launchers of `os` into `dir`: sh for linux/darwin; .cmd and .exe for windows. Returns their names. */
function writeLaunchers(dir, version, osName, arch) {
    if (osName === "windows") {
        fs.writeFileSync(path.join(dir, `${LAUNCHER}.cmd`), cmdLauncher(version), { mode: 0o755 });
        buildExeLauncher(version, arch, path.join(dir, `${LAUNCHER}.exe`));
        return [`${LAUNCHER}.cmd`, `${LAUNCHER}.exe`];
    }
    fs.writeFileSync(path.join(dir, LAUNCHER), shLauncher(version), { mode: 0o755 });
    fs.chmodSync(path.join(dir, LAUNCHER), 0o755);
    return [LAUNCHER];
}

module.exports = { LAUNCHER, MAX_SYMLINKS, banner, shLauncher, cmdLauncher, buildExeLauncher, writeLaunchers };
