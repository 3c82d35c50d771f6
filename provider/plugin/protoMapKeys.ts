/**
 * Map keys named `__proto__` on the wire, kept. A `google.protobuf.Struct`'s fields are a protobuf map, which the
 * JavaScript runtime (google-protobuf 3.21.4, `jspb.Map`) keeps in a plain object by assignment
 * (`store[key] = entry`). For the key `__proto__` that assignment sets the store's prototype instead of adding the
 * key, so the entry silently vanished when a request was decoded: a `certOriginsById` key `__proto__` (from a
 * hostile Check, or from edited state) was dropped, and the live set quietly shortened, where the core refuses
 * such a key from the API with its reason.
 *
 * This module, loaded before any request is decoded (wireValues.ts imports it), makes `jspb.Map#set` store that
 * one key as an own property, as `JSON.parse` does; every other read of the map (`get`, `forEach`, the entry list,
 * serialization) then sees it like any other key, and the core's schemas refuse it with the reason. Every other
 * key goes through the runtime's own `set` untouched.
 */
import { Map as JspbMap } from "google-protobuf";

/** The one key an assignment cannot store. */
const PROTO_KEY = "__proto__";
/** A key no request carries, under which the runtime's own `set` builds the entry before it is moved. */
const PLACEHOLDER = "\u0000vercel-client-certs:proto-key\u0000";

type MapSet = (this: JspbMap<unknown, unknown>, key: unknown, value: unknown) => JspbMap<unknown, unknown>;
const proto = JspbMap.prototype as unknown as { set: MapSet & { keepsProtoKey?: true } };

if (!proto.set.keepsProtoKey) {
    const runtimeSet = proto.set;
    const set: MapSet & { keepsProtoKey?: true } = function (this: JspbMap<unknown, unknown>, key: unknown, value: unknown) {
        if (String(key) !== PROTO_KEY) return runtimeSet.call(this, key, value);
        runtimeSet.call(this, PLACEHOLDER, value);
        // The runtime's store is the own object property that now holds the placeholder's entry.
        const store = Object.values(this as object).find(
            (v): v is Record<string, { key: unknown }> => !!v && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, PLACEHOLDER),
        );
        if (!store) throw new Error("google-protobuf's map layout is not the one vercel-client-certs knows; cannot keep a key __proto__");
        const entry = store[PLACEHOLDER];
        delete store[PLACEHOLDER];
        entry.key = key;
        Object.defineProperty(store, PROTO_KEY, { value: entry, enumerable: true, writable: true, configurable: true });
        return this;
    };
    set.keepsProtoKey = true;
    proto.set = set;
}

/** True once this module has taught the runtime's maps to keep a `__proto__` key (always, after import). */
export const protoMapKeysKept = (): boolean => proto.set.keepsProtoKey === true;
