/**
 * A tiny model of the Pulumi engine for one resource: it keeps the stack state and runs each `pulumi` command
 * as the engine does, with a fresh provider host per command.
 *
 *   up:       Configure → Check(olds = stored inputs, news) → Create, or Diff(olds = stored outputs) → Update
 *   preview:  Configure → Check → Diff (never Create/Update)
 *   refresh:  Configure → Read(id, outputs, inputs)
 *   destroy:  Configure → Delete
 */
import { ProviderHost, type HostOptions } from "./providerHost";

type Props = Record<string, unknown>;

/** What the engine stores for the resource. */
export type StoredResource = { id: string; inputs: Props; outputs: Props };

/** Raised when Check reports failures, as the engine would stop the command. */
export class CheckFailedError extends Error {
    constructor(readonly failures: { property: string; reason: string }[]) {
        super(`check failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
}

/** The stack's config as `pulumi config` would hold it; `secrets` lists keys set with --secret. */
export type StackConfig = { values: Record<string, string>; secrets: string[] };

/** One resource in one stack, driven through real provider hosts. */
export class SimulatedStack {
    state: StoredResource | undefined;
    /** Every host this stack started, kept for byte searches after they exit. */
    readonly hosts: ProviderHost[] = [];

    constructor(
        readonly urn: string,
        /** The program's registered inputs, `__provider` included. */
        public programInputs: Props,
        readonly hostOptions: HostOptions,
        readonly config: StackConfig,
    ) {}

    /** Runs one command against a fresh, configured host and stops it afterwards. */
    async command<T>(run: (host: ProviderHost) => Promise<T>): Promise<T> {
        const host = await ProviderHost.start(this.hostOptions);
        this.hosts.push(host);
        try {
            await host.configure(this.config.values, this.config.secrets);
            return await run(host);
        } finally {
            await host.stop();
        }
    }

    private async checked(host: ProviderHost): Promise<Props> {
        const { inputs, failures } = await host.check(this.urn, this.state?.inputs ?? {}, this.programInputs);
        if (failures.length > 0) throw new CheckFailedError(failures);
        return inputs;
    }

    /** `pulumi up`. Returns what happened to the resource. */
    up(): Promise<"created" | "updated" | "replaced" | "same"> {
        return this.command(async (host) => {
            const inputs = await this.checked(host);
            if (!this.state) {
                const { id, outputs } = await host.create(this.urn, inputs);
                this.state = { id, inputs, outputs };
                return "created";
            }
            const diff = await host.diff(this.urn, this.state.id, this.state.outputs, inputs, this.state.inputs);
            if (diff.changes === "none") return "same";
            if (diff.replaces.length > 0) {
                const { id, outputs } = await host.create(this.urn, inputs);
                await host.delete(this.urn, this.state.id, this.state.outputs, this.state.inputs);
                this.state = { id, inputs, outputs };
                return "replaced";
            }
            const { outputs } = await host.update(this.urn, this.state.id, this.state.outputs, inputs, this.state.inputs);
            this.state = { id: this.state.id, inputs, outputs };
            return "updated";
        });
    }

    /** `pulumi preview` (no --refresh): checked inputs, and the diff when the resource exists. */
    preview(): Promise<{ inputs: Props; diff?: { changes: string; replaces: string[] } }> {
        return this.command(async (host) => {
            const inputs = await this.checked(host);
            if (!this.state) return { inputs };
            const diff = await host.diff(this.urn, this.state.id, this.state.outputs, inputs, this.state.inputs);
            return { inputs, diff };
        });
    }

    /** `pulumi refresh`: Read, then store what it returned (or drop the resource on an empty id). */
    refresh(): Promise<"refreshed" | "deleted"> {
        return this.command(async (host) => {
            const state = this.requireState();
            const read = await host.read(this.urn, state.id, state.outputs, state.inputs);
            if (read.id === "") {
                this.state = undefined;
                return "deleted";
            }
            this.state = { id: read.id, outputs: read.outputs, inputs: read.inputs ?? state.inputs };
            return "refreshed";
        });
    }

    /** `pulumi destroy`. */
    destroy(): Promise<void> {
        return this.command(async (host) => {
            const state = this.requireState();
            await host.delete(this.urn, state.id, state.outputs, state.inputs);
            this.state = undefined;
        });
    }

    private requireState(): StoredResource {
        if (!this.state) throw new Error("no resource in state");
        return this.state;
    }

    /** Every byte seen from every host of this stack. */
    allBytes(): Buffer {
        return Buffer.concat(this.hosts.map((h) => h.allBytes()));
    }
}
