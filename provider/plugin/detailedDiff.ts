/**
 * The `detailedDiff` a Diff returns, so `--diff` shows one line per changed certificate, naming its id. It names
 * keys of the hidden input `certOriginsById` with `inputDiff: true`: the engine then renders
 * `+ certOriginsById.<id>`, `- …` or `~ …` correctly in previews and (inverted) in refreshes, where naming the
 * output lists would render as deletions of their old values.
 */
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type { Props } from "../core/clientCertsLifecycle";

const Kind = providerPb.PropertyDiff.Kind;

/** A property path for a map key: `certOriginsById.cert_1`, or `certOriginsById["odd.id"]` for other keys. */
export function mapKeyPath(map: string, key: string): string {
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${map}.${key}` : `${map}[${JSON.stringify(key)}]`;
}

/** The certificate map in `props`: `certOriginsById`, else built from `clientCerts` (older outputs). */
function certMap(props: Props): Record<string, string> {
    const byId = props.certOriginsById;
    if (byId && typeof byId === "object" && !Array.isArray(byId)) return byId as Record<string, string>;
    const out: Record<string, string> = {};
    if (Array.isArray(props.clientCerts)) for (const c of props.clientCerts) if (c && typeof c.id === "string") out[c.id] = String(c.origin);
    return out;
}

/**
 * Per-property differences between `olds` (stored or freshly read outputs) and `news` (checked or stored
 * inputs): each certificate added, removed or re-pointed, `requireOrigins`, and the replaced scope keys.
 */
export function detailedDiff(olds: Props, news: Props, replaces: readonly string[]): Map<string, providerPb.PropertyDiff> {
    const out = new Map<string, providerPb.PropertyDiff>();
    const diff = (kind: providerPb.PropertyDiff.Kind) => new providerPb.PropertyDiff().setKind(kind).setInputdiff(true);
    for (const key of replaces) out.set(key, diff(Kind.UPDATE_REPLACE));
    const before = certMap(olds);
    const after = certMap(news);
    for (const id of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
        if (!(id in before)) out.set(mapKeyPath("certOriginsById", id), diff(Kind.ADD));
        else if (!(id in after)) out.set(mapKeyPath("certOriginsById", id), diff(Kind.DELETE));
        else if (before[id] !== after[id]) out.set(mapKeyPath("certOriginsById", id), diff(Kind.UPDATE));
    }
    if (JSON.stringify(olds.requireOrigins ?? null) !== JSON.stringify(news.requireOrigins ?? null)) {
        out.set("requireOrigins", diff(Kind.UPDATE));
    }
    return out;
}
