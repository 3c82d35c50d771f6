/**
 * The provider plugin through the default real CLI with Pulumi's own YAML language host: the suites are
 * tests/support/yamlSuite.ts, which says what they check. tests/pluginYamlNewestCli.test.ts runs them on the
 * newest CLI.
 */
import { requireCli } from "./support/cli";
import { describeYaml } from "./support/yamlSuite";

describeYaml("", requireCli);
