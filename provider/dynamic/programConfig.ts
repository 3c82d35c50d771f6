/**
 * Stack config `vercel:*` as the program's process sees it, for reads made there (the resource's live read and
 * the data-source functions). The provider host gets the same config through `configure`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VercelConfigReader } from "../core/credentials";
import { warnIfTokenInPlainText } from "./plainTokenWarning";

/**
 * A reader of this run's `vercel:apiToken` and `vercel:team`, read at call time: config belongs to the run, and a
 * token must never be captured in a resource. It reads the runtime's raw config, which makes no Output (a stack
 * of 1 000 resources would otherwise make thousands for the same two values) and prints no "use getSecret"
 * warning for a secret key; the values stay in this process.
 */
export function programConfigReader(): VercelConfigReader {
    const token = pulumi.runtime.getConfig("vercel:apiToken");
    const team = pulumi.runtime.getConfig("vercel:team");
    warnIfTokenInPlainText(token !== undefined);
    return (key) => (key === "apiToken" ? token : team);
}
