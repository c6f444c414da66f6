// What the person does: one click handler and one key handler for the whole page, dispatching on
// `data-action` (and on links, citation markers and sources), each turning into a typed message to the host.
import type { ChatApp } from './app';
import { codeForButton } from './codeBlocks';
import { beginRename } from './history';
import { fitInput } from './composer';
import { post } from './messaging';
import { isSafeLink } from './render';

function onAction(app: ChatApp, action: string, target: HTMLElement): void {
    const conversationId = app.conversationId;
    const turn = app.turnOf(target);
    switch (action) {
        case 'send':
            app.sendDraft();
            return;
        case 'stop': {
            const streaming = app.streamingTurn();
            if (conversationId !== undefined && streaming !== undefined) {
                post({ type: 'stop', conversationId, turnId: streaming.id });
            }
            return;
        }
        case 'retry':
        case 'regenerate':
        case 'continue':
            if (conversationId !== undefined && turn !== undefined)
                post({ type: action, conversationId, turnId: turn.id });
            return;
        case 'edit':
            turn?.beginEdit();
            return;
        case 'save-edit': {
            const text = turn?.editedText();
            if (
                conversationId === undefined ||
                turn === undefined ||
                text === undefined ||
                text.trim() === ''
            )
                return;
            turn.endEdit();
            post({ type: 'edit', conversationId, turnId: turn.id, text });
            return;
        }
        case 'cancel-edit':
            turn?.endEdit();
            return;
        case 'copy-reply':
        case 'copy-prompt': {
            const text = action === 'copy-reply' ? turn?.replyText() : turn?.promptText();
            if (text !== undefined && text !== '') post({ type: 'copyCode', code: text });
            return;
        }
        case 'export':
            post({ type: 'command', command: 'exportChat' });
            return;
        case 'suggest': {
            const prompt = target.dataset['prompt'];
            if (prompt === undefined) return;
            app.setDraft(prompt);
            app.shell.prompt.focus();
            return;
        }
        case 'cancel-queued':
            app.cancelQueued();
            return;
        case 'copy-code':
        case 'insert-code': {
            const code = codeForButton(target);
            if (code !== undefined) post({ type: action === 'copy-code' ? 'copyCode' : 'insertCode', code });
            return;
        }
        case 'apply-code': {
            const code = codeForButton(target);
            const info = /\blanguage-([\w+#.-]+)/.exec(
                target.closest('.code-block')?.querySelector('code')?.className ?? '',
            )?.[1];
            if (code !== undefined && conversationId !== undefined && turn !== undefined)
                post({ type: 'applyCode', conversationId, turnId: turn.id, code, info: info ?? '' });
            return;
        }
        case 'show-tool-change':
        case 'undo-tool-change': {
            const callId = target.dataset['callId'];
            const type = action === 'show-tool-change' ? 'showToolChange' : 'undoToolChange';
            if (callId !== undefined && conversationId !== undefined && turn !== undefined)
                post({ type, conversationId, turnId: turn.id, callId });
            return;
        }
        case 'set-api-key':
            post({ type: 'command', command: 'setApiKey' });
            return;
        case 'show-logs':
            post({ type: 'command', command: 'showLogs' });
            return;
        case 'new-chat':
            post({ type: 'newChat' });
            return;
        case 'history':
            toggleHistory(app);
            return;
        case 'close-history':
            toggleHistory(app, false);
            return;
        case 'open-conversation':
        case 'rename-conversation':
        case 'delete-conversation':
            onHistoryAction(app, action, target);
            return;
    }
}

function onHistoryAction(app: ChatApp, action: string, target: HTMLElement): void {
    const item = target.closest<HTMLElement>('.history-item');
    const conversationId = item?.dataset['conversationId'];
    if (item === null || conversationId === undefined) return;
    if (action === 'open-conversation') {
        post({ type: 'openConversation', conversationId });
        toggleHistory(app, false);
    } else if (action === 'delete-conversation') {
        post({ type: 'deleteConversation', conversationId });
    } else {
        const title = item.querySelector('.history-title')?.textContent ?? '';
        beginRename(item, title, (newTitle) =>
            post({ type: 'renameConversation', conversationId, title: newTitle }),
        );
    }
}

/** Opens or closes the history overlay (toggles it without `open`). */
export function toggleHistory(app: ChatApp, open?: boolean): void {
    const show = open ?? !app.history.isOpen;
    const focusInside = app.shell.history.contains(document.activeElement);
    app.history.setOpen(show);
    if (!show && focusInside) focusAfterHistory(app);
}

/** Where the focus goes when the history closes: its button, or the input when the button is not shown. */
function focusAfterHistory(app: ChatApp): void {
    if (app.shell.header.hidden) app.shell.prompt.focus();
    else app.shell.historyButton.focus();
}

function onClick(app: ChatApp, event: MouseEvent): void {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const link = target.closest('a');
    if (link !== null) {
        // Never let the webview navigate; the host opens http(s) links in the browser.
        event.preventDefault();
        const href = link.getAttribute('href') ?? '';
        if (isSafeLink(href)) post({ type: 'openLink', url: href });
        return;
    }
    const marker = target.closest<HTMLElement>('.citation-marker');
    if (marker !== null) {
        app.turnOf(marker)?.toggleSources(Number(marker.dataset['citation']));
        return;
    }
    const source = target.closest<HTMLElement>('button.source');
    const documentId = source?.dataset['documentId'];
    if (source !== null && documentId !== undefined) {
        const turn = app.turnOf(source);
        const conversationId = app.conversationId;
        if (turn !== undefined && conversationId !== undefined) {
            const citedText = source.dataset['citedText'];
            post({
                type: 'revealSource',
                conversationId,
                turnId: turn.id,
                documentId,
                ...(citedText === undefined ? {} : { citedText }),
            });
        }
        return;
    }
    const control = target.closest<HTMLElement>('[data-action]');
    if (control === null || control.hasAttribute('disabled')) return;
    onAction(app, control.dataset['action'] ?? '', control);
}

function onKeyDown(app: ChatApp, event: KeyboardEvent): void {
    const target = event.target;
    const plainEnter =
        event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (target instanceof HTMLTextAreaElement && plainEnter && !event.isComposing) {
        if (target === app.shell.prompt) {
            event.preventDefault();
            app.sendDraft();
            return;
        }
        if (target.classList.contains('edit-input')) {
            event.preventDefault();
            onAction(app, 'save-edit', target);
            return;
        }
    }
    if (event.key !== 'Escape') return;
    if (target instanceof HTMLTextAreaElement && target.classList.contains('edit-input')) {
        event.preventDefault();
        onAction(app, 'cancel-edit', target);
        return;
    }
    // Escape in the history overlay closes it (even while a reply streams).
    if (app.history.isOpen && target instanceof Node && app.shell.history.contains(target)) {
        event.preventDefault();
        toggleHistory(app, false);
    } else if (app.streamingTurn() !== undefined) {
        event.preventDefault();
        onAction(app, 'stop', app.shell.stopButton);
    } else if (app.history.isOpen) {
        toggleHistory(app, false);
    }
}

/** Connects the page's input to `app`. */
export function bindActions(app: ChatApp, root: HTMLElement): void {
    root.addEventListener('click', (event) => onClick(app, event));
    document.addEventListener('keydown', (event) => onKeyDown(app, event));
    const prompt = app.shell.prompt;
    prompt.addEventListener('input', () => {
        fitInput(prompt);
        app.draftChanged();
    });
    window.addEventListener('resize', () => fitInput(prompt));
    app.shell.modelPicker.addEventListener('change', () => {
        const model = app.shell.modelPicker.value;
        if (model !== '') post({ type: 'setModel', model });
    });
}
