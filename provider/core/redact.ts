/**
 * Keeps the token, and every piece of it, out of text that leaves this package (errors, logs, state).
 *
 * Redacting only the exact token is not enough: a server message cut at N characters can end in most of the
 * token, a JSON body can echo it escaped (`\/`, `\u00xx`), a URL can echo it percent-encoded. So every run of
 * text that matches any 8-character window of the token, in its plain, JSON-escaped or percent-encoded form,
 * is replaced. Run it before truncating, never after.
 *
 * Cost: O(text length × token length) with `indexOf`, on text that is already bounded (limits.ts).
 */

/** The shortest piece of a token that is redacted on its own. */
export const MIN_FRAGMENT = 8;

const MARK = "[redacted]";

/** The token's forms that a server or a library might echo. */
function forms(secret: string): string[] {
    const json = JSON.stringify(secret).slice(1, -1);
    const unicodeEscaped = Array.from(secret, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    return [...new Set([secret, json, encodeURIComponent(secret), unicodeEscaped])];
}

/** Replaces every occurrence of `secret`, and of any 8-character window of it or of its escaped forms. */
export function redact(text: string, secret: string | undefined): string {
    if (!secret || !text) return text;
    const covered = new Uint8Array(text.length);
    let any = false;
    for (const form of forms(secret)) {
        // A secret shorter than the window is matched whole.
        const width = Math.min(MIN_FRAGMENT, form.length);
        for (let start = 0; start + width <= form.length; start++) {
            const piece = form.slice(start, start + width);
            for (let at = text.indexOf(piece); at !== -1; at = text.indexOf(piece, at + 1)) {
                covered.fill(1, at, at + width);
                any = true;
            }
        }
    }
    if (!any) return text;
    let out = "";
    for (let i = 0; i < text.length; ) {
        if (covered[i]) {
            out += MARK;
            while (i < text.length && covered[i]) i++;
        } else {
            const next = covered.indexOf(1, i);
            const end = next === -1 ? text.length : next;
            out += text.slice(i, end);
            i = end;
        }
    }
    return out;
}
