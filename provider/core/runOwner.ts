/**
 * What a "run" is, for the state that must last exactly one run (snapshots.ts, deadEnds.ts).
 *
 * A run is one Pulumi command as one process sees it. The provider host is started anew for every command, so
 * there the process is the run. A program's run is the engine connection the runtime holds (its monitor): a new
 * one for every run, also when the Automation API runs many inline programs in one long-lived process. State
 * keyed by that object is dropped with it, so nothing one run learned (an answer, a dead end) reaches the next.
 */

/** What run-scoped state belongs to: a run's engine connection, or this process. Compared by identity. */
export type RunOwner = object;

/** The owner for code running in the provider host (one process per command): the process itself. */
export const PROCESS_RUN: RunOwner = {};
