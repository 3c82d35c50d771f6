/**
 * The README's `<!-- cli-output: <label> -->` blocks: verbatim CLI output of `npm run example` and
 * `npm run example:plugin`. One place reads, normalizes and rewrites them, so the test that compares them with
 * what the CLI prints (tests/sandbox.test.ts) and the tour that can rewrite them (`--write-readme`) agree on
 * what "verbatim" means.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** README.md of this repository. */
export const README = path.join(__dirname, "..", "README.md");

/**
 * Trailing spaces, blank-line runs, the wall time (`Duration: 2s`) and the CLI's progress ticker (`@ previewing
 * update....`, printed only while a step is slow) are the only liberties taken. `keepWallTime` keeps the wall
 * time as printed (for writing the README: a reader sees a real one; comparisons ignore it).
 */
export function normalizeCliText(text: string, opts: { keepWallTime?: boolean } = {}): string {
    const normalized = text
        .split("\n")
        .filter((l) => !/^@ /.test(l))
        .map((l) => l.trimEnd())
        .join("\n")
        .replace(/\n{2,}/g, "\n")
        .trim();
    return opts.keepWallTime ? normalized : normalized.replace(/^Duration: (\d+h)?(\d+m)?\d+(\.\d+)?m?s$/m, "Duration: (wall time)");
}

/** Where the fenced block after `<!-- cli-output: <label> -->` is in `readme`: its body's start and end. */
function blockSpan(readme: string, label: string): { start: number; end: number } | undefined {
    const at = readme.indexOf(`<!-- cli-output: ${label} -->\n`);
    if (at < 0) return undefined;
    const fence = /```[a-z]*\n/.exec(readme.slice(at));
    if (!fence) return undefined;
    const start = at + fence.index + fence[0].length;
    const end = readme.indexOf("```", start);
    return end < 0 ? undefined : { start, end };
}

/** The body of the block after `<!-- cli-output: <label> -->` in the README, or undefined if there is none. */
export function readmeBlock(label: string, readme = fs.readFileSync(README, "utf8")): string | undefined {
    const span = blockSpan(readme, label);
    return span && readme.slice(span.start, span.end);
}

/** Replaces the body of that block with `body` (normalized CLI text, or a file as it is); false if there is none. */
export function writeReadmeBlock(label: string, body: string): boolean {
    const readme = fs.readFileSync(README, "utf8");
    const span = blockSpan(readme, label);
    if (!span) return false;
    fs.writeFileSync(README, `${readme.slice(0, span.start)}${body.replace(/\n*$/, "\n")}${readme.slice(span.end)}`);
    return true;
}
