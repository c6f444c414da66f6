// The chat models of the cached catalogue (GET /v1/models?endpoint=chat) as VS Code's
// LanguageModelChatInformation, on plain shapes. Cohere's API has no field for the longest reply, so that
// comes from the documented model table (../shared/docs/cohere-v2-api.md §7), with a cautious default.
import type { ModelInfo } from '../cohere/types';

/** The fields of `LanguageModelChatInformation` this extension fills. */
export interface ChatModelInformation {
    readonly id: string;
    readonly name: string;
    readonly family: string;
    readonly version: string;
    readonly maxInputTokens: number;
    readonly maxOutputTokens: number;
    readonly tooltip: string;
    readonly detail: string;
    readonly capabilities: { readonly imageInput: boolean; readonly toolCalling: boolean };
}

/** A documented model: its context, its longest reply, and what it can do besides text. */
interface DocumentedModel {
    readonly context: number;
    readonly output: number;
    readonly features: readonly string[];
}

function documented(context: number, output: number, ...features: string[]): DocumentedModel {
    return { context, output, features };
}

/** The live chat models of the documented table. */
const DOCUMENTED_MODELS: Readonly<Record<string, DocumentedModel>> = {
    'command-a-plus-05-2026': documented(128_000, 64_000, 'tools', 'vision', 'reasoning'),
    'command-a-03-2025': documented(256_000, 8_000, 'tools'),
    'command-a-reasoning-08-2025': documented(256_000, 32_000, 'tools', 'reasoning'),
    'command-a-vision-07-2025': documented(128_000, 8_000, 'vision'),
    'command-a-translate-08-2025': documented(8_000, 8_000),
    'command-r7b-12-2024': documented(128_000, 4_000, 'tools'),
    'command-r-08-2024': documented(128_000, 4_000, 'tools'),
    'command-r-plus-08-2024': documented(128_000, 4_000, 'tools'),
    'north-mini-code-1-0': documented(256_000, 64_000, 'tools', 'reasoning'),
    'c4ai-aya-expanse-32b': documented(128_000, 4_000),
    'c4ai-aya-vision-32b': documented(16_000, 4_000, 'vision'),
    'tiny-aya-global': documented(8_000, 8_000),
    'tiny-aya-earth': documented(8_000, 8_000),
    'tiny-aya-fire': documented(8_000, 8_000),
    'tiny-aya-water': documented(8_000, 8_000),
};
/** Models the table does not name (fine-tunes, new releases): the smallest documented maximum. */
const DEFAULT_MAX_OUTPUT_TOKENS = 4_000;
/** A catalogue entry without a context length: the smallest documented context. */
const DEFAULT_CONTEXT_LENGTH = 8_000;

/** The documented longest reply of `name`. */
export function maxOutputTokens(name: string): number {
    return DOCUMENTED_MODELS[name]?.output ?? DEFAULT_MAX_OUTPUT_TOKENS;
}

/**
 * The documented models in the catalogue's shape: what the model picker lists before there is a key to ask
 * the API with (the list from the API replaces it once there is).
 */
export function documentedModels(): ModelInfo[] {
    return Object.entries(DOCUMENTED_MODELS).map(([name, model]) => ({
        name,
        endpoints: ['chat'],
        context_length: model.context,
        features: [...model.features],
    }));
}

/** The family a selector matches: the name without its date or version suffix (`command-a`, `command-r7b`). */
export function familyOf(name: string): string {
    return name.replace(/-(\d{2}-\d{4}|\d+-\d+)$/, '');
}

function thousands(tokens: number): string {
    return tokens >= 1000 ? `${Math.round(tokens / 1000)}k` : String(tokens);
}

/** Words for the tooltip, given a way to localise them (vscode.l10n.t in the extension, identity in tests). */
export type Localize = (message: string, ...args: (string | number)[]) => string;

/** One catalogue model as VS Code's model information; undefined for a model without a name. */
export function toChatModelInformation(model: ModelInfo, t: Localize): ChatModelInformation | undefined {
    const name = model.name;
    if (!name) return undefined;
    const features = model.features ?? [];
    const context = model.context_length ?? DEFAULT_CONTEXT_LENGTH;
    // A model whose documented reply is as long as its context (8k/8k) shares it: half for the prompt.
    const documentedOutput = maxOutputTokens(name);
    const output = documentedOutput < context ? documentedOutput : Math.floor(context / 2);
    const capabilities = { imageInput: features.includes('vision'), toolCalling: features.includes('tools') };
    const traits = [
        capabilities.toolCalling ? t('tools') : undefined,
        capabilities.imageInput ? t('images') : undefined,
        features.includes('reasoning') ? t('reasoning') : undefined,
    ].filter((trait): trait is string => trait !== undefined);
    const tooltip = [
        t(
            'Cohere {0}: {1} tokens of context, replies up to {2} tokens.',
            name,
            thousands(context),
            thousands(output),
        ),
        ...(traits.length > 0 ? [t('Supports {0}.', traits.join(', '))] : []),
        ...(model.is_deprecated ? [t('Deprecated by Cohere.')] : []),
    ].join(' ');
    return {
        id: name,
        name,
        family: familyOf(name),
        version: name,
        // The reply shares the context with the prompt: what is left for the prompt is the context minus it.
        maxInputTokens: context - output,
        maxOutputTokens: output,
        tooltip,
        detail: 'Cohere',
        capabilities,
    };
}

/**
 * The catalogue's chat models as model information: `preferred` (the model of `cohere.model`) first, as VS Code
 * offers a provider's first model when nothing is picked yet; then current ones before deprecated ones.
 */
export function toChatModelList(
    models: readonly ModelInfo[],
    t: Localize,
    preferred?: string,
): ChatModelInformation[] {
    return [...models]
        .filter((model) => model.endpoints === undefined || model.endpoints.includes('chat'))
        .sort(
            (a, b) =>
                Number(b.name === preferred) - Number(a.name === preferred) ||
                Number(a.is_deprecated ?? false) - Number(b.is_deprecated ?? false) ||
                (a.name ?? '').localeCompare(b.name ?? ''),
        )
        .map((model) => toChatModelInformation(model, t))
        .filter((info): info is ChatModelInformation => info !== undefined);
}
