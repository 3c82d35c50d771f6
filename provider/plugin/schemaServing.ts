/**
 * GetSchema and GetPluginInfo: the checked-in schema.json (inlined into the bundle), and the version from
 * package.json, so `pulumi package get-schema`, code generation and the engine see one package description.
 */
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import schema = require("./schema.json");

// Read at run time (not imported) so tsc keeps package.json out of the compiled tree; the bundle inlines it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require("../../package.json") as { version: string };

/** The plugin's version: package.json's (tests keep schema.json's equal to it). */
export const PLUGIN_VERSION = pkg.version;

const schemaText = JSON.stringify({ ...schema, version: PLUGIN_VERSION });

/** GetSchema: the package schema as JSON text. */
export function getSchema(): providerPb.GetSchemaResponse {
    return new providerPb.GetSchemaResponse().setSchema(schemaText);
}

/** GetPluginInfo: the plugin's version. */
export function getPluginInfo(): pluginPb.PluginInfo {
    return new pluginPb.PluginInfo().setVersion(PLUGIN_VERSION);
}
