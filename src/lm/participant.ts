// `@cohere` in VS Code's Chat view: the prompt, this participant's earlier turns and the request's
// references go to Cohere as documents through the extension's own client; the reply streams as markdown
// with an anchor to the exact lines after each citation of the person's code, the cited code as references,
// and the usage and finish reason at the end. Building the request and reading citations: participantRequest.ts.
import * as vscode from 'vscode';
import type { Logger } from '../chat/logger';
import type { CohereClient } from '../cohere';
import { isCohereError } from '../cohere';
import type { Citation, FinishReason, Usage } from '../cohere/types';
import type { CodeDocument, HistoryTurn, ParticipantCommand } from './participantRequest';
import { citedCode, codeDocuments, participantRequest, usageLine, withinBudget } from './participantRequest';
import { LANGUAGE_MODEL_VENDOR } from './vendor';

/** The participant's id in package.json's `chatParticipants`. */
export const PARTICIPANT_ID = 'cohere.participant';
/** The command that opens the key setup (also the provider's management command). */
const SET_API_KEY_COMMAND = 'cohere.setApiKey';

export interface ParticipantDeps {
    readonly client: () => CohereClient;
    readonly hasApiKey: () => Promise<boolean>;
    /** The model of the extension's own chat (`cohere.model`), used when the picked model is not Cohere's. */
    readonly defaultModel: () => string;
    readonly systemPrompt: () => string | undefined;
    readonly log: Logger;
}

/** What a finished turn keeps, for followups. */
interface TurnMetadata {
    readonly finishReason?: FinishReason | undefined;
    readonly usage?: Usage | undefined;
}

function commandOf(request: vscode.ChatRequest): ParticipantCommand {
    return request.command === 'explain' || request.command === 'ask' ? request.command : undefined;
}

function historyOf(context: vscode.ChatContext): HistoryTurn[] {
    const turns: HistoryTurn[] = [];
    for (const turn of context.history) {
        if (turn.participant !== PARTICIPANT_ID) continue;
        if (turn instanceof vscode.ChatRequestTurn) {
            turns.push({ role: 'user', text: turn.prompt });
        } else if (turn instanceof vscode.ChatResponseTurn) {
            const text = turn.response
                .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
                .join('');
            turns.push({ role: 'assistant', text });
        }
    }
    return turns;
}

async function readText(uri: vscode.Uri, range?: vscode.Range): Promise<string> {
    const document = await vscode.workspace.openTextDocument(uri);
    return document.getText(range);
}

/** The request's references (`#file`, selections, locations, text) as documents, within the budget. */
async function referenceDocuments(
    references: readonly vscode.ChatPromptReference[],
    log: Logger,
): Promise<CodeDocument[]> {
    const documents: CodeDocument[] = [];
    for (const [index, reference] of references.entries()) {
        const prefix = `ref${index}`;
        const value = reference.value;
        try {
            if (value instanceof vscode.Uri) {
                const path = vscode.workspace.asRelativePath(value);
                documents.push(...codeDocuments(prefix, path, value.toString(), await readText(value)));
            } else if (value instanceof vscode.Location) {
                const path = vscode.workspace.asRelativePath(value.uri);
                const whole = value.range.isEmpty;
                const text = await readText(value.uri, whole ? undefined : value.range);
                const firstLine = whole ? 1 : value.range.start.line + 1;
                documents.push(...codeDocuments(prefix, path, value.uri.toString(), text, firstLine));
            } else {
                // Text references are VS Code's own prompt material (its "Chat customizations index" of
                // agent skills, say), not the person's code: they would crowd out the code and be cited.
                log.debug(`@cohere: reference ${reference.id} is not a file or a location; not sent`);
            }
        } catch (error) {
            log.warn(`@cohere: reference ${reference.id} could not be read: ${String(error)}`);
        }
    }
    return withinBudget(documents);
}

function locationOf(document: CodeDocument): vscode.Location {
    const range = new vscode.Range(document.startLine - 1, 0, document.endLine - 1, document.endCharacter);
    return new vscode.Location(vscode.Uri.parse(document.uri), range);
}

/** Handles one `@cohere` request. */
async function answer(
    deps: ParticipantDeps,
    request: vscode.ChatRequest,
    context: vscode.ChatContext,
    response: vscode.ChatResponseStream,
    token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
    if (!(await deps.hasApiKey())) {
        response.markdown(vscode.l10n.t('No Cohere API key is set yet. Set it, then ask again.'));
        response.button({ command: SET_API_KEY_COMMAND, title: vscode.l10n.t('Set API Key') });
        return {};
    }
    const documents = await referenceDocuments(request.references, deps.log);
    const model = request.model?.vendor === LANGUAGE_MODEL_VENDOR ? request.model.id : deps.defaultModel();
    const body = participantRequest({
        model,
        prompt: request.prompt,
        command: commandOf(request),
        history: historyOf(context),
        documents,
        systemPrompt: deps.systemPrompt(),
    });
    deps.log.info(`@cohere: ${model}, ${body.messages.length} messages, ${documents.length} documents`);
    const byId = new Map(documents.map((document) => [document.id, document]));
    const cited: CodeDocument[] = [];
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    let finishReason: FinishReason | undefined;
    let usage: Usage | undefined;
    try {
        const stream = deps.client().chatStream(body, { signal: controller.signal });
        for await (const event of stream) {
            if (event.type === 'content-delta' || event.type === 'content-start') {
                const text = event.delta?.message?.content?.text;
                if (text) response.markdown(text);
            } else if (event.type === 'citation-start') {
                const citation: Citation | undefined = event.delta?.message?.citations;
                for (const document of citation ? citedCode(citation, byId) : []) {
                    response.anchor(locationOf(document), document.title);
                    if (!cited.includes(document)) cited.push(document);
                }
            } else if (event.type === 'message-end') {
                finishReason = event.delta?.finish_reason;
                usage = event.delta?.usage;
            }
        }
    } catch (error) {
        if (token.isCancellationRequested) return {};
        deps.log.warn(`@cohere: ${String(error)}`);
        const message = error instanceof Error ? error.message : String(error);
        if (isCohereError(error) && (error.code === 'unauthorized' || error.code === 'no_api_key')) {
            response.button({ command: SET_API_KEY_COMMAND, title: vscode.l10n.t('Set API Key') });
        }
        return { errorDetails: { message } };
    } finally {
        cancel.dispose();
    }
    for (const document of cited) response.reference(locationOf(document));
    const line = usageLine(usage, finishReason, vscode.l10n.t);
    if (line !== '') response.markdown(`\n\n*${line}*`);
    const metadata: TurnMetadata = { finishReason, usage };
    return { metadata };
}

/** Registers `@cohere`; call only where the Chat view exists (VS Code 1.104+ here). */
export function registerParticipant(deps: ParticipantDeps, extensionUri: vscode.Uri): vscode.Disposable {
    const participant = vscode.chat.createChatParticipant(
        PARTICIPANT_ID,
        (request, context, response, token) => answer(deps, request, context, response, token),
    );
    participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    participant.followupProvider = {
        provideFollowups(result) {
            const metadata = result.metadata as TurnMetadata | undefined;
            if (metadata?.finishReason !== 'MAX_TOKENS') return [];
            return [
                { prompt: vscode.l10n.t('Continue'), label: vscode.l10n.t('Continue the cut-off reply') },
            ];
        },
    };
    return participant;
}
