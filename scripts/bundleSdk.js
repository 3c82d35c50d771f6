/**
 * Build step: bundles the two @vercel/sdk 1.18.5 modules this package calls (`core.js` and
 * `funcs/projectsGetProjectClientCerts.js`, with what they import) into one CommonJS file, dist/core/vendor/vercelSdk.js,
 * with the SDK's Apache-2.0 license beside it.
 *
 * Why: @vercel/sdk 1.18.5 depends on @modelcontextprotocol/sdk, which puts ~90 MB and ~75 packages (express, hono,
 * jose, ajv, an `mcp` command) into every user's program for one GET request. 1.18.5 is the last release with the
 * client-cert operation (Vercel removed it from its public OpenAPI document in January 2026), so the pin is
 * permanent and nothing is lost by shipping its code instead of depending on it. Bundled as CommonJS, it also
 * loads with a plain `require` instead of an ESM `import()`.
 *
 * `zod` stays external: the SDK imports `zod/v3`, which the package's own zod dependency provides.
 */
"use strict";
const esbuild = require("esbuild");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const sdkDir = path.dirname(require.resolve("@vercel/sdk/package.json", { paths: [root] }));
const sdkVersion = require(path.join(sdkDir, "package.json")).version;
const outDir = path.join(root, "dist", "core", "vendor");

if (sdkVersion !== "1.18.5") {
    throw new Error(`bundleSdk: expected @vercel/sdk 1.18.5 (the last with client certs), found ${sdkVersion}`);
}

const result = esbuild.buildSync({
    stdin: {
        contents: [
            'export { VercelCore } from "@vercel/sdk/core.js";',
            'export { projectsGetProjectClientCerts } from "@vercel/sdk/funcs/projectsGetProjectClientCerts.js";',
            'export { HTTPClient } from "@vercel/sdk/lib/http.js";',
        ].join("\n"),
        resolveDir: root,
        loader: "js",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["zod", "zod/*"],
    legalComments: "inline",
    banner: {
        js:
            `/*! Bundled from @vercel/sdk ${sdkVersion} (core.js, funcs/projectsGetProjectClientCerts.js, lib/http.js) by ` +
            "scripts/bundleSdk.js. Copyright Vercel, Inc. Licensed under the Apache License, Version 2.0: " +
            "see vercelSdk.LICENSE beside this file. */",
    },
    outfile: path.join(outDir, "vercelSdk.js"),
    write: true,
    logLevel: "warning",
});
if (result.errors.length > 0) process.exit(1);
fs.copyFileSync(path.join(sdkDir, "LICENSE"), path.join(outDir, "vercelSdk.LICENSE"));
