/**
 * Values on the plugin protocol's wire: a `google.protobuf.Struct` whose secrets arrive wrapped (with
 * `acceptSecrets`) as `{ <secret sig>: <secret sig value>, value }`, and whose unknowns (preview) are a sentinel
 * string. The lifecycle rules in core work on plain values, so this file unwraps what comes in, remembers what was
 * secret (which top-level keys held a secret, and the secret strings under each), and wraps what goes out by the
 * core's rule (core/secretScope.ts `secretAnswerKeys`).
 *
 * The conversion from a Struct is this file's own, not `Struct.toJavaScript()`: that one assigns each key
 * (`ret[key] = …`), so a key `__proto__` (a certificate id in `certOriginsById`, from a request or from stored
 * state) set the object's prototype instead and silently vanished. Here every key becomes an own property, as
 * `JSON.parse` makes it from an API answer, so the core's schemas see it and refuse it with their reason.
 */
import "./protoMapKeys";
import { Struct, Value } from "google-protobuf/google/protobuf/struct_pb";
import { ARG_KEYS, type Props } from "../core/clientCertsLifecycle";
import { secretAnswerKeys, type SecretInputs } from "../core/secretScope";

/** The key and value that mark a secret (`sdk/go/common/resource/sig`). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Plain values, which of their top-level keys held a secret anywhere inside, and the secret strings under each. */
export interface Unwrapped {
    props: Props;
    secretKeys: Set<string>;
    /** The strings inside a secret, by top-level key (for messages to hide and answers to keep secret). */
    secretStrings: Map<string, string[]>;
}

/** Sets `key` on `obj` as an own, enumerable property: for `__proto__` too, which an assignment would not make. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A protobuf Value as a plain value (see the file comment on why not `toJavaScript`). */
function plainValue(v: Value): unknown {
    switch (v.getKindCase()) {
        case Value.KindCase.NULL_VALUE:
            return null;
        case Value.KindCase.NUMBER_VALUE:
            return v.getNumberValue();
        case Value.KindCase.STRING_VALUE:
            return v.getStringValue();
        case Value.KindCase.BOOL_VALUE:
            return v.getBoolValue();
        case Value.KindCase.STRUCT_VALUE:
            return plainStruct(v.getStructValue());
        case Value.KindCase.LIST_VALUE:
            return (v.getListValue()?.getValuesList() ?? []).map(plainValue);
        default:
            // KIND_NOT_SET: no value, as good as null.
            return null;
    }
}

/** A Struct as a plain object whose every key is an own property. */
export function plainStruct(struct: Struct | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    struct?.getFieldsMap().forEach((value, key) => setOwn(out, key, plainValue(value)));
    return out;
}

function isSecret(v: unknown): v is { value: unknown } {
    return !!v && typeof v === "object" && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, SECRET_SIG_KEY) && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE;
}

/** Every string value in `v` (object keys are names, not values). */
function stringsIn(v: unknown, into: string[]): void {
    if (typeof v === "string") into.push(v);
    else if (Array.isArray(v)) for (const item of v) stringsIn(item, into);
    else if (v && typeof v === "object") for (const item of Object.values(v)) stringsIn(item, into);
}

/** `v` without secret wrappers, whether there was one, and the strings inside them (added to `secrets`). */
function unwrapValue(v: unknown, secrets: string[]): { value: unknown; secret: boolean } {
    if (isSecret(v)) {
        const inner = unwrapValue(v.value, secrets).value;
        stringsIn(inner, secrets);
        return { value: inner, secret: true };
    }
    if (Array.isArray(v)) {
        const items = v.map((item) => unwrapValue(item, secrets));
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (v && typeof v === "object") {
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v)) {
            const u = unwrapValue(item, secrets);
            secret ||= u.secret;
            setOwn(out, k, u.value);
        }
        return { value: out, secret };
    }
    return { value: v, secret: false };
}

/** Request Structs as plain values (an absent Struct is `{}`; later Structs' keys win), with what was secret. */
export function fromStruct(...structs: (Struct | undefined)[]): Unwrapped {
    const props: Props = {};
    const secretKeys = new Set<string>();
    const secretStrings = new Map<string, string[]>();
    for (const struct of structs) {
        for (const [k, v] of Object.entries(plainStruct(struct))) {
            const strings: string[] = [];
            const u = unwrapValue(v, strings);
            setOwn(props, k, u.value);
            if (u.secret) secretKeys.add(k);
            if (strings.length) secretStrings.set(k, [...(secretStrings.get(k) ?? []), ...strings.filter((x) => x !== "")]);
        }
    }
    return { props, secretKeys, secretStrings };
}

/**
 * The secret strings of the user's arguments (`idOrName`, `teamId`, `slug`, `requireOrigins`) in `given`: what
 * messages say as `[secret]`, and what answers keep secret wherever it appears. The provider's own inputs
 * (`certOriginsById`, and the output lists of a secret scope) are not among them: they are derived from the
 * arguments and Vercel's answer, and the rule derives their secrecy again from the arguments on every call.
 */
export function argSecretStrings(...given: Unwrapped[]): string[] {
    return [...new Set(given.flatMap((g) => ARG_KEYS.flatMap((k) => g.secretStrings.get(k) ?? [])))];
}

/** What `given` (one or more unwrapped requests) had as secret among the user's arguments, with `scope` saying whether the scope is. */
export function secretInputs(scope: boolean, ...given: Unwrapped[]): SecretInputs {
    return {
        scope,
        keys: new Set(given.flatMap((g) => ARG_KEYS.filter((k) => g.secretKeys.has(k)))),
        values: argSecretStrings(...given),
    };
}

/** `value` marked secret. */
export const secretValue = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value });

/**
 * Plain values as a Struct for a response: undefined keys dropped (protobuf has no undefined), and each key that
 * the core's rule says must be secret wrapped as one. `secret` is either what the request had as secret
 * ({@link secretInputs}), or a boolean: every key secret (a secret scope) or none.
 */
export function toStruct(props: Props, secret: SecretInputs | boolean = false): Struct {
    const given: SecretInputs = typeof secret === "boolean" ? { scope: secret, keys: new Set(), values: [] } : secret;
    const wrap = secretAnswerKeys(props, given);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props)) {
        if (v === undefined) continue;
        setOwn(out, k, wrap.has(k) ? secretValue(v) : v);
    }
    return Struct.fromJavaScript(out as Parameters<typeof Struct.fromJavaScript>[0]);
}
