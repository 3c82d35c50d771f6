/**
 * Stack config `vercel:*` as the program's process sees it, for reads made there (the resource's live read and
 * the data-source functions). The provider host gets the same config through `configure`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VercelConfigReader } from "./credentials";

/** Resolves a secret config Output to its plaintext, inside this process only. Config values are always known. */
function reveal(value: pulumi.Output<string> | undefined): Promise<string | undefined> {
    if (value === undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => value.apply((v) => resolve(v)));
}

/**
 * A reader of this run's `vercel:apiToken` (read as a secret, so Pulumi never warns about it or prints it) and
 * `vercel:team`. Read at call time: config belongs to the run, and a token must never be captured in a resource.
 */
export async function programConfigReader(): Promise<VercelConfigReader> {
    const config = new pulumi.Config("vercel");
    const token = await reveal(config.getSecret("apiToken"));
    const team = await reveal(config.getSecret("team"));
    return (key) => (key === "apiToken" ? token : team);
}
