// The DOM of one turn: the person's message, the reply's content blocks (thinking and text), its
// citations, and the parts rebuilt when the turn changes (status, error, finish reason, usage, actions).
// Deltas only touch the block they belong to; the block re-renders its open tail on the next frame.
import type { Attachment, Turn } from '../src/chat/model';
import type { Citation } from '../src/cohere/types';
import type { CitationSpan } from './citations';
import { element, iconButton, makeButton } from './dom';
import { icon } from './icons';
import type { IconName } from './icons';
import { t } from './l10n';
import { decorateCodeBlocks } from './codeBlocks';
import { MarkdownView } from './markdownView';
import { estimateHeight, turnSizeClass } from './offscreen';
import { renderMarkdown } from './render';
import { saveUiState, uiState } from './messaging';
import { MAX_SENTINEL_CITATIONS, neutralizeSentinels } from './sentinels';
import { labelRetryFromStep, renderToolSteps, toolAttachments } from './toolSteps';
import { renderError, renderFinishReason, renderSources, statusText } from './turnParts';
import { renderUsage } from './usage';

const RETRY_TICK_MS = 250;

/** Where a turn stands in its conversation, which decides the actions it offers. */
export interface TurnPosition {
    readonly isLast: boolean;
    /** Some turn of the conversation is streaming: no other action may start. */
    readonly busy: boolean;
}

interface BlockView {
    readonly kind: 'text' | 'thinking';
    readonly view: MarkdownView;
    readonly element: HTMLElement;
    readonly details?: HTMLDetailsElement;
    userToggled: boolean;
    autoCollapsed: boolean;
}

/** One turn, kept current by full updates and by streamed deltas and citations. */
export class TurnView {
    readonly element: HTMLElement;
    /** The height estimated for this turn before it was laid out (px). */
    readonly sizeEstimate: number;
    private turn: Turn;
    private position: TurnPosition;
    private readonly request = element('section', 'request');
    private readonly promptRow = element('div', 'prompt-row');
    private readonly promptActions = element('div', 'message-actions prompt-actions');
    private readonly response = element('section', 'response');
    private readonly responseAuthor = element('span', 'author');
    private readonly reply = element('div', 'reply');
    private readonly actions = element('div', 'message-actions turn-actions');
    private readonly stepsHost = element('section', 'tool-steps');
    private readonly blocksHost = element('div', 'reply-blocks');
    private readonly sourcesHost = element('div', 'citation-panel');
    private readonly chrome = element('div', 'turn-chrome');
    private readonly blocks: BlockView[] = [];
    private retrying: string | undefined;
    private retryCountdown: ReturnType<typeof setInterval> | undefined;
    private openCitation: number | undefined;
    private editing = false;
    private dirty = false;

    constructor(turn: Turn, position: TurnPosition) {
        this.turn = turn;
        this.position = position;
        this.element = element('article', 'turn');
        this.element.dataset['turnId'] = turn.id;
        this.element.setAttribute('aria-label', t('turnLabel'));
        this.reply.append(this.stepsHost, this.blocksHost, this.sourcesHost);
        this.request.append(
            messageHeader('account', element('span', 'author', t('you')), this.promptActions),
        );
        this.request.append(this.promptRow);
        this.response.append(messageHeader('sparkle', this.responseAuthor, this.actions));
        this.response.append(this.reply, this.chrome);
        this.element.append(this.request, this.response);
        this.update(turn);
        // The size this turn holds off screen until it is first laid out (style.css: .turn).
        this.sizeEstimate = estimateTurnHeight(turn);
        this.element.classList.add(turnSizeClass(this.sizeEstimate));
    }

    get id(): string {
        return this.turn.id;
    }

    get status(): Turn['status'] {
        return this.turn.status;
    }

    get isEditing(): boolean {
        return this.editing;
    }

    /** Replaces the whole turn (started again, ended, failed, or from a full state). */
    update(turn: Turn): void {
        const promptChanged = turn.prompt !== this.turn.prompt || this.promptRow.childElementCount === 0;
        this.turn = turn;
        this.stopRetrying();
        this.element.dataset['status'] = turn.status;
        this.responseAuthor.textContent = modelName(turn);
        if (promptChanged && !this.editing) this.renderPrompt();
        renderToolSteps(this.stepsHost, turn);
        turn.reply.content.forEach((block, index) => {
            const view = this.blockAt(index, block.type);
            view.view.setText(block.type === 'text' ? block.text : block.thinking);
        });
        for (const extra of this.blocks.splice(turn.reply.content.length)) extra.element.remove();
        this.syncCitations();
        if (this.openCitation !== undefined) {
            if (turn.reply.citations[this.openCitation - 1] === undefined)
                this.toggleSources(this.openCitation);
            else this.showSources(this.openCitation);
        }
        this.dirty = true;
        this.flush();
        this.renderChrome();
    }

    /** Adds streamed text to block `index`; false when this turn is not streaming (a stale delta). */
    appendDelta(index: number, kind: 'text' | 'thinking', text: string): boolean {
        if (this.turn.status !== 'streaming') return false;
        const content = this.turn.reply.content;
        while (content.length <= index) content.push({ type: 'text', text: '' });
        const block = content[index];
        if (block === undefined) return false;
        if (kind === 'text')
            content[index] = { type: 'text', text: (block.type === 'text' ? block.text : '') + text };
        else
            content[index] = {
                type: 'thinking',
                thinking: (block.type === 'thinking' ? block.thinking : '') + text,
            };
        const known = this.blocks[index]?.kind === kind;
        this.blockAt(index, kind).view.append(text);
        if (!known && this.turn.reply.citations.length > 0) this.syncCitations();
        if (this.retrying !== undefined) {
            this.stopRetrying();
            this.renderChrome();
        }
        this.dirty = true;
        return true;
    }

    /** Adds a citation that arrived during the stream; false when this turn is not streaming. */
    addCitation(citation: Citation): boolean {
        if (this.turn.status !== 'streaming') return false;
        const n = this.turn.reply.citations.push(citation);
        // Only this citation's block, and in it only the parts its span touches, render again.
        const placed = this.placeCitation(citation, n, this.firstTextIndex());
        if (placed !== undefined) {
            this.blocks[placed.index]?.view.addCitation(placed.span);
            this.dirty = true;
        }
        return true;
    }

    /** Shows that the client waits `delayMs` before sending this turn again, counting down the seconds. */
    setRetrying(delayMs: number): void {
        this.stopRetrying();
        const deadline = Date.now() + delayMs;
        const tick = (): void => {
            const seconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
            this.retrying = t('retryingIn', seconds);
            const status = this.chrome.querySelector('.status');
            if (status !== null && status.textContent !== this.retrying) status.textContent = this.retrying;
        };
        tick();
        this.renderChrome();
        this.retryCountdown = setInterval(tick, RETRY_TICK_MS);
    }

    /** The view is thrown away: its countdown stops. */
    dispose(): void {
        this.stopRetrying();
    }

    private stopRetrying(): void {
        if (this.retryCountdown !== undefined) clearInterval(this.retryCountdown);
        this.retryCountdown = undefined;
        this.retrying = undefined;
    }

    /** Moves the turn (last or not, conversation busy or not); rebuilds its actions. */
    setPosition(position: TurnPosition): void {
        if (position.isLast === this.position.isLast && position.busy === this.position.busy) return;
        this.position = position;
        this.renderChrome();
        this.renderPromptActions();
    }

    /** Renders the deltas and citations that arrived since the last frame. */
    flush(): void {
        if (!this.dirty) return;
        this.dirty = false;
        for (const block of this.blocks) block.view.flush();
        this.collapseThinkingOnceTextStarts();
    }

    /** Opens the sources of citation `n`, or closes them when they are open. */
    toggleSources(n: number): void {
        if (this.openCitation === n) {
            this.openCitation = undefined;
            this.sourcesHost.replaceChildren();
            this.markExpanded(undefined);
            return;
        }
        this.showSources(n);
    }

    /** Turns the prompt into a text editor (its text is read back with `editedText`). */
    beginEdit(): void {
        if (this.editing) return;
        this.editing = true;
        const editor = element('textarea', 'edit-input');
        editor.value = this.turn.prompt;
        editor.setAttribute('aria-label', t('editLabel'));
        editor.rows = Math.min(12, Math.max(2, this.turn.prompt.split('\n').length));
        const actions = element('div', 'edit-actions');
        actions.append(
            makeButton('save-edit', t('sendEdit'), t('sendEditTooltip'), { secondary: false }),
            makeButton('cancel-edit', t('cancel'), t('cancelEditTooltip')),
        );
        this.promptRow.replaceChildren(editor, actions);
        this.promptActions.hidden = true;
        editor.focus();
    }

    /** The edited prompt, while editing. */
    editedText(): string | undefined {
        return this.editing ? this.promptRow.querySelector('textarea')?.value : undefined;
    }

    /** Leaves the editor and shows the prompt again. */
    endEdit(): void {
        if (!this.editing) return;
        this.editing = false;
        this.promptActions.hidden = false;
        this.renderPrompt();
    }

    private renderPrompt(): void {
        // The person's message is markdown too (sanitized as a reply is): a sent selection shows as a
        // highlighted code block with its Copy / Insert, not as raw fences.
        const prompt = element('div', 'prompt markdown');
        prompt.append(
            renderMarkdown(neutralizeSentinels(typeof this.turn.prompt === 'string' ? this.turn.prompt : '')),
        );
        decorateCodeBlocks(prompt);
        prompt.setAttribute('aria-label', t('yourMessage'));
        const children: HTMLElement[] = [prompt];
        if (this.turn.attachments !== undefined && this.turn.attachments.length > 0) {
            const list = element('ul', 'attachments');
            list.setAttribute('aria-label', t('attached'));
            for (const attachment of this.turn.attachments) list.append(attachmentItem(attachment));
            children.push(list);
        }
        this.promptRow.replaceChildren(...children);
        this.renderPromptActions();
    }

    private renderPromptActions(): void {
        const actions = this.promptActions;
        actions.replaceChildren(iconButton('copy-prompt', 'copy', t('copyMessageTooltip')));
        if (!this.position.busy) actions.append(iconButton('edit', 'edit', t('editTooltip')));
    }

    private renderChrome(): void {
        const turn = this.turn;
        const { busy, isLast } = this.position;
        const parts: HTMLElement[] = [];
        // A generation error already says the model stopped with an error, with the server's words.
        const saidByError = turn.status === 'failed' && turn.error?.code === 'generation';
        if (turn.finishReason !== undefined && turn.finishReason !== 'COMPLETE' && !saidByError) {
            parts.push(renderFinishReason(turn.finishReason, isLast && !busy && turn.status === 'complete'));
        }
        if (turn.status === 'failed' && turn.error !== undefined) {
            const error = renderError(turn.error);
            error.querySelector<HTMLElement>('.error-actions')?.toggleAttribute('hidden', busy);
            parts.push(error);
        }
        // A failed reply says so once, in its error; the status line is for streaming, waiting and stopped.
        const statusLine = turn.status === 'failed' ? '' : (this.retrying ?? statusText(turn));
        const status = element('div', 'status', statusLine);
        status.classList.toggle('busy', turn.status === 'streaming');
        status.hidden = status.textContent === '';
        parts.push(status);
        if (turn.status === 'stopped' && !busy) {
            // Retry is what a stopped reply needs next: shown at once, not only on hover.
            const stopped = element('div', 'stopped-actions');
            stopped.append(makeButton('retry', t('retry'), t('retryTooltip'), { secondary: false }));
            parts.push(stopped);
        }
        if (turn.usage !== undefined && turn.status !== 'streaming') parts.push(renderUsage(turn.usage));
        this.chrome.replaceChildren(...parts);
        labelRetryFromStep(this.chrome, turn);
        this.renderActions();
    }

    /** The reply's icon actions, shown on hover and on keyboard focus. */
    private renderActions(): void {
        const turn = this.turn;
        const { busy, isLast } = this.position;
        const buttons: HTMLElement[] = [];
        const hasText = turn.reply.content.some((block) => block.type === 'text' && block.text !== '');
        if (hasText && turn.status !== 'streaming')
            buttons.push(iconButton('copy-reply', 'copy', t('copyReplyTooltip')));
        if (!busy && isLast && turn.status === 'complete')
            buttons.push(iconButton('regenerate', 'refresh', t('regenerateTooltip')));
        if (!busy && isLast && turn.status !== 'streaming')
            buttons.push(iconButton('export', 'export', t('exportTooltip')));
        this.actions.replaceChildren(...buttons);
    }

    /** The text of the reply, for Copy. */
    replyText(): string {
        return this.turn.reply.content
            .flatMap((block) => (block.type === 'text' ? [block.text] : []))
            .join('\n\n');
    }

    /** The person's message, for Copy. */
    promptText(): string {
        return this.turn.prompt;
    }

    /**
     * Brings the Retry of a stopped reply into view (it may sit below the fold once the stream ends). In the
     * next frame: something below it still changes size after the end is handled (not tracked down), and
     * revealed at once the button ended up 13 px below the view (webview test "after Stop, …").
     */
    revealRetry(): void {
        requestAnimationFrame(() =>
            this.chrome.querySelector('[data-action="retry"]')?.scrollIntoView({ block: 'nearest' }),
        );
    }

    private blockAt(index: number, kind: 'text' | 'thinking'): BlockView {
        const existing = this.blocks[index];
        if (existing !== undefined && existing.kind === kind) return existing;
        const created = kind === 'text' ? this.textBlock() : this.thinkingBlock(index);
        if (existing !== undefined) existing.element.replaceWith(created.element);
        else {
            while (this.blocks.length < index) {
                const gap = this.textBlock();
                this.blocks.push(gap);
                this.blocksHost.append(gap.element);
            }
            this.blocksHost.append(created.element);
        }
        this.blocks[index] = created;
        return created;
    }

    private textBlock(): BlockView {
        const view = new MarkdownView('markdown');
        return { kind: 'text', view, element: view.element, userToggled: false, autoCollapsed: false };
    }

    private thinkingBlock(index: number): BlockView {
        const view = new MarkdownView('thinking-text');
        const details = document.createElement('details');
        details.className = 'thinking';
        const summary = element('summary', '', t('thinking'));
        details.append(summary, view.element);
        const key = `${this.turn.id}:${index}`;
        const textStarted = this.turn.reply.content.some(
            (block) => block.type === 'text' && block.text !== '',
        );
        details.open =
            uiState().openThinking?.includes(key) === true ||
            (this.turn.status === 'streaming' && !textStarted);
        const block: BlockView = {
            kind: 'thinking',
            view,
            element: details,
            details,
            userToggled: false,
            autoCollapsed: textStarted,
        };
        summary.addEventListener('click', () => {
            block.userToggled = true;
        });
        details.addEventListener('toggle', () => {
            if (!block.userToggled) return;
            const open = new Set(uiState().openThinking ?? []);
            if (details.open) open.add(key);
            else open.delete(key);
            saveUiState({ openThinking: [...open] });
        });
        return block;
    }

    private collapseThinkingOnceTextStarts(): void {
        const textStarted = this.blocks.some((block) => block.kind === 'text' && !block.view.isEmpty);
        if (!textStarted) return;
        for (const block of this.blocks) {
            if (block.details === undefined || block.autoCollapsed) continue;
            block.autoCollapsed = true;
            if (!block.userToggled) block.details.open = false;
        }
    }

    private syncCitations(): void {
        const spans = new Map<number, CitationSpan[]>();
        const firstText = this.firstTextIndex();
        this.turn.reply.citations.forEach((citation, i) => {
            const placed = this.placeCitation(citation, i + 1, firstText);
            if (placed === undefined) return;
            const list = spans.get(placed.index);
            if (list === undefined) spans.set(placed.index, [placed.span]);
            else list.push(placed.span);
        });
        this.blocks.forEach((block, index) => block.view.setCitations(spans.get(index) ?? []));
    }

    /** The block a citation without a content index belongs to: the first text block. */
    private firstTextIndex(): number {
        return Math.max(
            0,
            this.turn.reply.content.findIndex((block) => block.type === 'text'),
        );
    }

    /** Citation `n`'s block and span, or undefined when it cannot be drawn (yet). */
    private placeCitation(
        citation: Citation,
        n: number,
        firstText: number,
    ): { index: number; span: CitationSpan } | undefined {
        if (n >= MAX_SENTINEL_CITATIONS) return undefined;
        const index = citation.content_index ?? firstText;
        const block = this.blocks[index];
        if (block === undefined) return undefined;
        let start = citation.start;
        let end = citation.end;
        if (
            (start === undefined || end === undefined) &&
            citation.text !== undefined &&
            citation.text !== ''
        ) {
            start = block.view.text.indexOf(citation.text);
            end = start + citation.text.length;
        }
        if (start === undefined || end === undefined || start < 0 || end <= start) return undefined;
        return { index, span: { n, start, end } };
    }

    private showSources(n: number): void {
        const citation = this.turn.reply.citations[n - 1];
        if (citation === undefined) return;
        this.openCitation = n;
        const panel = renderSources(n, citation, [
            ...(this.turn.attachments ?? []),
            ...toolAttachments(this.turn),
        ]);
        this.sourcesHost.replaceChildren(panel);
        this.markExpanded(n, panel.id);
        // The sources open under the reply, which may be below the fold.
        panel.scrollIntoView({ block: 'nearest' });
    }

    private markExpanded(n: number | undefined, panelId?: string): void {
        for (const marker of this.element.querySelectorAll<HTMLElement>('.citation-marker')) {
            const expanded = marker.dataset['citation'] === String(n);
            marker.setAttribute('aria-expanded', String(expanded));
            if (expanded && panelId !== undefined) marker.setAttribute('aria-controls', panelId);
            else marker.removeAttribute('aria-controls');
        }
    }
}

/** The model a turn went to, as saved; an unreadable one shows as the generic name. */
function modelName(turn: Turn): string {
    const model: unknown = turn.request?.model;
    return typeof model === 'string' && model !== '' ? model : t('unknownModel');
}

/** A message's small header: an icon, who wrote it, and its actions (shown on hover and focus). */
function messageHeader(name: IconName, author: HTMLElement, actions: HTMLElement): HTMLElement {
    const header = element('div', 'message-header');
    const avatar = icon(name);
    avatar.classList.add('avatar');
    header.append(avatar, author, element('span', 'spacer'), actions);
    return header;
}

/** One attachment on a sent message: its title, or for an image its preview (titled by its name and size). */
function attachmentItem(attachment: Attachment): HTMLElement {
    const thumbnail = attachment.image?.thumbnail;
    if (typeof thumbnail !== 'string' || !thumbnail.startsWith('data:image/'))
        return element('li', 'attachment', attachment.title);
    const item = element('li', 'attachment kind-image');
    const preview = element('img', 'attachment-thumbnail');
    preview.src = thumbnail;
    preview.alt = t('imagePreview', attachment.title);
    item.title = attachment.title;
    item.append(preview);
    return item;
}

/** Headers, actions and usage of a turn, around its prompt and reply (px). */
const TURN_CHROME_PX = 110;

/** A turn's height before it was laid out: its prompt, its reply's text blocks and its chrome. */
function estimateTurnHeight(turn: Turn): number {
    let px = TURN_CHROME_PX + estimateHeight(typeof turn.prompt === 'string' ? turn.prompt : '');
    for (const block of turn.reply.content)
        if (block.type === 'text' && typeof block.text === 'string') px += estimateHeight(block.text);
    return px;
}
