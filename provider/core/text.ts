/**
 * Text transformations applied to what a server sent. Each is a single linear pass: a hostile body must not be
 * able to make them slow (a regex like `/<[^>]*>/g` is quadratic on a body of `<` characters).
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

/** Drops C0/C1 control characters (a terminal escape in a quoted message could rewrite the user's screen). */
export function withoutControlChars(text: string): string {
    let out = "";
    for (const ch of text) {
        const c = ch.codePointAt(0)!;
        out += c < 32 || (c >= 127 && c < 160) ? " " : ch;
    }
    return out;
}
