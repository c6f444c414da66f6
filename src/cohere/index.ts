// The public API of the Cohere client. Other layers import from here, never from the files behind it.
export { CohereClient } from './client';
export { DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './options';
export type {
    ApiKeySource,
    CohereClientOptions,
    ListModelsOptions,
    RequestOptions,
    RetryInfo,
} from './options';
export type { ChatStream } from './stream';
export { CohereError, codeForStatus, isCohereError, isRetryableStatus } from './errors';
export type { CohereErrorCode, CohereErrorOptions } from './errors';
export { CLIENT_VERSION } from './version';
export type * from './types';
export { EMBED_MAX_TEXTS, checkEmbedResponse, embed } from './embed';
export type { EmbedInputType, EmbedRequest, EmbedResponse, EmbeddingType, EmbeddingsByType } from './embed';
export { checkRerankResponse, rerank } from './rerank';
export type { RerankRequest, RerankResponse, RerankResult } from './rerank';
export { TOKENIZE_MAX_CHARS, countTokens, splitForTokenize, tokenize } from './tokenize';
export type { TokenizeRequest, TokenizeResponse } from './tokenize';
