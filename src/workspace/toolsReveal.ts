// A citation of a tool result opens the lines the tool read: the document is found in the turns'
// tool steps and shaped as an attachment, so the usual reveal (with its "the file changed" care) applies.
import * as vscode from 'vscode';
import type { Attachment, Conversation } from '../chat/model';

/** The tool document `documentId` (`<call id>:<n>`) as an attachment, when it shows a file's lines. */
export function toolDocumentAttachment(
    conversation: Conversation,
    documentId: string,
): Attachment | undefined {
    for (const turn of conversation.turns) {
        for (const step of turn.steps ?? []) {
            for (const call of step.calls) {
                const document = call.documents?.find((candidate) => candidate.id === documentId);
                if (document === undefined) continue;
                if (document.absolutePath === undefined || document.startLine === undefined) return undefined;
                return {
                    id: document.id,
                    title: `${document.path ?? document.absolutePath}:${document.startLine}-${document.endLine ?? document.startLine}`,
                    text: document.data['text'] ?? '',
                    uri: vscode.Uri.file(document.absolutePath).toString(),
                    startLine: document.startLine,
                    endLine: document.endLine ?? document.startLine,
                };
            }
        }
    }
    return undefined;
}
