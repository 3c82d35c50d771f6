/**
 * The program's one hidden input, `programRead`: how it is packed in the program (resource.ts) and unpacked by
 * every provider call (lifecycle.ts) and by the test mocks (testing.ts), in one place so the three never disagree.
 */
import type { LiveRead } from "./liveRead";

/**
 * The one hidden input the program sends (`programRead`), for what it tells `check` beyond the arguments:
 * `secretScope: true` when the scope is secret, `liveReadFailure` when the read failed, and, for a resource whose
 * scope is plain (the lean layout of resource.ts), the resolved team and the live set too. Undefined when there is
 * nothing to say. Every key the resource registers costs Pulumi's runtime four promises with captured (and, under
 * ts-node, source-mapped) stack traces, so what needs no key of its own travels here; {@link unpackProgramRead}
 * turns it back into the inputs of those names, which is what `check` returns and the engine stores.
 *
 * @param fields What to send; undefined fields are left out.
 * @returns The input's value, or undefined when every field is undefined.
 */
export function programReadInput(fields: ProgramReadInput): ProgramReadInput | undefined {
    const sent = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as ProgramReadInput;
    return Object.keys(sent).length ? sent : undefined;
}

/** The value of the `programRead` hidden input (see {@link programReadInput}). */
export type ProgramReadInput = {
    secretScope?: true;
    liveReadFailure?: LiveRead["liveReadFailure"];
    teamId?: string;
    slug?: string;
    certOriginsById?: Record<string, string>;
};

/** The inputs `programRead` may carry, each unpacked under its own name. */
const PROGRAM_READ_FIELDS = ["secretScope", "liveReadFailure", "teamId", "slug", "certOriginsById"] as const;

/**
 * Inputs with the `programRead` hidden input unpacked into the inputs of its fields' names (`teamId`,
 * `certOriginsById`, …), as every provider call and the test mocks read them. An input already present under its
 * own name wins: older programs and state send them directly, and a resource's `ignoreChanges` puts the old
 * value there.
 *
 * @param inputs The inputs as the engine (or the mock monitor) hands them over; anything else is returned as is.
 * @param plain Unwraps a value the caller sees wrapped (the mock monitor's secrets); identity by default.
 */
export function unpackProgramRead<T>(inputs: T, plain: (v: unknown) => unknown = (v) => v): T {
    if (!inputs || typeof inputs !== "object" || !("programRead" in inputs)) return inputs;
    const { programRead, ...rest } = inputs as Record<string, unknown>;
    const read = plain(programRead);
    const fields = (read && typeof read === "object" ? read : {}) as Record<string, unknown>;
    const out: Record<string, unknown> = { ...rest };
    for (const key of PROGRAM_READ_FIELDS) {
        if (out[key] === undefined && fields[key] !== undefined && fields[key] !== null) out[key] = fields[key];
    }
    return out as T;
}
