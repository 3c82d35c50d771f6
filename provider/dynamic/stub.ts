/**
 * The `__provider` stub: the only code stored in each resource's state.
 *
 * Pulumi's Node.js dynamic-provider host (`cmd/dynamic-provider`) deserializes a resource's `__provider` with
 * `requireFromString(text).handler()` and runs that stored copy on `pulumi refresh` and `pulumi destroy`
 * (pulumi#6490), so a provider captured by value never receives fixes. This stub holds nothing but a module
 * name: when the host configures it, it requires the implementation installed next to the program (the host's
 * working directory), so old state runs current code.
 *
 * Why hand-written text rather than `pulumi.dynamic.Resource`'s closure serializer: the serializer wraps every
 * function in ~170 bytes of scaffolding (a `with` environment and two `apply`s), which made the stub 2.7 kB, and
 * the host stores it twice per resource (inputs and outputs). This text is the whole module, ~0.5 kB.
 *
 * Why one method: the host calls `configure` once per distinct `__provider` text, before any other method, on the
 * object `handler()` returned (`getProvider`), and looks every other method up on that object only afterwards. So
 * `configure` puts the implementation's methods on the object itself (`this`).
 *
 * The contract with state (see CHANGELOG.md): the implementation, `pulumi-vercel-client-certs/lifecycle`, keeps
 * `configure`, `check`, `diff`, `create`, `read` and `update` with the engine's arguments; 0.1.0's stubs (one
 * serialized function per method) call them directly. A missing package must not fail `configure`: `delete`
 * stays undefined, so the host skips it (the resource is read-only: there is nothing at Vercel to delete), which
 * is what lets `pulumi destroy` work after the package was uninstalled. Every other method then fails saying
 * where the package was looked for and how to install it.
 */

/** The implementation every stub loads, resolved from the program directory (see `exports` in package.json). */
export const IMPLEMENTATION = "pulumi-vercel-client-certs/lifecycle";

/** The `__provider` text stored with each resource: a CommonJS module whose `handler()` returns the provider. */
export const PROVIDER_STUB_TEXT = `exports.handler = () => ({
  async configure(req) {
    let impl, err;
    try { impl = require(${JSON.stringify(IMPLEMENTATION)}).lifecycle; } catch (e) {
      err = new Error(\`Cannot load ${IMPLEMENTATION} from \${process.cwd()} (\${String(e.message).split("\\n")[0]}). Install it in the Pulumi program's directory: npm install pulumi-vercel-client-certs\`);
    }
    for (const m of ["check", "diff", "create", "read", "update"]) this[m] = impl ? impl[m] : async () => { throw err; };
    if (impl) await impl.configure(req);
  },
});
`;
