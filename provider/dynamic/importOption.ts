/**
 * The `import` resource option, refused with this package's own message. Why: Pulumi's engine imports through a
 * Read that carries no provider code for a dynamic provider (pulumi#16175), so the preview fails later with the
 * host's `Cannot read properties of undefined (reading 'toJavaScript')`, which says nothing a user can act on. A
 * read-only resource needs no import: constructing it, or `ProjectClientCerts.get`, reads the same data.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Throws a `RunError` (the CLI prints its message once, without a stack) when `opts` sets `import`.
 *
 * @param name The resource's name, for the message.
 * @param opts The resource options given to the constructor.
 */
export function refuseImportOption(name: string, opts: pulumi.CustomResourceOptions | undefined): void {
    if (opts?.import === undefined) return;
    const id = typeof opts.import === "string" ? JSON.stringify(opts.import.slice(0, 200)) : "<id>";
    throw new pulumi.RunError(
        `ProjectClientCerts "${name}": the import resource option is not supported (Pulumi cannot import into a ` +
            "dynamic provider's resource, pulumi#16175), and nothing needs importing: this resource only reads. " +
            `Remove { import: ${id} } and construct the resource with its arguments, or read it by id with ` +
            `ProjectClientCerts.get(${JSON.stringify(name)}, ${id}).`,
    );
}
