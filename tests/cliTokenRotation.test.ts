/**
 * Token rotation and `pulumi refresh`, through the real CLI and Pulumi's own Node.js language host.
 *
 * Pulumi stores a default provider's config (the stack's `vercel:apiToken` included) in state at each
 * `pulumi up`, and `pulumi refresh` does not run the program, so after `pulumi config set --secret
 * vercel:apiToken <new>` a refresh still sends the token of the last `up`, while a preview (which runs the
 * program) sends the new one. Here the fake API stops accepting the old token when it is rotated: the refresh
 * must fail saying so and what to run, keep the state exactly as it was, and `refresh --run-program` or an `up`
 * must then work. No part of either token may appear in anything the CLI prints.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import type { FakeVercel } from "../dist/testing/fakeVercel";
import { cliStack, expectExit, leakedFragments, runPulumi, startCliSuite, type CliContext, type CliResult } from "./support/cli";

const PROGRAM = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";

export const certIds = new ProjectClientCerts("certs", { idOrName: "web-app", teamId: "team_acme" }).certIds;
`;

/** The project's resource in `stack export`, inputs and outputs. */
async function storedResource(ctx: CliContext): Promise<unknown> {
    const exported = JSON.parse((await expectExit(ctx, ["stack", "export", "--show-secrets"], 0)).stdout);
    return exported.deployment.resources.find((r: { type: string }) => r.type.endsWith("ProjectClientCerts"));
}

describe("real Pulumi CLI: token rotation and refresh", function () {
    this.timeout(600_000);
    let fake: FakeVercel;
    let cli: string;
    before(async function () {
        ({ cli, fake } = await startCliSuite(this));
    });
    after(() => fake?.stop());

    it("after `config set --secret vercel:apiToken <new>`, refresh fails naming the stored token and what to run; state is kept; --run-program and up then work", async function () {
        const oldToken = `vcp_old${randomBytes(12).toString("hex")}`;
        const newToken = `vcp_new${randomBytes(12).toString("hex")}`;
        const grant = { user: "alice", teams: ["team_acme"] };
        fake.seed.tokens[oldToken] = grant;
        const ctx = await cliStack(cli, "token-rotation", { "index.ts": PROGRAM }, fake.url, { "vercel:apiToken": oldToken });
        const printed: CliResult[] = [];
        const run = async (args: string[], code: number) => {
            const r = await runPulumi(ctx, args);
            printed.push(r);
            assert.equal(r.code, code, `pulumi ${args.join(" ")} exited ${r.code}, expected ${code}\n${r.stdout}\n${r.stderr}`);
            return r;
        };

        await run(["up", "--yes"], 0);
        const before = await storedResource(ctx);

        // Rotate: the stack's config holds the new token, and Vercel accepts only that one.
        await expectExit(ctx, ["config", "set", "--secret", "vercel:apiToken", newToken], 0);
        delete fake.seed.tokens[oldToken];
        fake.seed.tokens[newToken] = grant;

        // A preview runs the program, which reads with the new token.
        await run(["preview", "--expect-no-changes"], 0);

        // A refresh (and a refresh preview: scheduled drift checks) runs the provider with the stored config.
        for (const args of [["refresh", "--yes"], ["refresh", "--preview-only", "--expect-no-changes"]]) {
            const failed = await run(args, 1);
            const text = failed.stdout + failed.stderr;
            assert.match(text, /Vercel rejected the token \(401\) reading client certificates of project "web-app" in team "team_acme"/, text);
            assert.match(text, /A refresh uses the token from stack config vercel:apiToken as stored in the stack's state at the last `pulumi up`/, text);
            assert.match(text, /run `pulumi refresh --run-program`, or `pulumi up`, to use the current one/, text);
        }
        assert.deepEqual(await storedResource(ctx), before, "a failed refresh leaves the state as it was");

        // `refresh --run-program` registers the default provider from the program's run, with the current config.
        fake.addCert("web-app", "team_acme", { id: "cert_rotated01", origin: "https://rotated.example.com" });
        const rerun = await run(["refresh", "--run-program", "--diff", "--yes"], 0);
        assert.match(rerun.stdout, /^\s*\+ cert_rotated01\s*: "https:\/\/rotated\.example\.com"$/m, rerun.stdout);
        // An `up` stores the new config with the provider: from then on a plain refresh uses the new token.
        await run(["up", "--yes"], 0);
        await run(["refresh", "--yes"], 0);
        await run(["refresh", "--preview-only", "--expect-no-changes"], 0);

        for (const r of printed) {
            for (const token of [oldToken, newToken]) {
                assert.deepEqual(leakedFragments(r.stdout + r.stderr, token), [], "no part of either token is printed");
            }
        }
    });
});
