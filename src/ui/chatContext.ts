// The `ChatContext` every view receives besides its conversation: model, context length, whether a key
// exists (never the key), demo mode, streaming, and the history list. No vscode import.
import type { ConversationSummary } from '../chat/model';
import type { ChatContext } from '../protocol';
import { sortModelsForPicker, type ModelCatalog } from './modelCatalog';

export interface ChatContextSources {
    readonly settings: () => { readonly model: string; readonly stream: boolean };
    readonly models: Pick<ModelCatalog, 'contextLength'> & Partial<Pick<ModelCatalog, 'known'>>;
    readonly hasApiKey: () => Promise<boolean>;
    readonly history: () => readonly ConversationSummary[];
    readonly demo: boolean;
}

/** True when the extension runs the offline demo against the local fake Cohere server. */
export function isDemoMode(env: NodeJS.ProcessEnv): boolean {
    return env['COHERE_CHAT_DEMO'] === '1';
}

/** Builds the context as it is now. */
export async function buildChatContext(sources: ChatContextSources): Promise<ChatContext> {
    const hasApiKey = await sources.hasApiKey();
    const { model, stream } = sources.settings();
    const contextLength = sources.models.contextLength(model);
    return {
        model,
        ...(contextLength === undefined ? {} : { contextLength }),
        hasApiKey,
        demo: sources.demo,
        stream,
        history: sources.history(),
        models: sortModelsForPicker(sources.models.known?.() ?? [])
            .filter((model) => !model.is_deprecated)
            .map((model) =>
                model.context_length === undefined
                    ? { name: model.name }
                    : { name: model.name, contextLength: model.context_length },
            ),
    };
}
