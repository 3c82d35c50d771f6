/**
 * The plugin's YAML suites (tests/support/yamlSuite.ts) on the newest Pulumi CLI (`NEWEST_CLI`, which `.ci/run`
 * builds), because YAML users run the newest CLI and its engine drives the plugin's Check, Diff, Read and import.
 * A file of its own, so that `npm test`'s lanes run it beside the default CLI's.
 */
import { NEWEST_CLI } from "./support/releaseRoutes";
import { requireNewestCli } from "./support/cli";
import { describeYaml } from "./support/yamlSuite";

describeYaml(` ${NEWEST_CLI}`, requireNewestCli);
