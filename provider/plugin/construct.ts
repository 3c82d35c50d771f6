/**
 * Construct of the component `vercel-client-certs:index:ProjectClientCertsSet`: the route for large stacks.
 *
 * The engine calls Check one resource at a time, so a stack of many `ProjectClientCerts` pays one API round trip
 * per distinct project, in sequence. A Construct runs once for the whole set: it reads every distinct project
 * concurrently (bounded by the transport's request slots, `MAX_CONCURRENT_REQUESTS`) and, as each read ends,
 * registers that project's `ProjectClientCerts` child with the observed set as its hidden input, so each child's
 * Check takes it and sends nothing, and the engine's work on the children overlaps the remaining reads. A project
 * whose read failed, or whose child would fail its Check (a required origin missing), gets no child: the set
 * fails naming it, and its error is shown on its own line (see {@link construct} for why).
 *
 * The children's calls may be served by another process of this plugin than the Construct (the engine picks a
 * default provider by version: a YAML program's component asks for none, the children for this one), so nothing
 * here relies on sharing a cache with them: each child carries its observed set. The engine does not bound
 * concurrent Constructs (`--parallel` does not apply), which is why every read here goes through the slots and
 * child registrations are bounded too.
 */
import * as grpc from "@grpc/grpc-js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import { ResourceMonitorClient } from "@pulumi/pulumi/proto/resource_grpc_pb";
import { certIdByOrigin, checkedInputs } from "../core/certSet";
import { checkInputs, containsUnknown, UNKNOWN } from "../core/clientCertsLifecycle";
import { withConfiguredTeam } from "../core/credentials";
import { CONFIG_WORDS, quoted } from "../core/errors";
import { MAX_CHILD_REGISTRATIONS_IN_FLIGHT, MAX_SET_FAILURES_SHOWN, MAX_SET_PROJECTS } from "../core/limits";
import { resourceId } from "../core/resourceIds";
import { ProjectScopeArgsSchema } from "../core/schemas";
import type { ClientCert, ProjectScopeArgs } from "../core/types";
import { isSecretScope, usesConfiguredTeam } from "../core/secretScope";
import { logError } from "./engineLog";
import { forEngine } from "./knownTokens";
import { readPluginConfig, teamConfigSecret } from "./providerConfig";
import { pluginContext } from "./resourceCalls";
import { PLUGIN_VERSION } from "./schemaServing";
import { fromStruct, toStruct } from "./wireValues";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** The component's type token. */
export const PROJECT_CLIENT_CERTS_SET = "vercel-client-certs:index:ProjectClientCertsSet";
const CHILD_TYPE = "vercel-client-certs:index:ProjectClientCerts";
const PACKAGE = "vercel-client-certs";

/** The set's entries, validated, team-resolved, one per resource id (requireOrigins of duplicates merged). */
export function distinctProjects(name: string, projects: unknown, secret: boolean): Map<string, ProjectScopeArgs> {
    const where = `ProjectClientCertsSet "${name}"`;
    if (secret) {
        throw new Error(
            `${where}: its projects are secret, but each child's name holds its project and team and names are ` +
                "never secret. Use a ProjectClientCerts resource per secret project instead.",
        );
    }
    if (!Array.isArray(projects)) throw new Error(`${where}: projects must be a list of { idOrName, teamId?, slug?, requireOrigins? }.`);
    if (projects.length > MAX_SET_PROJECTS) throw new Error(`${where}: lists ${projects.length} projects; at most ${MAX_SET_PROJECTS} are allowed (split the set).`);
    const out = new Map<string, ProjectScopeArgs>();
    const problems: string[] = [];
    projects.forEach((entry, i) => {
        const parsed = ProjectScopeArgsSchema.safeParse(entry);
        if (!parsed.success) {
            const name = (entry as { idOrName?: unknown })?.idOrName;
            for (const issue of parsed.error.issues) problems.push(`projects[${i}].${issue.path.join(".") || "entry"} ${issue.message}${typeof name === "string" ? ` (project "${name}")` : ""}`);
            return;
        }
        if (isSecretScope(false, usesConfiguredTeam(parsed.data), teamConfigSecret())) {
            return void problems.push(
                `projects[${i}] (project ${quoted(parsed.data.idOrName)}) takes its team from ${CONFIG_WORDS.teamSource}, which is secret, but ` +
                    "each child's name holds its project and team and names are never secret. Give it a plain teamId or slug, or " +
                    "use a ProjectClientCerts resource for it",
            );
        }
        const resolved = withConfiguredTeam(parsed.data, readPluginConfig);
        if ("error" in resolved) return void problems.push(`projects[${i}]: ${resolved.error}`);
        const id = resourceId(resolved.args);
        const seen = out.get(id);
        const origins = [...new Set([...(seen?.requireOrigins ?? []), ...(resolved.args.requireOrigins ?? [])])];
        out.set(id, { ...resolved.args, ...(origins.length ? { requireOrigins: origins } : {}) });
    });
    if (problems.length) throw new Error(`${where}: ${problems.join("; ")}`);
    return out;
}

/**
 * Runs `work` over `items`, at most `limit` at a time. After one fails no lane takes another item, and the
 * first failure is thrown only once every item already started has settled: the monitor connection is closed
 * after this returns, and a registration still in flight then would be cut off.
 */
async function settled<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    let failure: { err: unknown } | undefined;
    const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length && !failure) {
            try {
                await work(items[next++]);
            } catch (err) {
                failure ??= { err };
            }
        }
    });
    await Promise.all(lanes);
    if (failure) throw failure.err;
}

/** A promise of one unary call on the monitor. */
function call<Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/** The URN a child named `name` of type `type` gets under the component `parent`. */
export function childUrn(parent: string, type: string, name: string): string {
    const [prefix, project, parentType] = parent.split("::");
    return `${prefix}::${project}::${parentType}$${type}::${name}`;
}

/** A project of the set that failed: its child's name and the error its own Check would report. */
interface FailedProject {
    child: string;
    message: string;
}

/**
 * What the child of `args` would fail its Check with, given the observed set (`undefined` if it passes): the
 * child's own rule (core `checkInputs`) on the inputs it would be registered with, which sends nothing.
 */
async function childCheckFailure(args: ProjectScopeArgs, certs: ClientCert[]): Promise<string | undefined> {
    const { failures } = await checkInputs(checkedInputs(args, certs), pluginContext);
    return failures?.length ? failures.map((f) => f.reason).join(" ") : undefined;
}

/**
 * The set's failed projects, reported. Each one's error goes to the engine as a diagnostic on the URN its child
 * would have had (at most `MAX_SET_FAILURES_SHOWN`), so the CLI shows it on that project's own line, once; the
 * error returned for the set is one sentence naming them. Without an engine to tell, the errors go in it.
 */
async function failedProjectsError(urn: string, total: number, failed: FailedProject[]): Promise<Error> {
    failed.sort((a, b) => (a.child < b.child ? -1 : a.child > b.child ? 1 : 0));
    const shown = failed.slice(0, MAX_SET_FAILURES_SHOWN);
    const logged = await Promise.all(shown.map((f) => logError(childUrn(urn, CHILD_TYPE, f.child), forEngine(f.message))));
    const names = shown.map((f) => quoted(f.child)).join(", ") + (failed.length > shown.length ? ` and ${failed.length - shown.length} more` : "");
    const head = `${failed.length} of its ${total} project${total === 1 ? "" : "s"} failed`;
    if (logged.every(Boolean)) {
        const where = failed.length > shown.length ? `the first ${shown.length} errors are shown on their resources` : failed.length === 1 ? "its error is shown on that resource" : "each error is shown on its resource";
        return new Error(`${head}: ${names} (${where}).`);
    }
    return new Error(`${head}: ${shown.map((f) => `${quoted(f.child)}: ${f.message}`).join(" ")}${failed.length > shown.length ? ` And ${failed.length - shown.length} more.` : ""}`);
}

/**
 * Construct: register the component; read each project and, if its child would pass its Check, register the child
 * (lanes overlap); return the outputs, or fail naming the projects that failed.
 *
 * Why a project that fails gets no child: the engine answers a child's registration only once the child's step is
 * done, and a child whose Check fails ends the deployment without answering it. The Construct then waits until
 * the engine stops this process, and the engine reports the cut-off Construct as a second error on the set,
 * "grpc: the client connection is closing" (pkg/resource/deploy/source_eval.go, the Construct goroutine). So every
 * failure the child's Check would report is found here first, from the same read and the same rule, and reported
 * here; every child registered is one the engine answers.
 */
export async function construct(req: providerPb.ConstructRequest): Promise<providerPb.ConstructResponse> {
    if (req.getType() !== PROJECT_CLIENT_CERTS_SET) throw new Error(`vercel-client-certs has no component ${JSON.stringify(req.getType())}.`);
    const monitor = new ResourceMonitorClient(req.getMonitorendpoint(), grpc.credentials.createInsecure());
    try {
        const providers = new Map(req.getProvidersMap().toArray() as [string, string][]);
        const component = new resourcePb.RegisterResourceRequest()
            .setType(PROJECT_CLIENT_CERTS_SET)
            .setName(req.getName())
            .setParent(req.getParent())
            .setCustom(false)
            .setProtect(req.getProtect() ?? false)
            .setObject(new Struct())
            .setAcceptsecrets(true)
            .setDependenciesList(req.getDependenciesList());
        for (const [pkg, ref] of providers) component.getProvidersMap().set(pkg, ref);
        const urn = (await call<resourcePb.RegisterResourceRequest, resourcePb.RegisterResourceResponse>(monitor.registerResource.bind(monitor), component)).getUrn();

        const inputs = fromStruct(req.getInputs());
        let outputs: Record<string, unknown>;
        if (containsUnknown(inputs.props.projects)) {
            // A preview whose list depends on other resources: nothing to read yet.
            outputs = { certOriginsByResourceId: UNKNOWN, certIdByOriginByResourceId: UNKNOWN, certIds: UNKNOWN };
        } else {
            const projects = distinctProjects(req.getName(), inputs.props.projects, inputs.secretKeys.has("projects"));
            const observed = new Map<string, ClientCert[]>();
            const failed: FailedProject[] = [];
            // Each project is read and then its child registered, in one lane, so the engine works on the first
            // children while later projects are still being read. The lanes bound the registrations in flight;
            // the transport's slots bound the reads among them.
            await settled([...projects], MAX_CHILD_REGISTRATIONS_IN_FLIGHT, async ([id, args]) => {
                const name = `${req.getName()}/${id}`;
                const { requireOrigins: _unused, ...scope } = args;
                let certs: ClientCert[];
                try {
                    certs = await pluginContext.liveCerts(scope);
                } catch (err) {
                    return void failed.push({ child: name, message: String((err as Error)?.message ?? err) });
                }
                const problem = await childCheckFailure(args, certs);
                if (problem) return void failed.push({ child: name, message: problem });
                observed.set(id, certs);
                const child = new resourcePb.RegisterResourceRequest()
                    .setType(CHILD_TYPE)
                    .setName(name)
                    .setParent(urn)
                    .setCustom(true)
                    .setObject(toStruct(checkedInputs(args, certs)))
                    .setAcceptsecrets(true)
                    .setVersion(PLUGIN_VERSION)
                    .setProtect(req.getProtect() ?? false);
                const provider = providers.get(PACKAGE);
                if (provider) child.setProvider(provider);
                await call(monitor.registerResource.bind(monitor), child);
            });
            if (failed.length) throw await failedProjectsError(urn, projects.size, failed);
            // Keyed by resource id: always `<team>/<project>`, so never `__proto__` or another prototype key.
            const byId: Record<string, Record<string, string>> = {};
            const byOrigin: Record<string, Record<string, string>> = {};
            for (const [id, args] of projects) {
                const certs = observed.get(id);
                if (!certs) continue;
                byId[id] = checkedInputs(args, certs).certOriginsById;
                byOrigin[id] = certIdByOrigin(certs);
            }
            const certIds = [...new Set(Object.values(byId).flatMap((m) => Object.keys(m)))].sort();
            outputs = { certOriginsByResourceId: byId, certIdByOriginByResourceId: byOrigin, certIds };
        }
        const state = toStruct(outputs);
        await call(monitor.registerResourceOutputs.bind(monitor), new resourcePb.RegisterResourceOutputsRequest().setUrn(urn).setOutputs(state));
        return new providerPb.ConstructResponse().setUrn(urn).setState(state);
    } finally {
        monitor.close();
    }
}
