// Cohere in VS Code's own chat: the language-model provider (vendor `cohere`) and the `@cohere` participant,
// registered only on a VS Code that has the final provider API (1.104+). On an older VS Code nothing is
// registered and nothing is said: the extension's own chat works as before.
import * as vscode from 'vscode';
import type { CohereModelProviderDeps } from './provider';
import { CohereModelProvider } from './provider';
import type { ParticipantDeps } from './participant';
import { registerParticipant } from './participant';
import { LANGUAGE_MODEL_VENDOR } from './vendor';
import { isAtLeast, LANGUAGE_MODEL_PROVIDER_VERSION } from './version';

/** Events after which VS Code should ask for the model list again. */
export interface NativeChatEvents {
    readonly onModelsChanged: ((listener: () => void) => { dispose(): unknown })[];
}

/** The registration function, when this VS Code has the final API. */
export function providerRegistration(): typeof vscode.lm.registerLanguageModelChatProvider {
    if (!isAtLeast(vscode.version, LANGUAGE_MODEL_PROVIDER_VERSION)) return undefined;
    const register = vscode.lm?.registerLanguageModelChatProvider;
    return typeof register === 'function' ? register : undefined;
}

/** Registers the provider and `@cohere` where VS Code supports them; returns what to dispose (nothing on older VS Code). */
export function registerNativeChat(
    deps: CohereModelProviderDeps & ParticipantDeps,
    events: NativeChatEvents,
    extensionUri: vscode.Uri,
): vscode.Disposable[] {
    const register = providerRegistration();
    if (!register) {
        deps.log.info(
            `VS Code ${vscode.version}: no language model provider API, Cohere stays out of its chat`,
        );
        return [];
    }
    const provider = new CohereModelProvider(deps);
    const disposables: vscode.Disposable[] = [
        provider,
        register(LANGUAGE_MODEL_VENDOR, provider),
        registerParticipant(deps, extensionUri),
    ];
    for (const onChange of events.onModelsChanged) {
        const subscription = onChange(() => provider.modelsChanged());
        disposables.push({ dispose: () => void subscription.dispose() });
    }
    deps.log.info(
        `VS Code ${vscode.version}: Cohere models offered to VS Code's chat (vendor ${LANGUAGE_MODEL_VENDOR})`,
    );
    return disposables;
}
