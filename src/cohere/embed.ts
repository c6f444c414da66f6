// `POST /v2/embed`: texts to vectors, for the workspace index (chunks as `search_document`, the
// question as `search_query`). Same transport, retries and errors as chat; the response is checked
// here so a short or misshapen answer never reaches the index as a wrong vector.
import type { CohereClient } from './client';
import { CohereError } from './errors';
import type { RequestOptions } from './options';
import type { OpenEnum } from './types';

/** The API's cap on texts (or inputs) per call. */
export const EMBED_MAX_TEXTS = 96;

export type EmbedInputType = OpenEnum<
    'search_document' | 'search_query' | 'classification' | 'clustering' | 'image'
>;
export type EmbeddingType = 'float' | 'int8' | 'uint8' | 'binary' | 'ubinary';

export interface EmbedRequest {
    model: string;
    /** Required for v3 and newer models (all current ones). */
    input_type: EmbedInputType;
    /** 1 to 96 texts. */
    texts: string[];
    /** Default `['float']`. */
    embedding_types?: EmbeddingType[];
    /** embed-v4 and newer: 256, 512, 1024 or 1536 (default). */
    output_dimension?: number;
    max_tokens?: number;
    truncate?: 'NONE' | 'START' | 'END';
    priority?: number;
}

/** One vector list per requested type, each in input order. `binary`/`ubinary` are packed bits. */
export type EmbeddingsByType = Partial<Record<EmbeddingType, number[][]>>;

export interface EmbedResponse {
    id?: string;
    response_type?: string;
    embeddings: EmbeddingsByType;
    texts?: string[];
    meta?: {
        billed_units?: { input_tokens?: number; images?: number; image_tokens?: number };
        warnings?: string[];
    };
}

/** Embeds up to 96 texts in one call. Rejects `bad_request` before sending when there are none or too many. */
export async function embed(
    client: CohereClient,
    request: EmbedRequest,
    options: RequestOptions = {},
): Promise<EmbedResponse> {
    if (request.texts.length === 0 || request.texts.length > EMBED_MAX_TEXTS) {
        throw new CohereError(
            'bad_request',
            `An embed call takes 1 to ${EMBED_MAX_TEXTS} texts, not ${request.texts.length}.`,
        );
    }
    const raw = await client.postJson<unknown>('/v2/embed', request, options, 'embeddings');
    return checkEmbedResponse(raw, request);
}

/** The response, if it holds one vector per text for every requested type (legacy float form included). */
export function checkEmbedResponse(raw: unknown, request: EmbedRequest): EmbedResponse {
    if (!isRecord(raw)) throw new CohereError('protocol', 'The embed response is not a JSON object.');
    const wanted = request.embedding_types ?? ['float'];
    let embeddings: EmbeddingsByType;
    const given = raw['embeddings'];
    if (Array.isArray(given)) {
        // `embeddings_floats`: the older shape, a bare list of float vectors.
        embeddings = { float: given as number[][] };
    } else if (isRecord(given)) {
        embeddings = given as EmbeddingsByType;
    } else {
        throw new CohereError('protocol', 'The embed response has no embeddings.');
    }
    for (const type of wanted) {
        const vectors = embeddings[type];
        if (!Array.isArray(vectors) || vectors.length !== request.texts.length) {
            throw new CohereError(
                'protocol',
                `The embed response has ${Array.isArray(vectors) ? vectors.length : 'no'} ${type} embeddings for ${request.texts.length} texts.`,
            );
        }
        for (const vector of vectors) {
            if (!Array.isArray(vector) || vector.some((value) => typeof value !== 'number')) {
                throw new CohereError(
                    'protocol',
                    `The embed response has a ${type} embedding that is not a list of numbers.`,
                );
            }
        }
    }
    return { ...(raw as unknown as EmbedResponse), embeddings };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
