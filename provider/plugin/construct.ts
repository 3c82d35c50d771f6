/**
 * Construct of the component `vercel-client-certs:index:ProjectClientCertsSet`: the route for large stacks.
 *
 * The engine calls Check one resource at a time, so a stack of many `ProjectClientCerts` pays one API round trip
 * per distinct project, in sequence. A Construct runs once for the whole set: it reads every distinct project
 * concurrently (bounded by the transport's request slots, `MAX_CONCURRENT_REQUESTS`) and, as each read ends,
 * registers that project's `ProjectClientCerts` child with the observed set as its hidden input, so each child's
 * Check takes it and sends nothing, and the engine's work on the children overlaps the remaining reads. A project whose read failed gets a child without the observed set: its own Check reads
 * again and reports the failure as the resource's (a check failure naming the project, or the error).
 *
 * Construct calls run in the already-configured default provider process, so the snapshot cache is shared with
 * the children's calls. The engine does not bound concurrent Constructs (`--parallel` does not apply), which is
 * why every read here goes through the slots and child registrations are bounded too.
 */
import * as grpc from "@grpc/grpc-js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import { ResourceMonitorClient } from "@pulumi/pulumi/proto/resource_grpc_pb";
import { certIdByOrigin, checkedInputs } from "../core/certSet";
import { containsUnknown, UNKNOWN } from "../core/clientCertsLifecycle";
import { withConfiguredTeam } from "../core/credentials";
import { MAX_CHILD_REGISTRATIONS_IN_FLIGHT, MAX_SET_PROJECTS } from "../core/limits";
import { resourceId } from "../core/resourceIds";
import { ProjectScopeArgsSchema } from "../core/schemas";
import type { ClientCert, ProjectScopeArgs } from "../core/types";
import { readPluginConfig } from "./providerConfig";
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

/** Runs `work` over `items`, at most `limit` at a time; after one fails, no lane takes another item. */
async function bounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    let failed = false;
    const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length && !failed) {
            try {
                await work(items[next++]);
            } catch (err) {
                failed = true;
                throw err;
            }
        }
    });
    await Promise.all(lanes);
}

/** A promise of one unary call on the monitor. */
function call<Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/** Construct: register the component, read each project and register its child (lanes overlap), return outputs. */
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
            // Each project is read and then its child registered, in one lane, so the engine works on the first
            // children while later projects are still being read. The lanes bound the registrations in flight;
            // the transport's slots bound the reads among them.
            await bounded([...projects], MAX_CHILD_REGISTRATIONS_IN_FLIGHT, async ([id, args]) => {
                const { requireOrigins: _unused, ...scope } = args;
                try {
                    observed.set(id, await pluginContext.liveCerts(scope));
                } catch {
                    // The child's own Check reads again and reports this project's failure as its own.
                }
                const certs = observed.get(id);
                const object = certs ? checkedInputs(args, certs) : args;
                const child = new resourcePb.RegisterResourceRequest()
                    .setType(CHILD_TYPE)
                    .setName(`${req.getName()}/${id}`)
                    .setParent(urn)
                    .setCustom(true)
                    .setObject(toStruct(object))
                    .setAcceptsecrets(true)
                    .setVersion(PLUGIN_VERSION)
                    .setProtect(req.getProtect() ?? false);
                const provider = providers.get(PACKAGE);
                if (provider) child.setProvider(provider);
                await call(monitor.registerResource.bind(monitor), child);
            });
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
