// The words the lexical index knows a chunk by: identifiers whole and split at camelCase and
// snake_case (`readFileSync` is `readfilesync`, `read`, `file`, `sync`), lower case, without the
// commonest English words and without bare numbers.

const STOP_WORDS = new Set(
    'a an and are as at be by do does for from how i if in is it of on or that the this to was what when where which who why will with'.split(
        ' ',
    ),
);

const MAX_TERM_LENGTH = 40;

/** Calls `emit` for every term of `text`, in order, duplicates included (term frequency counts them). */
export function forEachTerm(text: string, emit: (term: string) => void): void {
    const runs = text.match(/[A-Za-z0-9_$\u00C0-\uFFFF]+/g);
    if (runs === null) return;
    for (const run of runs) {
        if (run.length > MAX_TERM_LENGTH * 2) continue;
        // Most runs are one lower-case word: no split needed (the split regex is the costly part).
        if (!/[A-Z_$]/.test(run)) {
            keep(run, emit);
            continue;
        }
        const whole = run.toLowerCase();
        const parts = run
            .split(/_+|\$+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)
            .filter((part) => part !== '');
        if (parts.length > 1) {
            if (whole.length <= MAX_TERM_LENGTH) emit(whole.replace(/[_$]/g, ''));
            for (const part of parts) keep(part.toLowerCase(), emit);
        } else {
            keep(whole, emit);
        }
    }
}

function keep(term: string, emit: (term: string) => void): void {
    if (term.length < 2 || term.length > MAX_TERM_LENGTH) return;
    if (STOP_WORDS.has(term) || isDigits(term)) return;
    emit(term);
}

function isDigits(term: string): boolean {
    for (let i = 0; i < term.length; i++) {
        const code = term.charCodeAt(i);
        if (code < 48 || code > 57) return false;
    }
    return true;
}

/** The terms of a text as a list. */
export function termsOf(text: string): string[] {
    const terms: string[] = [];
    forEachTerm(text, (term) => terms.push(term));
    return terms;
}
