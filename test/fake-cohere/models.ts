// The model catalogue the fake server lists and accepts: the real names of the API doc (section 7),
// with their context lengths, plus two non-chat models so `endpoint=chat` filtering has something to drop.
import type { ListModelsResponse, ModelInfo } from '../../src/cohere/types';

interface CatalogueEntry {
    name: string;
    contextLength: number;
    maxOutput: number;
    endpoints: string[];
    features: string[];
}

const CHAT_FEATURES = ['tools', 'json_mode', 'json_schema', 'safety_modes', 'strict_tools'];

const CATALOGUE: readonly CatalogueEntry[] = [
    chat('command-a-plus-05-2026', 128_000, 64_000, ['reasoning', 'vision']),
    chat('command-a-03-2025', 256_000, 8_000, []),
    chat('command-a-reasoning-08-2025', 256_000, 32_000, ['reasoning']),
    chat('command-a-vision-07-2025', 128_000, 8_000, ['vision']),
    chat('command-a-translate-08-2025', 8_000, 8_000, []),
    chat('command-r7b-12-2024', 128_000, 4_000, []),
    chat('command-r-08-2024', 128_000, 4_000, []),
    chat('command-r-plus-08-2024', 128_000, 4_000, []),
    chat('north-mini-code-1-0', 256_000, 64_000, ['reasoning']),
    chat('c4ai-aya-expanse-32b', 128_000, 4_000, []),
    chat('c4ai-aya-vision-32b', 16_000, 4_000, ['vision']),
    chat('tiny-aya-global', 8_000, 8_000, []),
    chat('tiny-aya-earth', 8_000, 8_000, []),
    chat('tiny-aya-fire', 8_000, 8_000, []),
    chat('tiny-aya-water', 8_000, 8_000, []),
    { name: 'embed-v4.0', contextLength: 128_000, maxOutput: 0, endpoints: ['embed'], features: [] },
    { name: 'rerank-v4.0-pro', contextLength: 32_768, maxOutput: 0, endpoints: ['rerank'], features: [] },
    { name: 'rerank-v4.0-fast', contextLength: 32_768, maxOutput: 0, endpoints: ['rerank'], features: [] },
    { name: 'rerank-v3.5', contextLength: 4_096, maxOutput: 0, endpoints: ['rerank'], features: [] },
];

/** The default model of each endpoint, for `default_only=true`. */
const DEFAULTS: Readonly<Record<string, string>> = {
    chat: 'command-a-03-2025',
    embed: 'embed-v4.0',
    rerank: 'rerank-v3.5',
};

function chat(name: string, contextLength: number, maxOutput: number, extra: string[]): CatalogueEntry {
    return { name, contextLength, maxOutput, endpoints: ['chat'], features: [...CHAT_FEATURES, ...extra] };
}

function toModelInfo(entry: CatalogueEntry): ModelInfo {
    const defaults = entry.endpoints.filter((endpoint) => DEFAULTS[endpoint] === entry.name);
    return {
        name: entry.name,
        is_deprecated: false,
        endpoints: entry.endpoints,
        finetuned: false,
        context_length: entry.contextLength,
        tokenizer_url: `https://storage.googleapis.com/cohere-public/tokenizers/${entry.name}.json`,
        default_endpoints: defaults,
        features: entry.features,
        ...(entry.endpoints.includes('chat')
            ? {
                  sampling_defaults: {
                      temperature: 0.3,
                      k: 0,
                      p: 0.75,
                      frequency_penalty: 0,
                      presence_penalty: 0,
                  },
              }
            : {}),
    };
}

const MODELS: readonly ModelInfo[] = CATALOGUE.map(toModelInfo);
const BY_NAME = new Map(MODELS.map((model) => [model.name ?? '', model]));

/** Every model of the catalogue, in listing order. */
export function allModels(): readonly ModelInfo[] {
    return MODELS;
}

/** The model with this exact name, if the catalogue has it. */
export function findModel(name: string): ModelInfo | undefined {
    return BY_NAME.get(name);
}

/** Whether the catalogue lists the model as a reasoning one (it thinks before it answers or calls tools). */
export function isReasoningModel(name: string): boolean {
    return findModel(name)?.features?.includes('reasoning') === true;
}

/** The real API's words for an unknown model (404). */
export function modelNotFoundMessage(name: string): string {
    return `model '${name}' not found, make sure the correct model ID was used and that you have access to the model.`;
}

/** A query of `GET /v1/models`, already parsed. */
export interface ModelsQuery {
    endpoint?: string;
    defaultOnly: boolean;
    pageSize: number;
    /** Offset of the first model of the page (decoded from `page_token`). */
    offset: number;
}

/** One page of the listing; `next_page_token` is present only when more models follow. */
export function listModelsPage(query: ModelsQuery): ListModelsResponse {
    let models = MODELS.filter(
        (model) => query.endpoint === undefined || model.endpoints?.includes(query.endpoint),
    );
    if (query.defaultOnly) {
        models = models.filter((model) => model.name === DEFAULTS[query.endpoint ?? '']);
    }
    const page = models.slice(query.offset, query.offset + query.pageSize);
    const nextOffset = query.offset + page.length;
    return nextOffset < models.length
        ? { models: page, next_page_token: encodePageToken(nextOffset) }
        : { models: page };
}

/** Page tokens are opaque to clients; here they carry the offset of the next page. */
export function encodePageToken(offset: number): string {
    return Buffer.from(`offset:${offset}`).toString('base64url');
}

/** The offset a page token stands for, or undefined when the token is not one of ours. */
export function decodePageToken(token: string): number | undefined {
    const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
}
