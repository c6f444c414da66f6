// The fake server's notion of a "word", shared by embed and rerank so both agree on what texts share:
// lower-cased runs of letters and digits, with camelCase and snake_case split (`readFileSync` is
// `read`, `file`, `sync`), so code and the prose that asks about it meet on the same words.

/** The words of a text, in order, lower case. */
export function wordsOf(text: string): string[] {
    const words: string[] = [];
    for (const run of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
        const parts = run.split(/(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u);
        for (const part of parts) words.push(part.toLowerCase());
    }
    return words;
}

/** FNV-1a over the UTF-16 units: a stable 32-bit hash with no dependency. */
export function hashWord(word: string, seed = 0x811c9dc5): number {
    let hash = seed >>> 0;
    for (let i = 0; i < word.length; i++) {
        hash ^= word.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
}
