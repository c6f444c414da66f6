// The parts of a turn that are rebuilt whole when the turn changes: its error with the actions that mend
// it, its finish reason, its status line and the sources of a citation.
import type { Attachment, Turn, TurnError } from '../src/chat/model';
import type { Citation, Source } from '../src/cohere/types';
import { element, makeButton } from './dom';
import { t } from './l10n';

/** What a person reads for an error, by its code: a headline and, when it helps, a hint. */
function describeError(error: TurnError): { headline: string; hint?: string } {
    switch (error.code) {
        case 'unauthorized':
            return { headline: t('errorUnauthorized'), hint: t('errorUnauthorizedHint') };
        case 'no_api_key':
            return { headline: t('errorNoApiKey'), hint: t('errorNoApiKeyHint') };
        case 'invalid_token':
            // Cohere's 498: a deny-listed token in the request or the reply, not a problem with the key.
            return { headline: t('errorSafetyBlock'), hint: t('errorSafetyBlockHint') };
        case 'interrupted':
            return { headline: t('errorInterrupted') };
        case 'forbidden':
            return { headline: t('errorForbidden') };
        case 'rate_limited': {
            const wait = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
            return {
                headline: t('errorRateLimited'),
                hint: wait === undefined ? t('errorRateLimitedHint') : t('errorRateLimitedWait', wait),
            };
        }
        case 'network':
            return { headline: t('errorNetwork'), hint: t('errorProxyHint') };
        case 'timeout':
            return { headline: t('errorTimeout'), hint: t('errorProxyHint') };
        case 'bad_request':
        case 'not_found':
            return { headline: t('errorBadRequest') };
        case 'server':
            return { headline: t('errorServer') };
        case 'aborted':
            return { headline: t('errorAborted') };
        case 'protocol':
            return { headline: t('errorProtocol') };
        case 'generation':
            return { headline: t('errorGeneration') };
        default:
            // A code saved by a newer version, or damaged on disk: say so rather than throw.
            return {
                headline: t('errorUnknown', String((error as { code?: unknown }).code ?? t('unknown'))),
            };
    }
}

/** Which buttons mend an error. */
function errorActions(error: TurnError): HTMLElement[] {
    const retry = makeButton('retry', t('retry'), t('retryTooltip'), { secondary: false });
    const logs = makeButton('show-logs', t('showLogs'));
    switch (error.code) {
        case 'unauthorized':
        case 'no_api_key':
        case 'forbidden':
            return [makeButton('set-api-key', t('setApiKey'), t('setApiKey'), { secondary: false }), retry];
        case 'invalid_token':
            return [retry];
        case 'network':
        case 'timeout':
        case 'server':
        case 'protocol':
        case 'interrupted':
            return [retry, logs];
        case 'rate_limited':
        case 'bad_request':
        case 'not_found':
        case 'aborted':
        case 'generation':
            return [retry];
        default:
            return [retry, logs];
    }
}

/** The `.turn-error` block: what went wrong, the server's own words, and the actions that mend it. */
export function renderError(error: TurnError): HTMLElement {
    const box = element('div', 'turn-error');
    box.dataset['code'] = error.code;
    box.setAttribute('role', 'alert');
    const { headline, hint } = describeError(error);
    box.append(element('div', 'error-headline', headline));
    if (error.message !== '') box.append(element('div', 'error-message', error.message));
    if (hint !== undefined) box.append(element('div', 'error-hint', hint));
    const actions = element('div', 'error-actions');
    actions.append(...errorActions(error));
    box.append(actions);
    return box;
}

function finishText(reason: string): string {
    switch (reason) {
        case 'MAX_TOKENS':
            return t('finishMaxTokens');
        case 'STOP_SEQUENCE':
            return t('finishStopSequence');
        case 'ERROR':
            return t('finishError');
        case 'TIMEOUT':
            return t('finishTimeout');
        case 'TOOL_CALL':
            return t('finishToolCall');
        default:
            return t('finishOther', reason === '' ? t('unknown') : reason);
    }
}

/** The `.finish-reason` line for a reason other than COMPLETE (MAX_TOKENS offers Continue). */
export function renderFinishReason(reason: string, canContinue: boolean): HTMLElement {
    const line = element('div', 'finish-reason', finishText(reason));
    line.dataset['reason'] = reason;
    if (reason === 'MAX_TOKENS' && canContinue) {
        line.append(' ', makeButton('continue', t('continue'), t('continueTooltip'), { secondary: false }));
    }
    return line;
}

/** The status line's text for a turn. */
export function statusText(turn: Turn): string {
    switch (turn.status) {
        case 'streaming':
            return turn.request.stream ? t('generating') : t('waiting');
        case 'stopped':
            return t('stopped');
        case 'failed':
            return t('failed');
        case 'complete':
            return '';
        default:
            return t('unknown');
    }
}

function stringField(data: Record<string, unknown> | undefined, ...names: string[]): string | undefined {
    for (const name of names) {
        const value = data?.[name];
        if (typeof value === 'string' && value !== '') return value;
    }
    return undefined;
}

function sourceDocumentId(source: Source): string | undefined {
    if (source.type === 'document') return source.id ?? stringField(source.document, 'id');
    return source.id;
}

function firstLines(text: string): string {
    const lines = text.split('\n').slice(0, 6).join('\n');
    return lines.length > 400 ? `${lines.slice(0, 400)}…` : lines;
}

/** A document source carried from an earlier turn: code lines the host can still open by id. */
function carriedCode(source: Source, id: string | undefined): Attachment | undefined {
    if (source.type !== 'document' || id === undefined || !/^(code|sel|problem)-/.test(id)) return undefined;
    const title = stringField(source.document, 'title');
    if (title === undefined || !/:\d+(-\d+)?$/.test(title)) return undefined;
    return { id, title, text: stringField(source.document, 'snippet') ?? '' };
}

function renderSource(source: Source, attachments: readonly Attachment[], citedText?: string): HTMLElement {
    const id = sourceDocumentId(source);
    const attachment = attachments.find((candidate) => candidate.id === id) ?? carriedCode(source, id);
    let title: string;
    let snippet: string;
    let item: HTMLElement;
    if (attachment !== undefined) {
        item = document.createElement('button');
        (item as HTMLButtonElement).type = 'button';
        item.dataset['documentId'] = attachment.id;
        // The host selects only the lines of the cited words when the chunk holds them.
        if (citedText !== undefined && citedText.length <= 2000) item.dataset['citedText'] = citedText;
        item.setAttribute('aria-label', t('revealSource', attachment.title));
        title = attachment.title;
        snippet = firstLines(attachment.text);
    } else {
        item = document.createElement('li');
        if (source.type === 'document') {
            title = stringField(source.document, 'title', 'url', 'id') ?? id ?? t('document');
            snippet = stringField(source.document, 'snippet', 'text', 'content') ?? '';
        } else if (source.type === 'tool') {
            title = id === undefined ? t('toolOutput') : t('toolOutputWithId', id);
            snippet = JSON.stringify(source.tool_output ?? {}).slice(0, 400);
        } else {
            // A source type the API added after this version: show what can be read of it.
            title = t('unknownSource');
            snippet = typeof id === 'string' ? id : '';
        }
    }
    item.classList.add('source');
    item.append(element('span', 'source-title', title), element('span', 'source-snippet', snippet));
    return item;
}

let panelCount = 0;

/** The `.citation-sources` list of citation `n`. */
export function renderSources(
    n: number,
    citation: Citation,
    attachments: readonly Attachment[],
): HTMLElement {
    const panel = element('div', 'citation-sources');
    panel.dataset['citation'] = String(n);
    panel.id = `sources-${++panelCount}`;
    panel.setAttribute('role', 'region');
    panel.setAttribute('aria-label', t('citationSources', n));
    if (citation.text !== undefined) panel.append(element('div', 'cited-text', `“${citation.text}”`));
    const list = element('ul', 'source-list');
    for (const source of citation.sources ?? []) {
        const item = renderSource(source, attachments, citation.text);
        if (item.tagName === 'LI') list.append(item);
        else {
            const wrapper = document.createElement('li');
            wrapper.append(item);
            list.append(wrapper);
        }
    }
    if (list.childElementCount === 0) list.append(element('li', 'source-none', t('noSources')));
    panel.append(list);
    return panel;
}
