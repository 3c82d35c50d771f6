/**
 * The drift suite (tests/support/driftSuite.ts) on the newest Pulumi CLI (`NEWEST_CLI`, which `.ci/run` builds),
 * because users run the newest CLI and drift is what its engine changes under us: Diff on refresh, exit codes,
 * the `--diff` text. A file of its own, so that `npm test`'s lanes run it beside the default CLI's.
 */
import { NEWEST_CLI } from "./support/releaseRoutes";
import { requireNewestCli } from "./support/cli";
import { describeDrift } from "./support/driftSuite";

describeDrift(` ${NEWEST_CLI}`, requireNewestCli);
