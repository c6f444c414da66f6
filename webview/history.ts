// The history drawer: earlier conversations to open, rename or delete. The host owns the list (it comes in
// `context.history`); this only shows it and posts what the person asks for.
import type { ConversationSummary } from '../src/chat/model';
import { element, makeButton } from './dom';
import { t } from './l10n';

function describe(summary: ConversationSummary): string {
    const when = new Date(summary.updatedAt).toLocaleString();
    const count = summary.turnCount === 1 ? t('oneMessage') : t('messages', summary.turnCount);
    return `${when} · ${count}`;
}

/** A history that arrived while a title was being typed, rendered once the rename ends. */
const deferred = new WeakMap<HTMLElement, () => void>();

/** Fills `list` with one item per conversation; `currentId` is marked as the one shown. */
export function renderHistory(
    list: HTMLElement,
    history: readonly ConversationSummary[],
    currentId: string | undefined,
): void {
    if (list.querySelector('.rename-input') !== null) {
        // Rendering now would throw away the title being typed.
        deferred.set(list, () => renderHistory(list, history, currentId));
        return;
    }
    deferred.delete(list);
    if (history.length === 0) {
        list.replaceChildren(element('li', 'history-empty', t('noHistory')));
        return;
    }
    list.replaceChildren(
        ...history.map((summary) => {
            const item = element('li', 'history-item');
            item.dataset['conversationId'] = summary.id;
            const title = summary.title === '' ? t('untitled') : summary.title;
            const open = element('button', 'history-open');
            open.type = 'button';
            open.dataset['action'] = 'open-conversation';
            open.setAttribute('aria-label', t('openConversation', title));
            if (summary.id === currentId) open.setAttribute('aria-current', 'true');
            open.append(
                element('span', 'history-title', title),
                element('span', 'history-meta', describe(summary)),
            );
            const actions = element('span', 'history-actions');
            actions.append(
                makeButton('rename-conversation', t('rename'), t('renameConversation', title)),
                makeButton('delete-conversation', t('delete'), t('deleteConversation', title)),
            );
            item.append(open, actions);
            return item;
        }),
    );
}

/** Replaces an item's title by a text field; Enter commits (through `onCommit`), Escape or leaving cancels. */
export function beginRename(
    item: HTMLElement,
    currentTitle: string,
    onCommit: (title: string) => void,
): void {
    if (item.querySelector('.rename-input') !== null) return;
    const input = element('input', 'rename-input');
    input.type = 'text';
    input.value = currentTitle;
    input.setAttribute('aria-label', t('newTitle'));
    const open = item.querySelector<HTMLElement>('.history-open');
    open?.setAttribute('hidden', '');
    item.prepend(input);
    let done = false;
    const finish = (commit: boolean): void => {
        if (done) return;
        done = true;
        const title = input.value.trim();
        const list = item.parentElement;
        input.remove();
        open?.removeAttribute('hidden');
        if (commit && title !== '' && title !== currentTitle) onCommit(title);
        const later = list === null ? undefined : deferred.get(list);
        if (list === null || later === undefined) {
            open?.focus();
            return;
        }
        later();
        const id = CSS.escape(item.dataset['conversationId'] ?? '');
        list.querySelector<HTMLElement>(`.history-item[data-conversation-id="${id}"] .history-open`)?.focus();
    };
    input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
            event.preventDefault();
            finish(true);
        } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            finish(false);
        }
    });
    input.addEventListener('blur', () => finish(false));
    input.focus();
    input.select();
}
