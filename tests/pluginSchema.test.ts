/**
 * The plugin's checked-in schema (provider/plugin/schema.json) against the TypeScript sources of truth: the zod
 * schemas that validate every shape at run time, the dynamic function's result type, and package.json's version.
 * A property added to one and not the other, or typed differently, fails here, so the generated SDKs and the
 * dynamic provider cannot drift apart.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod/v3";
import { CheckedInputsSchema, ClientCertSchema, OutputsSchema, ProjectScopeArgsSchema } from "../dist/core/schemas";
import type { GetProjectClientCertsResult } from "../dist/dynamic/functions";

const root = path.join(__dirname, "..");
const schema = JSON.parse(fs.readFileSync(path.join(root, "provider/plugin/schema.json"), "utf8"));
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

type Prop = { type?: string; $ref?: string; items?: Prop; additionalProperties?: Prop; description?: string; secret?: boolean };

/** A zod schema as a Pulumi schema type: `string`, `array<string>`, `map<string>`, `ClientCert`. */
function zodType(t: z.ZodTypeAny): string {
    if (t instanceof z.ZodOptional || t instanceof z.ZodNullable) return zodType(t.unwrap());
    if (t instanceof z.ZodEffects) return zodType(t.innerType());
    if (t instanceof z.ZodString) return "string";
    if (t instanceof z.ZodArray) return `array<${zodType(t.element)}>`;
    if (t instanceof z.ZodRecord) return `map<${zodType(t.valueSchema)}>`;
    if (t === ClientCertSchema || (t instanceof z.ZodObject && Object.keys(t.shape).join() === "id,origin")) return "ClientCert";
    throw new Error(`no schema type for zod ${t.constructor.name}`);
}

/** A schema property's type in the same notation. */
function schemaType(p: Prop): string {
    if (p.$ref) return p.$ref.replace("#/types/vercel-client-certs:index:", "");
    if (p.type === "array") return `array<${schemaType(p.items!)}>`;
    if (p.type === "object" && p.additionalProperties) return `map<${schemaType(p.additionalProperties)}>`;
    return p.type!;
}

/** The object shape behind a zod schema (through `superRefine`). */
function shapeOf(t: z.ZodTypeAny): Record<string, z.ZodTypeAny> {
    if (t instanceof z.ZodEffects) return shapeOf(t.innerType());
    return (t as z.ZodObject<z.ZodRawShape>).shape;
}

/** name → type, for a zod object and for schema properties. */
const zodProps = (t: z.ZodTypeAny) => Object.fromEntries(Object.entries(shapeOf(t)).map(([k, v]) => [k, zodType(v)]));
const schemaProps = (props: Record<string, Prop>) => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, schemaType(v)]));
/** Keys a zod object requires. */
const zodRequired = (t: z.ZodTypeAny) => Object.entries(shapeOf(t)).filter(([, v]) => !v.isOptional()).map(([k]) => k).sort();

/** Every property object anywhere in the schema, with where it is. */
function everyProperty(node: unknown, at: string, out: [string, Prop][] = []): [string, Prop][] {
    if (!node || typeof node !== "object") return out;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if ((key === "properties" || key === "inputProperties" || key === "variables") && value && typeof value === "object") {
            for (const [name, prop] of Object.entries(value as Record<string, Prop>)) out.push([`${at}.${key}.${name}`, prop]);
        }
        everyProperty(value, `${at}.${key}`, out);
    }
    return out;
}

describe("plugin schema.json", function () {
    const resource = schema.resources["vercel-client-certs:index:ProjectClientCerts"];
    const fn = schema.functions["vercel-client-certs:index:getProjectClientCerts"];

    it("has the package's name and package.json's version", function () {
        assert.equal(schema.name, "vercel-client-certs");
        assert.equal(schema.version, pkg.version, "run: set provider/plugin/schema.json version to package.json's");
        assert.match(schema.pluginDownloadURL, /^github:\/\/api\.github\.com\/[\w.-]+\/pulumi-vercel-client-certs$/, "the GitHub release location: owner and repository");
    });

    it("describes every property", function () {
        const props = everyProperty(schema, "schema");
        assert.ok(props.length > 30, `found only ${props.length} properties`);
        const bare = props.filter(([, p]) => !p.description || p.description.length < 10).map(([at]) => at);
        assert.deepEqual(bare, []);
    });

    it("resource inputs are ProjectScopeArgsSchema's, name for name and type for type", function () {
        assert.deepEqual(schemaProps(resource.inputProperties), zodProps(ProjectScopeArgsSchema));
        assert.deepEqual([...resource.requiredInputs].sort(), zodRequired(ProjectScopeArgsSchema));
        // The observed set is a hidden input: never one the user sets.
        assert.equal(resource.inputProperties.certOriginsById, undefined);
    });

    it("resource outputs are OutputsSchema's plus CheckedInputsSchema's certOriginsById", function () {
        const expected = { ...zodProps(OutputsSchema), certOriginsById: zodType(CheckedInputsSchema.shape.certOriginsById) };
        assert.deepEqual(schemaProps(resource.properties), expected);
        // A Set: the dynamic resource may gain certOriginsById as an output too (then OutputsSchema has it).
        assert.deepEqual([...resource.required].sort(), [...new Set([...zodRequired(OutputsSchema), "certOriginsById"])].sort());
    });

    it("ClientCert is ClientCertSchema", function () {
        const t = schema.types["vercel-client-certs:index:ClientCert"];
        assert.deepEqual(schemaProps(t.properties), zodProps(ClientCertSchema));
        assert.deepEqual([...t.required].sort(), zodRequired(ClientCertSchema));
    });

    it("the component's project entries take the resource's inputs", function () {
        const t = schema.types["vercel-client-certs:index:ProjectRef"];
        assert.deepEqual(schemaProps(t.properties), zodProps(ProjectScopeArgsSchema));
    });

    it("function inputs and outputs are the dynamic function's", function () {
        assert.deepEqual(schemaProps(fn.inputs.properties), zodProps(ProjectScopeArgsSchema));
        // GetProjectClientCertsResult is OutputsSchema without requireOrigins; the type assertion below fails to
        // compile if the TypeScript result type gains or loses a key.
        const resultKeys: Record<keyof GetProjectClientCertsResult, true> = {
            idOrName: true, teamId: true, slug: true, clientCerts: true, certIds: true, origins: true, certOriginsById: true,
        };
        const outputs = zodProps(OutputsSchema);
        const expected = Object.fromEntries(Object.keys(resultKeys).map((k) => [k, outputs[k]]));
        assert.ok(Object.values(expected).every((t) => t !== undefined), "a result key is not in OutputsSchema");
        assert.deepEqual(schemaProps(fn.outputs.properties), expected);
        assert.deepEqual([...fn.outputs.required].sort(), zodRequired(OutputsSchema).filter((k) => k in resultKeys));
    });

    it("config: apiToken is secret, team is not, and both are provider inputs", function () {
        assert.equal(schema.config.variables.apiToken.secret, true);
        assert.equal(schema.config.variables.team.secret, undefined);
        assert.deepEqual(Object.keys(schema.provider.inputProperties).sort(), ["apiToken", "team"]);
        assert.equal(schema.provider.inputProperties.apiToken.secret, true);
    });
});
