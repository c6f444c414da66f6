// How a failed Cohere request is told to VS Code's language-model callers: the kind of
// LanguageModelError (NoPermissions, Blocked, NotFound, or a plain one) and the server's own words.
import { CohereError } from '../cohere/errors';

/** Which LanguageModelError factory to use. */
export type LanguageModelErrorKind = 'NoPermissions' | 'Blocked' | 'NotFound' | 'Other';

export interface MappedError {
    readonly kind: LanguageModelErrorKind;
    readonly message: string;
    /** Whether the caller should be sent to the key setup. */
    readonly needsKey: boolean;
}

/** Maps any thrown value to the kind of LanguageModelError and the server's words. */
export function mapLanguageModelError(error: unknown): MappedError {
    if (!(error instanceof CohereError)) {
        return {
            kind: 'Other',
            message: error instanceof Error ? error.message : String(error),
            needsKey: false,
        };
    }
    switch (error.code) {
        case 'unauthorized':
        case 'no_api_key':
            return { kind: 'NoPermissions', message: error.message, needsKey: true };
        case 'forbidden':
            return { kind: 'NoPermissions', message: error.message, needsKey: false };
        case 'not_found':
            return { kind: 'NotFound', message: error.message, needsKey: false };
        case 'invalid_token':
            return { kind: 'Blocked', message: error.message, needsKey: false };
        case 'aborted':
        case 'bad_request':
        case 'generation':
        case 'interrupted':
        case 'network':
        case 'protocol':
        case 'rate_limited':
        case 'server':
        case 'timeout':
            return { kind: 'Other', message: error.message, needsKey: false };
    }
}
