// POST /v2/embed: deterministic embeddings in which texts that share words are close: a hashed bag of
// words, each word a dense pseudo-random direction, the sum normalised, so cosine similarity grows
// with shared words. Checks and messages follow the real API
// (embed doc section 1.4); the quantised forms follow its response shapes (section 1.2).
import { modelNotFoundMessage } from './models';
import { bad, bodyWithModel } from './jsonRequest';
import { sendError, sendJson } from './respond';
import type { RouteContext } from './server';
import { hashWord, wordsOf } from './words';

/** The embed models the fake knows, with their dimension(s); the first is the default. */
const EMBED_MODELS: Readonly<Record<string, { dimensions: readonly number[]; flexible: boolean }>> = {
    'embed-v4.0': { dimensions: [1536, 1024, 512, 256], flexible: true },
    'embed-english-v3.0': { dimensions: [1024], flexible: false },
    'embed-english-light-v3.0': { dimensions: [384], flexible: false },
    'embed-multilingual-v3.0': { dimensions: [1024], flexible: false },
    'embed-multilingual-light-v3.0': { dimensions: [384], flexible: false },
};

const INPUT_TYPES = new Set(['search_document', 'search_query', 'classification', 'clustering', 'image']);
const EMBEDDING_TYPES = new Set(['float', 'int8', 'uint8', 'binary', 'ubinary', 'base64']);
const MAX_TEXTS = 96;

/**
 * The float embedding of one text (unit length; all zeros for a text without words). Each word adds a
 * dense pseudo-random +-1 direction seeded by its hash (weighted 1 + log tf), so vectors are dense like
 * real ones and their sign bits (the binary types) keep the closeness: texts sharing words agree on
 * more bits.
 */
export function fakeEmbedding(text: string, dimension: number): Float32Array {
    const vector = new Float32Array(dimension);
    const counts = new Map<string, number>();
    for (const word of wordsOf(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
    for (const [word, count] of counts) {
        const weight = 1 + Math.log(count);
        let state = hashWord(word) || 1;
        for (let i = 0; i < dimension; i += 32) {
            // xorshift32: 32 signs per step.
            state ^= state << 13;
            state ^= state >>> 17;
            state ^= state << 5;
            for (let bit = 0; bit < 32 && i + bit < dimension; bit++) {
                vector[i + bit] = (vector[i + bit] ?? 0) + ((state >>> bit) & 1 ? weight : -weight);
            }
        }
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < dimension; i++) vector[i] = (vector[i] ?? 0) / norm;
    return vector;
}

/** int8 as the API scales it: each component times 127 over the largest magnitude. */
function toInt8(vector: Float32Array): number[] {
    let max = 0;
    for (const value of vector) max = Math.max(max, Math.abs(value));
    return Array.from(vector, (value) => (max === 0 ? 0 : Math.round((value / max) * 127)));
}

/** Packed sign bits, most significant first; `binary` is the unsigned byte minus 128 (an inference). */
function toBits(vector: Float32Array, signed: boolean): number[] {
    const bytes: number[] = [];
    for (let i = 0; i < vector.length; i += 8) {
        let byte = 0;
        for (let bit = 0; bit < 8; bit++) byte = (byte << 1) | ((vector[i + bit] ?? 0) > 0 ? 1 : 0);
        bytes.push(signed ? byte - 128 : byte);
    }
    return bytes;
}

function encode(type: string, vector: Float32Array): number[] | string {
    switch (type) {
        case 'int8':
            return toInt8(vector);
        case 'uint8':
            return toInt8(vector).map((value) => value + 128);
        case 'binary':
            return toBits(vector, true);
        case 'ubinary':
            return toBits(vector, false);
        case 'base64':
            return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
        default:
            return Array.from(vector, (value) => Math.round(value * 1e6) / 1e6);
    }
}

/** POST /v2/embed */
export function handleEmbed(context: RouteContext): void {
    const request = bodyWithModel(context);
    if (request === undefined) return;
    const { body, model } = request;
    const { res } = context;
    const known = EMBED_MODELS[model];
    if (known === undefined) {
        sendError(res, { status: 404, message: modelNotFoundMessage(model) });
        return;
    }
    const inputType = body['input_type'];
    if (typeof inputType !== 'string' || !INPUT_TYPES.has(inputType)) {
        sendError(res, bad('valid input_type must be provided with the provided model'));
        return;
    }
    const texts = body['texts'];
    if (!Array.isArray(texts) || texts.length === 0) {
        sendError(res, bad('texts must be a non-empty list of strings.'));
        return;
    }
    if (texts.length > MAX_TEXTS) {
        sendError(res, bad(`total number of texts must be at most ${MAX_TEXTS} - received ${texts.length}`));
        return;
    }
    const emptyAt = texts.findIndex((text) => typeof text !== 'string' || text === '');
    if (emptyAt >= 0) {
        sendError(res, bad(`inputs contains an element that is the empty string at index ${emptyAt}`));
        return;
    }
    const types = body['embedding_types'] ?? ['float'];
    if (!Array.isArray(types) || types.length === 0) {
        sendError(res, { status: 400, message: 'embedding_types parameter is required' });
        return;
    }
    const unknownType = types.find((type) => typeof type !== 'string' || !EMBEDDING_TYPES.has(type));
    if (unknownType !== undefined) {
        sendError(
            res,
            bad(
                `embedding_types must be one of float, int8, uint8, binary, ubinary, base64 - received ${String(unknownType)}`,
            ),
        );
        return;
    }
    const requested = body['output_dimension'];
    let dimension = known.dimensions[0] ?? 1024;
    if (requested !== undefined) {
        if (!known.flexible) {
            sendError(res, bad(`output_dimension is not supported for model ${model}`));
            return;
        }
        if (typeof requested !== 'number' || !known.dimensions.includes(requested)) {
            sendError(
                res,
                bad(
                    `output_dimension must be one of ${[...known.dimensions].sort((a, b) => a - b).join(', ')}`,
                ),
            );
            return;
        }
        dimension = requested;
    }
    const vectors = (texts as string[]).map((text) => fakeEmbedding(text, dimension));
    const embeddings: Record<string, (number[] | string)[]> = {};
    for (const type of types as string[]) embeddings[type] = vectors.map((vector) => encode(type, vector));
    const inputTokens = (texts as string[]).reduce((sum, text) => sum + wordsOf(text).length, 0);
    sendJson(res, 200, {
        id: `fake-embed-${inputTokens}-${texts.length}`,
        response_type: body['embedding_types'] === undefined ? 'embeddings_floats' : 'embeddings_by_type',
        embeddings: body['embedding_types'] === undefined ? embeddings['float'] : embeddings,
        texts,
        meta: { api_version: { version: '2' }, billed_units: { input_tokens: inputTokens } },
    });
}
