// The history overlay: earlier conversations to open, rename or delete, over the chat (it does not push it
// down), with a search field and date groups (Today, Yesterday, Last 7 days, Older). The host owns the list:
// a `state` brings all of it, then `historyChanged` messages change one item each, so this never rebuilds
// the list for one change. Open and close it with `setOpen` (the History action, or the view's title bar).
import type { ConversationSummary, HistoryChange } from '../src/chat/model';
import type { WebviewStringKey } from '../src/webviewStrings';
import { element, makeButton } from './dom';
import { boxesOf, fillBoxes, insertItem, removeItem, syncBoxHidden } from './historyBoxes';
import { applicableChanges, listableSummaries } from './historyChecks';
import { t } from './l10n';

type GroupKey = 'today' | 'yesterday' | 'week' | 'older';

const GROUPS: readonly { key: GroupKey; label: WebviewStringKey }[] = [
    { key: 'today', label: 'historyToday' },
    { key: 'yesterday', label: 'historyYesterday' },
    { key: 'week', label: 'historyLastWeek' },
    { key: 'older', label: 'historyOlder' },
];

const DAY_MS = 24 * 3600_000;

interface Group {
    readonly section: HTMLElement;
    readonly list: HTMLElement;
    /**
     * Its entries in the list's order (newest first). An item's place is found in this array: reading
     * `list.children` at random indexes after a move walks the live collection, which grows with the list.
     */
    readonly entries: Entry[];
}

interface Entry {
    summary: ConversationSummary;
    readonly item: HTMLElement;
    group: GroupKey;
}

/** Which date group `updatedAt` falls in, seen from `now` (local days). */
export function groupOf(updatedAt: number, now: number): GroupKey {
    const today = new Date(now);
    today.setHours(0, 0, 0, 0);
    const startOfToday = today.getTime();
    if (updatedAt >= startOfToday) return 'today';
    if (updatedAt >= startOfToday - DAY_MS) return 'yesterday';
    if (updatedAt >= startOfToday - 6 * DAY_MS) return 'week';
    return 'older';
}

function describe(summary: ConversationSummary): string {
    const when = new Date(summary.updatedAt).toLocaleString();
    const count = summary.turnCount === 1 ? t('oneMessage') : t('messages', summary.turnCount);
    return `${when} · ${count}`;
}

function titleOf(summary: ConversationSummary): string {
    return summary.title === '' ? t('untitled') : summary.title;
}

/** The history overlay inside `container` (the shell's history element), and its toggle button. */
export class HistoryView {
    private readonly entries = new Map<string, Entry>();
    private readonly groups = new Map<GroupKey, Group>();
    private readonly search: HTMLInputElement;
    private readonly emptyNote: HTMLElement;
    private currentId: string | undefined;
    private query = '';
    /** The day the groups were computed for: they are recomputed when the overlay opens on a later day. */
    private groupedOn = 0;

    constructor(
        private readonly container: HTMLElement,
        private readonly toggleButton: HTMLElement | undefined,
        private readonly now: () => number = Date.now,
    ) {
        container.classList.add('history-overlay');
        container.setAttribute('role', 'dialog');
        container.setAttribute('aria-label', t('conversations'));
        container.hidden = true;
        const header = element('div', 'history-header');
        const heading = element('h2', 'history-heading', t('conversations'));
        heading.id = 'history-heading';
        header.append(heading, makeButton('close-history', t('close'), t('closeHistory')));
        this.search = element('input', 'history-search');
        this.search.type = 'search';
        this.search.placeholder = t('searchConversations');
        this.search.setAttribute('aria-label', t('searchConversations'));
        this.search.addEventListener('input', () => this.filter(this.search.value));
        const body = element('div', 'history-groups');
        for (const { key, label } of GROUPS) {
            const section = element('section', 'history-group');
            section.dataset['group'] = key;
            const title = element('h3', 'history-group-title', t(label));
            title.id = `history-group-${key}`;
            // Not a <ul>: its children are the boxes of historyBoxes.ts, and those hold the items.
            const list = element('div', 'history-list');
            list.setAttribute('role', 'list');
            list.setAttribute('aria-labelledby', title.id);
            section.append(title, list);
            section.hidden = true;
            body.append(section);
            this.groups.set(key, { section, list, entries: [] });
        }
        this.emptyNote = element('p', 'history-empty', t('noHistory'));
        container.replaceChildren(header, this.search, body, this.emptyNote);
        this.groupedOn = this.dayOf(this.now());
        container.addEventListener('keydown', (event) => this.onKeyDown(event));
    }

    /** Up and Down move between the search field and the conversations, as in a list. */
    private onKeyDown(event: KeyboardEvent): void {
        if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
        const target = event.target;
        if (!(target instanceof HTMLElement)) return;
        if (target !== this.search && !target.classList.contains('history-open')) return;
        const stops: HTMLElement[] = [
            this.search,
            ...this.container.querySelectorAll<HTMLElement>('.history-open'),
        ].filter(
            // Not offsetParent: in a box off screen that would lay the box out, for each of thousands of items.
            (stop) =>
                stop === this.search || (stop.closest('[hidden]') === null && !stop.hasAttribute('disabled')),
        );
        const index = stops.indexOf(target);
        const next = stops[index + (event.key === 'ArrowDown' ? 1 : -1)];
        if (next === undefined) return;
        event.preventDefault();
        next.focus();
    }

    get isOpen(): boolean {
        return !this.container.hidden;
    }

    /** Opens (focusing the search field) or closes (focus back to the toggle) the overlay. */
    setOpen(open: boolean = !this.isOpen): void {
        if (open === this.isOpen) return;
        this.container.hidden = !open;
        this.toggleButton?.setAttribute('aria-expanded', String(open));
        if (open) {
            if (this.dayOf(this.now()) !== this.groupedOn) this.regroup();
            // Without preventScroll, a page wider than the view (a cramped toolbar) would scroll sideways.
            this.search.focus({ preventScroll: true });
        } else if (this.container.contains(document.activeElement)) {
            this.toggleButton?.focus();
        }
    }

    /** The whole list (from a `state`); entries that cannot be listed are left out. */
    reset(received: readonly ConversationSummary[], currentId: string | undefined): void {
        const history = listableSummaries(received);
        this.currentId = currentId;
        const renaming = this.container.querySelector('.rename-input') !== null;
        if (renaming) {
            // Rebuilding now would throw away the title being typed: apply it as changes instead.
            const keep = new Set(history.map((summary) => summary.id));
            const removed = [...this.entries.keys()].filter((id) => !keep.has(id));
            this.apply([
                ...removed.map((conversationId): HistoryChange => ({ kind: 'remove', conversationId })),
                ...history.map((summary): HistoryChange => ({ kind: 'upsert', summary })),
            ]);
            this.markCurrent();
            return;
        }
        this.entries.clear();
        for (const group of this.groups.values()) group.entries.length = 0;
        this.groupedOn = this.dayOf(this.now());
        const now = this.now();
        // Newest first, so each item goes at the end of its group.
        const sorted = [...history].sort((a, b) => b.updatedAt - a.updatedAt);
        for (const summary of sorted) {
            const group = groupOf(summary.updatedAt, now);
            const entry: Entry = { summary, item: this.makeItem(summary), group };
            this.entries.set(summary.id, entry);
            this.groups.get(group)?.entries.push(entry);
        }
        for (const { list, entries } of this.groups.values()) {
            fillBoxes(
                list,
                entries.map((entry) => entry.item),
            );
        }
        this.markCurrent();
        this.filter(this.query);
    }

    /** Applies the host's changes, touching only the items they name; malformed ones are left out. */
    apply(received: readonly HistoryChange[]): void {
        const changes = Array.isArray(received) ? applicableChanges(received) : [];
        for (const change of changes) {
            if (change.kind === 'remove') {
                const entry = this.entries.get(change.conversationId);
                if (entry !== undefined) this.takeOut(entry);
                this.entries.delete(change.conversationId);
                continue;
            }
            this.upsert(change.summary);
        }
        this.updateVisibility();
    }

    /** Marks `conversationId` as the one the chat shows. */
    setCurrent(conversationId: string | undefined): void {
        this.currentId = conversationId;
        this.markCurrent();
    }

    private upsert(summary: ConversationSummary): void {
        const existing = this.entries.get(summary.id);
        const group = groupOf(summary.updatedAt, this.now());
        if (existing === undefined) {
            const entry: Entry = { summary, item: this.makeItem(summary), group };
            this.entries.set(summary.id, entry);
            this.place(entry);
        } else {
            const moved = existing.summary.updatedAt !== summary.updatedAt || existing.group !== group;
            if (moved) this.takeOut(existing);
            existing.summary = summary;
            existing.group = group;
            this.fillItem(existing.item, summary);
            if (moved) this.place(existing);
        }
        const entry = this.entries.get(summary.id);
        if (entry !== undefined) {
            entry.item.hidden = !this.matches(summary);
            if (entry.item.parentElement !== null) syncBoxHidden(entry.item.parentElement);
            entry.item
                .querySelector('.history-open')
                ?.toggleAttribute('aria-current', summary.id === this.currentId);
        }
    }

    /** Puts an entry not in any group at its place in its group (newest first), found by bisection. */
    private place(entry: Entry): void {
        const group = this.groups.get(entry.group);
        if (group === undefined) return;
        const { entries } = group;
        let low = 0;
        let high = entries.length;
        while (low < high) {
            const middle = (low + high) >>> 1;
            if ((entries[middle] as Entry).summary.updatedAt > entry.summary.updatedAt) low = middle + 1;
            else high = middle;
        }
        insertItem(group.list, entry.item, entries[low]?.item, entries[low - 1]?.item);
        entries.splice(low, 0, entry);
    }

    /** Takes an entry out of its group (its item out of the list). */
    private takeOut(entry: Entry): void {
        removeItem(entry.item);
        const entries = this.groups.get(entry.group)?.entries;
        const at = entries?.indexOf(entry) ?? -1;
        if (at >= 0) entries?.splice(at, 1);
    }

    private regroup(): void {
        this.groupedOn = this.dayOf(this.now());
        const now = this.now();
        for (const entry of this.entries.values()) {
            const group = groupOf(entry.summary.updatedAt, now);
            if (group === entry.group) continue;
            this.takeOut(entry);
            entry.group = group;
            this.place(entry);
        }
        this.updateVisibility();
    }

    private makeItem(summary: ConversationSummary): HTMLElement {
        const item = element('div', 'history-item');
        item.setAttribute('role', 'listitem');
        item.dataset['conversationId'] = summary.id;
        const open = element('button', 'history-open');
        open.type = 'button';
        open.dataset['action'] = 'open-conversation';
        open.append(element('span', 'history-title'), element('span', 'history-meta'));
        const actions = element('span', 'history-actions');
        actions.append(
            actionButton('rename-conversation', t('rename')),
            actionButton('delete-conversation', t('delete')),
        );
        item.append(open, actions);
        this.fillItem(item, summary);
        return item;
    }

    private fillItem(item: HTMLElement, summary: ConversationSummary): void {
        const title = titleOf(summary);
        const open = item.querySelector<HTMLButtonElement>('.history-open');
        if (open !== null) {
            open.setAttribute('aria-label', t('openConversation', title));
            const newer = summary.newerVersion !== undefined;
            // A newer version's file cannot be opened here (and is never changed by this version).
            open.disabled = newer;
            open.title = newer ? t('needsNewerVersion') : title;
            const titleNode = open.querySelector('.history-title');
            if (titleNode !== null) titleNode.textContent = title;
            const meta = open.querySelector('.history-meta');
            if (meta !== null) meta.textContent = newer ? t('needsNewerVersion') : describe(summary);
        }
        const [rename, remove] = item.querySelectorAll<HTMLElement>('.history-actions [data-action]');
        rename?.setAttribute('aria-label', t('renameConversation', title));
        rename?.setAttribute('title', t('renameConversation', title));
        if (rename !== undefined) rename.hidden = summary.newerVersion !== undefined;
        remove?.setAttribute('aria-label', t('deleteConversation', title));
        remove?.setAttribute('title', t('deleteConversation', title));
    }

    private markCurrent(): void {
        for (const open of this.container.querySelectorAll('.history-open[aria-current]')) {
            open.removeAttribute('aria-current');
        }
        if (this.currentId === undefined) return;
        this.entries
            .get(this.currentId)
            ?.item.querySelector('.history-open')
            ?.setAttribute('aria-current', 'true');
    }

    private filter(query: string): void {
        this.query = query.trim().toLowerCase();
        for (const entry of this.entries.values()) entry.item.hidden = !this.matches(entry.summary);
        for (const { list } of this.groups.values()) boxesOf(list).forEach(syncBoxHidden);
        this.updateVisibility();
    }

    private matches(summary: ConversationSummary): boolean {
        return this.query === '' || titleOf(summary).toLowerCase().includes(this.query);
    }

    /** Shows the groups that have a visible item, and the note when none has. */
    private updateVisibility(): void {
        let any = false;
        for (const { section, list } of this.groups.values()) {
            const visible =
                this.query === ''
                    ? list.firstElementChild !== null
                    : list.querySelector('.history-item:not([hidden])') !== null;
            section.hidden = !visible;
            any ||= visible;
        }
        this.emptyNote.hidden = any;
        this.emptyNote.textContent = this.entries.size === 0 ? t('noHistory') : t('noMatches');
    }

    private dayOf(time: number): number {
        const day = new Date(time);
        day.setHours(0, 0, 0, 0);
        return day.getTime();
    }
}

/**
 * An item's Rename or Delete: a plain `<button>` styled as a secondary button. Not a `vscode-button`:
 * each of those has a shadow root with its own style sheets, and with thousands in the list every move
 * of one item made the style engine go through all of them (30 ms an update at 5,000 conversations).
 */
function actionButton(action: string, label: string): HTMLButtonElement {
    const button = element('button', 'history-action', label);
    button.type = 'button';
    button.dataset['action'] = action;
    return button;
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
        input.remove();
        open?.removeAttribute('hidden');
        if (commit && title !== '' && title !== currentTitle) onCommit(title);
        open?.focus();
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
