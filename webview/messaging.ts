// The webview's only way to talk to the extension host. `acquireVsCodeApi` may be called once per page,
// so this module calls it once and keeps the handle private; everything else posts through `post`.
import type { WebviewToHostMessage } from '../src/protocol';

/** Light UI state VS Code keeps for a hidden webview (getState/setState); never conversation data. */
export interface UiState {
    readonly conversationId?: string;
    readonly scrollTop?: number;
    readonly atBottom?: boolean;
    readonly draft?: string;
    /** How many times this view's draft changed (SaveDraft.revision of the last change). */
    readonly draftRevision?: number;
    /** A message that waited for the streaming reply to end. */
    readonly queued?: string | undefined;
    /** `${turnId}:${blockIndex}` of thinking blocks the reader left open (or opened). */
    readonly openThinking?: readonly string[];
}

interface VsCodeApi {
    postMessage(message: unknown): void;
    getState(): unknown;
    setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode: VsCodeApi = acquireVsCodeApi();

/** Sends one typed message to the extension host. */
export function post(message: WebviewToHostMessage): void {
    vscode.postMessage(message);
}

/** The UI state saved by an earlier instance of this view, or an empty one. */
export function loadUiState(): UiState {
    const saved = vscode.getState();
    return typeof saved === 'object' && saved !== null ? (saved as UiState) : {};
}

let current: UiState = loadUiState();

/** Merges `patch` into the saved UI state. */
export function saveUiState(patch: Partial<UiState>): void {
    current = { ...current, ...patch };
    vscode.setState(current);
}

/** The UI state as last saved. */
export function uiState(): UiState {
    return current;
}
