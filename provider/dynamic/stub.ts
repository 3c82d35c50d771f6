/**
 * The `__provider` stub: the only code Pulumi serializes into each resource's state.
 *
 * Pulumi stores the serialized provider with every resource and runs that stored copy on `pulumi refresh` and
 * `pulumi destroy` (pulumi#6490), so a provider captured by value never receives fixes. This stub captures
 * nothing but a module name: each call requires the implementation installed next to the program (the host's
 * working directory), so old state runs current code.
 *
 * Rules for this file, because the serializer copies function bodies verbatim into every resource's state:
 * - no imports used inside the functions, and nothing module-level but `IMPLEMENTATION` and `load`;
 * - comments go here, outside the bodies, so they are not stored thousands of times;
 * - method names and arguments stay stable: stubs already in users' state call the implementation with them.
 *
 * `configure` runs before every method, delete included. Delete needs neither config nor the package, so a missing
 * package must not fail `configure`: that is what lets `pulumi destroy` work after the package was uninstalled.
 * `delete` loads nothing: the resource is read-only, so there is nothing at Vercel to delete.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Resolved from the program directory by the provider host; see `exports` in package.json. */
const IMPLEMENTATION = "pulumi-vercel-client-certs/lifecycle";

/** The provider object handed to `pulumi.dynamic.Resource`. */
export const providerStub: pulumi.dynamic.ResourceProvider = {
    async configure(req) {
        let impl;
        try {
            impl = load();
        } catch {
            return;
        }
        await impl.configure(req);
    },
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    async delete() {},
};

/** The installed implementation, or an error that says where it was looked for and how to install it. */
function load() {
    try {
        return require(IMPLEMENTATION).lifecycle;
    } catch (err) {
        throw new Error(
            `Cannot load ${IMPLEMENTATION} from ${process.cwd()} (${String((err as Error).message).split("\n")[0]}). ` +
                "Install it in the Pulumi program's directory: npm install pulumi-vercel-client-certs",
        );
    }
}
