// The Language Model Chat Provider API (final in VS Code 1.104, unchanged from 1.106 to 1.140), typed here
// because engines.vscode stays ^1.100.0 and vsce refuses an @types/vscode newer than that. Only what this
// extension uses, transcribed by reading @types/vscode 1.106. The registration function is typed as possibly
// missing, so the compiler makes every use check it at run time (1.100 has no such function).
import 'vscode';

declare module 'vscode' {
    /** What a model can do besides text. Named LanguageModelChatCapabilities since 1.105. */
    export interface LanguageModelChatCapabilities {
        readonly imageInput?: boolean;
        /** true, or the most tools one request may carry. */
        readonly toolCalling?: boolean | number;
    }

    /** One model a provider offers. */
    export interface LanguageModelChatInformation {
        readonly id: string;
        readonly name: string;
        readonly family: string;
        readonly version: string;
        readonly maxInputTokens: number;
        readonly maxOutputTokens: number;
        readonly tooltip?: string;
        readonly detail?: string;
        readonly capabilities: LanguageModelChatCapabilities;
    }

    /** `silent`: do not prompt (for a key, say) while answering. */
    export interface PrepareLanguageModelChatModelOptions {
        readonly silent: boolean;
    }

    export interface ProvideLanguageModelChatResponseOptions {
        readonly modelOptions?: { readonly [name: string]: unknown };
        readonly tools?: readonly LanguageModelChatTool[];
        readonly toolMode: LanguageModelChatToolMode;
    }

    /** A message as it reaches a provider: content may hold parts of kinds this extension does not know. */
    export interface LanguageModelChatRequestMessage {
        readonly role: LanguageModelChatMessageRole;
        readonly content: ReadonlyArray<
            LanguageModelTextPart | LanguageModelToolResultPart | LanguageModelToolCallPart | unknown
        >;
        readonly name: string | undefined;
    }

    /** What a provider may report while it answers. */
    export type LanguageModelResponsePart = LanguageModelTextPart | LanguageModelToolCallPart;

    export interface LanguageModelChatProvider<
        T extends LanguageModelChatInformation = LanguageModelChatInformation,
    > {
        readonly onDidChangeLanguageModelChatInformation?: Event<void>;
        provideLanguageModelChatInformation(
            options: PrepareLanguageModelChatModelOptions,
            token: CancellationToken,
        ): ProviderResult<T[]>;
        provideLanguageModelChatResponse(
            model: T,
            messages: readonly LanguageModelChatRequestMessage[],
            options: ProvideLanguageModelChatResponseOptions,
            progress: Progress<LanguageModelResponsePart>,
            token: CancellationToken,
        ): Thenable<void>;
        provideTokenCount(
            model: T,
            text: string | LanguageModelChatRequestMessage,
            token: CancellationToken,
        ): Thenable<number>;
    }

    export namespace lm {
        /** Absent before VS Code 1.104. */
        export const registerLanguageModelChatProvider:
            ((vendor: string, provider: LanguageModelChatProvider) => Disposable) | undefined;
    }
}
