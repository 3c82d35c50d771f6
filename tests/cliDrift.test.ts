/**
 * Drift in every Pulumi drift workflow, through the default real CLI (the lockfile's @pulumi/pulumi version) and
 * Pulumi's own Node.js language host: the suite is tests/support/driftSuite.ts, which says what it checks.
 * tests/cliDriftNewestCli.test.ts runs the same suite on the newest CLI.
 */
import { requireCli } from "./support/cli";
import { describeDrift } from "./support/driftSuite";

describeDrift("", requireCli);
