// The key in use never leaves through the server's own words. A gateway, proxy or broken server may
// quote the request back in an error body or a generation error (its Authorization header, a URL with
// the key, a basic-auth pair): every message the client builds from what the server sent is scrubbed
// of the key, as it is and in the encoded forms it travels in, before anyone can store, show or log it.
import { CohereError } from './errors';

/** Keys shorter than this are not scrubbed: cutting every "k" out of a message would garble it, and no real key is that short. */
const MIN_SCRUBBED_LENGTH = 6;

const MASK = '***';

/** The forms a key may be quoted in: as is, URL-encoded, base64 and base64url (alone or in a basic-auth pair). */
export function keyForms(key: string): string[] {
    if (key.length < MIN_SCRUBBED_LENGTH) return [];
    const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
    const forms = new Set<string>([
        key,
        encodeURIComponent(key),
        encodeURIComponent(key).replace(/%20/g, '+'),
        base64(key),
        base64(key).replace(/=+$/, ''),
        Buffer.from(key, 'utf8').toString('base64url'),
        base64(`${key}:`).replace(/=+$/, ''),
        base64(`:${key}`).replace(/=+$/, ''),
        JSON.stringify(key).slice(1, -1),
    ]);
    // Longest first, so a form that contains another is cut whole.
    return [...forms]
        .filter((form) => form.length >= MIN_SCRUBBED_LENGTH)
        .sort((a, b) => b.length - a.length);
}

/** `text` with every form of `key` replaced by `***`. */
export function scrubKey(text: string, key: string | undefined): string {
    if (key === undefined || text === '') return text;
    let result = text;
    for (const form of keyForms(key)) {
        if (result.includes(form)) result = result.split(form).join(MASK);
    }
    return result;
}

/** The error with the key scrubbed from its message (the same error when there was nothing to cut). */
export function scrubError(error: CohereError, key: string | undefined): CohereError {
    const message = scrubKey(error.message, key);
    const detail = error.detail === undefined ? undefined : scrubKey(error.detail, key);
    if (message === error.message && detail === error.detail) return error;
    // The cause may quote the key too, and nothing needs it once the message says what happened.
    return new CohereError(error.code, message, {
        ...(error.status === undefined ? {} : { status: error.status }),
        retryable: error.retryable,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
        ...(error.errorType === undefined ? {} : { errorType: error.errorType }),
        ...(detail === undefined ? {} : { detail }),
    });
}
