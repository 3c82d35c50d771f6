/**
 * Text transformations applied to what a server sent, and the quoting of any value a message names: no
 * character that could rewrite a terminal (an escape sequence, a bidi override) reaches one raw, and no quoted
 * value or list is unbounded. Each is a single linear pass: a hostile body must not be able to make them slow
 * (a regex like `/<[^>]*>/g` is quadratic on a body of `<` characters).
 */

/** Drops `<…>` tags; an unclosed `<` drops the rest. One pass. */
export function stripTags(html: string): string {
    let out = "";
    let inTag = false;
    let runStart = 0;
    for (let i = 0; i < html.length; i++) {
        const ch = html.charCodeAt(i);
        if (!inTag && ch === 60 /* < */) {
            out += html.slice(runStart, i) + " ";
            inTag = true;
        } else if (inTag && ch === 62 /* > */) {
            inTag = false;
            runStart = i + 1;
        }
    }
    if (!inTag) out += html.slice(runStart);
    return out;
}

/** Collapses runs of whitespace to one space and trims. One pass. */
export function collapseWhitespace(text: string): string {
    let out = "";
    let pendingSpace = false;
    for (const ch of text) {
        if (/\s/.test(ch)) {
            pendingSpace = out.length > 0;
        } else {
            if (pendingSpace) out += " ";
            pendingSpace = false;
            out += ch;
        }
    }
    return out;
}

/** Cuts to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * Characters that must never reach a terminal raw, one code point at a time: controls (C0, DEL, C1: `\p{Cc}`;
 * ESC starts the sequences that clear a screen or set a window title), format characters (`\p{Cf}`: the bidi
 * embeddings, overrides, isolates and marks U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C, zero-width spaces
 * and joiners, the BOM, tag characters), line and paragraph separators, lone surrogates, and every other
 * default-ignorable code point (soft hyphen, Hangul fillers, variation selectors): text that is invisible, or
 * that makes the text around it display as something else.
 */
const UNSAFE_CLASS = "\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Default_Ignorable_Code_Point}";
const UNSAFE_CHAR = new RegExp(`[${UNSAFE_CLASS}]`, "u");
const UNSAFE_CHARS = new RegExp(`[${UNSAFE_CLASS}]`, "gu");

/** Matches text with no unsafe character (see `UNSAFE_CHAR`): for validation as a plain pattern check. */
export const SAFE_TEXT = new RegExp(`^[^${UNSAFE_CLASS}]*$`, "u");

/**
 * True when `text` holds a character that must never reach a terminal raw (see `UNSAFE_CHAR`).
 *
 * @param text Any text.
 */
export function hasUnsafeChars(text: string): boolean {
    return UNSAFE_CHAR.test(text);
}

/** A character as JSON's `\uXXXX` escapes, one per UTF-16 unit (a character beyond the BMP takes two). */
function unitEscapes(ch: string): string {
    let out = "";
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
    return out;
}

/**
 * `text` with every unsafe character (see `UNSAFE_CHAR`) written as `\uXXXX` instead. The safety net of every
 * error message: what it changes could only have come from outside (Vercel, a proxy, a setting), and the escape
 * shows that something was there. Other text, `\` included, is left as it is.
 *
 * @param text A message.
 */
export function escapeUnsafe(text: string): string {
    return text.replace(UNSAFE_CHARS, unitEscapes);
}

/**
 * Replaces every unsafe character (see `UNSAFE_CHAR`) with a space: for prose quoted from a server (an error
 * body's message), where escapes would only get in the way of reading it.
 *
 * @param text Text a server sent.
 */
export function withoutUnsafeChars(text: string): string {
    return text.replace(UNSAFE_CHARS, " ");
}

/**
 * `value` in double quotes, JSON-escaped: `"` and `\` escaped, every unsafe character as `\uXXXX`. Other
 * characters (`ü`, say) are kept, so names read as they were typed. Cut to `maxChars` characters of the escaped
 * form, ending in "…" inside the quotes. Reads `value` only up to the cut, so a 7 MB value costs nothing.
 *
 * @param value A value to name in a message: a name, an id, an origin.
 * @param maxChars Bound on the escaped text between the quotes (excluding the "…").
 */
export function quoteValue(value: string, maxChars: number): string {
    let out = "";
    for (const ch of value) {
        const piece = ch === '"' ? '\\"' : ch === "\\" ? "\\\\" : UNSAFE_CHAR.test(ch) ? unitEscapes(ch) : ch;
        if (out.length + piece.length > maxChars) return `"${out}…"`;
        out += piece;
    }
    return `"${out}"`;
}

/**
 * Values quoted (see `quoteValue`) and joined with ", ": at most `maxItems` of them, each cut to `maxChars`, then
 * "… and N more". Empty for no values.
 *
 * @param values The values, in the order to list them.
 * @param maxItems How many to name at most.
 * @param maxChars Bound on each value's escaped text.
 */
export function quotedList(values: readonly string[], maxItems: number, maxChars: number): string {
    const shown = values.slice(0, maxItems).map((v) => quoteValue(v, maxChars));
    const rest = values.length - shown.length;
    return shown.join(", ") + (rest > 0 ? `, … and ${rest} more` : "");
}
