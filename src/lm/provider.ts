// The Language Model Chat Provider of vendor `cohere`: Cohere's chat models in VS Code's model picker, for
// VS Code's own chat and agent and for any extension that calls vscode.lm. A thin adapter: the models come
// from the catalogue the chat uses, requests go through the extension's one client (key, base URL, proxy,
// retries, timeouts, log), and the mapping lives in messages.ts / replyParts.ts / errors.ts (no vscode).
import * as vscode from 'vscode';
import type { Logger } from '../chat/logger';
import type { CohereClient, ModelInfo } from '../cohere';
import { mapLanguageModelError } from './errors';
import type { ChatModelInformation } from './modelInfo';
import { documentedModels, toChatModelList } from './modelInfo';
import { maxTokensFrom, toChatRequest } from './messages';
import type { PlainMessage, PlainPart } from './messages';
import { ReplyPartMapper } from './replyParts';
import type { TokenCounter } from './tokens';

/** What the provider needs from the rest of the extension. */
export interface CohereModelProviderDeps {
    /** The current client (rebuilt when settings change). */
    readonly client: () => CohereClient;
    /** The cached chat catalogue (GET /v1/models?endpoint=chat), the one the chat uses. */
    readonly models: {
        list(): Promise<readonly ModelInfo[]>;
        known(): readonly ModelInfo[] | undefined;
    };
    readonly hasApiKey: () => Promise<boolean>;
    /** The model of the extension's own chat (`cohere.model`), listed first. */
    readonly preferredModel: () => string;
    readonly tokens: TokenCounter;
    readonly log: Logger;
}

function isUint8Array(value: unknown): value is Uint8Array {
    return value instanceof Uint8Array;
}

/** One part of VS Code's message content as a plain part (unknown kinds are skipped by the mapping). */
export function toPlainPart(part: unknown): PlainPart {
    if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: part.value };
    if (part instanceof vscode.LanguageModelToolCallPart) {
        return { kind: 'toolCall', callId: part.callId, name: part.name, input: part.input };
    }
    if (part instanceof vscode.LanguageModelToolResultPart) {
        return { kind: 'toolResult', callId: part.callId, content: part.content.map(toPlainPart) };
    }
    // LanguageModelDataPart (1.106+): read by shape, because the class exists in 1.100 as a proposal.
    if (typeof part === 'object' && part !== null) {
        const candidate = part as { mimeType?: unknown; data?: unknown; value?: unknown };
        if (typeof candidate.mimeType === 'string' && isUint8Array(candidate.data)) {
            return { kind: 'data', mimeType: candidate.mimeType, data: candidate.data };
        }
        // A prompt-tsx part or another text-like part from a newer VS Code.
        if (typeof candidate.value === 'string') return { kind: 'text', value: candidate.value };
    }
    return { kind: 'unknown' };
}

function toPlainMessage(message: vscode.LanguageModelChatRequestMessage): PlainMessage {
    return { role: Number(message.role), content: message.content.map(toPlainPart) };
}

/** The text VS Code asks to count: a string, or a message's text parts. */
function countedText(text: string | vscode.LanguageModelChatRequestMessage): string {
    if (typeof text === 'string') return text;
    return text.content
        .map(toPlainPart)
        .map((part) => {
            if (part.kind === 'text') return part.value;
            if (part.kind === 'toolCall') return `${part.name} ${JSON.stringify(part.input)}`;
            if (part.kind === 'toolResult') {
                return part.content.map((inner) => (inner.kind === 'text' ? inner.value : '')).join('');
            }
            return '';
        })
        .join('\n');
}

/** An AbortSignal that fires when `token` is cancelled; dispose() detaches it. */
function signalOf(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    if (token.isCancellationRequested) controller.abort();
    const listener = token.onCancellationRequested(() => controller.abort());
    return { signal: controller.signal, dispose: () => listener.dispose() };
}

export class CohereModelProvider implements vscode.LanguageModelChatProvider<ChatModelInformation> {
    private readonly _onDidChange = new vscode.EventEmitter<void>();
    readonly onDidChangeLanguageModelChatInformation = this._onDidChange.event;

    constructor(private readonly deps: CohereModelProviderDeps) {}

    /** The model list changed (key set or cleared, endpoint changed, catalogue refreshed). */
    modelsChanged(): void {
        this._onDidChange.fire();
    }

    async provideLanguageModelChatInformation(
        options: vscode.PrepareLanguageModelChatModelOptions,
        _token: vscode.CancellationToken,
    ): Promise<ChatModelInformation[]> {
        // Without a key the catalogue cannot be fetched: the documented models are listed, nothing prompts,
        // and a request says how to set the key.
        const hasKey = await this.deps.hasApiKey();
        let models = this.deps.models.known();
        if (models === undefined && hasKey) {
            try {
                models = await this.deps.models.list();
            } catch (error) {
                this.deps.log.warn(`language models: the model list could not be loaded: ${String(error)}`);
            }
        }
        const list = toChatModelList(models ?? documentedModels(), vscode.l10n.t, this.deps.preferredModel());
        this.deps.log.debug(`language models: ${list.length} listed (silent: ${String(options.silent)})`);
        return list;
    }

    async provideLanguageModelChatResponse(
        model: ChatModelInformation,
        messages: readonly vscode.LanguageModelChatRequestMessage[],
        options: vscode.ProvideLanguageModelChatResponseOptions,
        progress: vscode.Progress<vscode.LanguageModelResponsePart>,
        token: vscode.CancellationToken,
    ): Promise<void> {
        if (!(await this.deps.hasApiKey())) throw this.noKeyError();
        const request = toChatRequest({
            model: model.id,
            messages: messages.map(toPlainMessage),
            tools: options.tools,
            toolMode: options.toolMode,
            imageInput: model.capabilities.imageInput,
            maxTokens: maxTokensFrom(options.modelOptions),
        });
        this.deps.log.info(
            `language model request: ${model.id}, ${request.messages.length} messages, ${request.tools?.length ?? 0} tools`,
        );
        const cancel = signalOf(token);
        const mapper = new ReplyPartMapper();
        try {
            const stream = this.deps.client().chatStream(request, { signal: cancel.signal });
            for await (const event of stream) {
                for (const part of mapper.map(event)) {
                    if (part.kind === 'text') progress.report(new vscode.LanguageModelTextPart(part.value));
                    else
                        progress.report(
                            new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input),
                        );
                }
            }
            this.deps.log.info(
                `language model reply: ${model.id}, finish ${mapper.finishReason ?? '?'}, ` +
                    `${mapper.usage?.tokens?.input_tokens ?? '?'} in / ${mapper.usage?.tokens?.output_tokens ?? '?'} out`,
            );
        } catch (error) {
            if (token.isCancellationRequested) {
                this.deps.log.info(`language model request cancelled: ${model.id}`);
                throw new vscode.CancellationError();
            }
            this.deps.log.warn(`language model request failed: ${String(error)}`);
            throw this.toLanguageModelError(error);
        } finally {
            cancel.dispose();
        }
    }

    async provideTokenCount(
        model: ChatModelInformation,
        text: string | vscode.LanguageModelChatRequestMessage,
        token: vscode.CancellationToken,
    ): Promise<number> {
        const cancel = signalOf(token);
        try {
            return await this.deps.tokens.count(countedText(text), model.id, cancel.signal);
        } finally {
            cancel.dispose();
        }
    }

    dispose(): void {
        this._onDidChange.dispose();
    }

    private noKeyError(): vscode.LanguageModelError {
        return vscode.LanguageModelError.NoPermissions(
            `${vscode.l10n.t('No Cohere API key is set.')} ${this.noKeyMessage()}`,
        );
    }

    private noKeyMessage(): string {
        return vscode.l10n.t(
            'Set your Cohere API key with "Cohere: Set API Key" (or the gear next to the Cohere models in the model picker), or the CO_API_KEY environment variable.',
        );
    }

    private toLanguageModelError(error: unknown): Error {
        const mapped = mapLanguageModelError(error);
        switch (mapped.kind) {
            case 'NoPermissions':
                return vscode.LanguageModelError.NoPermissions(
                    mapped.needsKey ? `${mapped.message} ${this.noKeyMessage()}` : mapped.message,
                );
            case 'Blocked':
                return vscode.LanguageModelError.Blocked(mapped.message);
            case 'NotFound':
                return vscode.LanguageModelError.NotFound(mapped.message);
            case 'Other':
                return new vscode.LanguageModelError(mapped.message);
        }
    }
}
