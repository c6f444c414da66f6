// `POST /v1/tokenize`: the model's own token count, for the context budget. The endpoint takes at
// most 65,536 characters, so longer texts are counted in pieces cut at whitespace.
import type { CohereClient } from './client';
import { CohereError } from './errors';
import type { RequestOptions } from './options';

/** The endpoint's cap on `text`, in characters. */
export const TOKENIZE_MAX_CHARS = 65_536;

export interface TokenizeRequest {
    text: string;
    model: string;
}

export interface TokenizeResponse {
    tokens: number[];
    token_strings: string[];
}

/** Tokenizes 1 to 65,536 characters. */
export async function tokenize(
    client: CohereClient,
    request: TokenizeRequest,
    options: RequestOptions = {},
): Promise<TokenizeResponse> {
    if (request.text.length === 0 || request.text.length > TOKENIZE_MAX_CHARS) {
        throw new CohereError(
            'bad_request',
            `Tokenize takes 1 to ${TOKENIZE_MAX_CHARS} characters, not ${request.text.length}.`,
        );
    }
    const raw = await client.postJson<Partial<TokenizeResponse>>('/v1/tokenize', request, options, 'tokens');
    if (!Array.isArray(raw.tokens)) throw new CohereError('protocol', 'The tokenize response has no tokens.');
    return { tokens: raw.tokens, token_strings: Array.isArray(raw.token_strings) ? raw.token_strings : [] };
}

/** The token count of any text (empty is 0), tokenizing pieces of at most 65,536 characters. */
export async function countTokens(
    client: CohereClient,
    text: string,
    model: string,
    options: RequestOptions = {},
): Promise<number> {
    let total = 0;
    for (const piece of splitForTokenize(text)) {
        total += (await tokenize(client, { text: piece, model }, options)).tokens.length;
    }
    return total;
}

/** Cuts text into pieces within the cap, at the last whitespace before it where there is one. */
export function splitForTokenize(text: string, max = TOKENIZE_MAX_CHARS): string[] {
    const pieces: string[] = [];
    let rest = text;
    while (rest.length > max) {
        const window = rest.slice(0, max);
        const lastSpace = window.search(/\s\S*$/);
        const cut = lastSpace > 0 ? lastSpace : max;
        pieces.push(rest.slice(0, cut));
        rest = rest.slice(cut);
    }
    if (rest.length > 0) pieces.push(rest);
    return pieces;
}
