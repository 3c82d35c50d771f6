/**
 * Values on the plugin protocol's wire: a `google.protobuf.Struct` whose secrets arrive wrapped (with
 * `acceptSecrets`) as `{ <secret sig>: <secret sig value>, value }`, and whose unknowns (preview) are a sentinel
 * string. The lifecycle rules in core work on plain values, so this file unwraps what comes in, remembers which
 * top-level keys were secret, and wraps what goes out.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Props } from "../core/clientCertsLifecycle";

/** The key and value that mark a secret (`sdk/go/common/resource/sig`). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Plain values, and which of their top-level keys held a secret anywhere inside. */
export interface Unwrapped {
    props: Props;
    secretKeys: Set<string>;
}

function isSecret(v: unknown): v is { value: unknown } {
    return !!v && typeof v === "object" && !Array.isArray(v) && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE;
}

/** `v` without secret wrappers, and whether there was one. */
function unwrapValue(v: unknown): { value: unknown; secret: boolean } {
    if (isSecret(v)) return { value: unwrapValue(v.value).value, secret: true };
    if (Array.isArray(v)) {
        const items = v.map(unwrapValue);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (v && typeof v === "object") {
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v)) {
            const u = unwrapValue(item);
            secret ||= u.secret;
            out[k] = u.value;
        }
        return { value: out, secret };
    }
    return { value: v, secret: false };
}

/** A request's Struct as plain values (an absent Struct is `{}`), with the keys that were secret. */
export function fromStruct(struct: Struct | undefined): Unwrapped {
    const raw = (struct?.toJavaScript() ?? {}) as Props;
    const props: Props = {};
    const secretKeys = new Set<string>();
    for (const [k, v] of Object.entries(raw)) {
        const u = unwrapValue(v);
        props[k] = u.value;
        if (u.secret) secretKeys.add(k);
    }
    return { props, secretKeys };
}

/** `value` marked secret. */
export const secretValue = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value });

/**
 * Plain values as a Struct for a response: undefined keys dropped (protobuf has no undefined), and every key
 * wrapped as a secret when `secret` is true (a resource whose project or team is secret).
 */
export function toStruct(props: Props, secret = false): Struct {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props)) {
        if (v === undefined) continue;
        out[k] = secret && k !== "secretScope" ? secretValue(v) : v;
    }
    return Struct.fromJavaScript(out as Parameters<typeof Struct.fromJavaScript>[0]);
}
