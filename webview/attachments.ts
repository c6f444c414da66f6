// Above the composer: the chips of what the next message will carry - attachments still to be sent
// and documents earlier turns keep sending, each removable - the notes on what will not be sent, the
// `#` / `@` mentions with completion, the attach button, drops of files and editor tabs, and images
// pasted or dropped (read and downscaled by images.ts).
import type { AttachKind, AttachmentChip, HostToWebviewMessage } from '../src/protocol';
import type { WebviewStringKey } from '../src/webviewStrings';
import type { ChatApp } from './app';
import { element, iconButton } from './dom';
import { imageFiles, readImage } from './images';
import { t } from './l10n';
import { post } from './messaging';

interface Mention {
    token: string;
    kind: AttachKind;
    description: WebviewStringKey;
}

/** What can be mentioned; `@workspace` asks the whole workspace. */
export const MENTIONS: readonly Mention[] = [
    { token: '#file', kind: 'file', description: 'mentionFile' },
    { token: '#folder', kind: 'folder', description: 'mentionFolder' },
    { token: '#selection', kind: 'selection', description: 'mentionSelection' },
    { token: '#editor', kind: 'editor', description: 'mentionEditor' },
    { token: '#problems', kind: 'problems', description: 'mentionProblems' },
    { token: '@workspace', kind: 'workspace', description: 'mentionWorkspace' },
];

const KIND_ICON: Readonly<Record<AttachmentChip['kind'], string>> = {
    file: '📄',
    folder: '📁',
    selection: '✂',
    problem: '⚠',
    workspace: '🔎',
    image: '🖼',
};

/** The mention being typed just before the caret, if any: its start offset and text. */
export function mentionAt(text: string, caret: number): { start: number; typed: string } | undefined {
    const match = /(^|\s)([#@][\w-]*)$/.exec(text.slice(0, caret));
    if (match === null) return undefined;
    const typed = match[2] ?? '';
    return { start: caret - typed.length, typed };
}

/** The mentions that start with what was typed (all of them for a bare `#` or `@`). */
export function matchingMentions(typed: string): Mention[] {
    const lower = typed.toLowerCase();
    return MENTIONS.filter(
        (mention) => mention.token.startsWith(lower[0] ?? '') && mention.token.startsWith(lower),
    );
}

export class AttachmentsView {
    readonly container: HTMLElement;
    private readonly list: HTMLElement;
    private readonly notes: HTMLElement;
    // Images the webview could not read: said here until the next image is added.
    private readonly imageNotes: HTMLElement;
    private readonly completion: HTMLElement;
    private options: Mention[] = [];
    private active = 0;
    private conversationId: string | undefined;

    constructor(
        private readonly app: ChatApp,
        root: HTMLElement,
    ) {
        const prompt = app.shell.prompt;
        const composer = prompt.closest('.composer') ?? root;
        // The container "look" leaves above the composer, or our own in its place.
        this.container = root.querySelector<HTMLElement>('#attachments') ?? element('div', 'attachment-bar');
        this.container.id = 'attachments';
        this.container.classList.add('attachment-bar');
        if (this.container.parentElement === null) composer.prepend(this.container);
        this.list = element('ul', 'attachment-chips');
        this.list.setAttribute('aria-label', t('attachSlot'));
        this.notes = element('ul', 'attachment-notes');
        this.notes.setAttribute('role', 'status');
        this.imageNotes = element('ul', 'attachment-notes image-notes');
        this.imageNotes.setAttribute('role', 'status');
        // The button sits in the composer's toolbar (left of the model picker), as VS Code's chat has it;
        // its action name is none the app's click handler knows, so only this listener acts on it.
        const button = iconButton('open-attach-menu', 'attach', t('attachTooltip'));
        button.classList.add('attach-button');
        button.addEventListener('click', () => this.openMenu());
        app.shell.attachSlot.replaceChildren(button);
        this.completion = element('ul', 'mention-list');
        this.completion.id = 'mention-list';
        this.completion.setAttribute('role', 'listbox');
        this.completion.setAttribute('aria-label', t('mentions'));
        this.completion.hidden = true;
        this.container.replaceChildren(this.list, this.notes, this.imageNotes, this.completion);

        prompt.setAttribute('aria-controls', 'mention-list');
        prompt.addEventListener('input', () => this.updateCompletion());
        prompt.addEventListener('paste', (event) => {
            const images = imageFiles(event.clipboardData?.files);
            if (images.length === 0) return;
            // A pasted screenshot carries no text; with text beside it (copied from a page) both arrive.
            if ((event.clipboardData?.getData('text/plain') ?? '') === '') event.preventDefault();
            void this.addImages(images);
        });
        // Capture on the window so Enter picks a mention before the page's own Enter-to-send sees it.
        window.addEventListener('keydown', (event) => this.onKey(event), true);
        this.completion.addEventListener('mousedown', (event) => {
            const item = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
            if (item === null) return;
            event.preventDefault();
            this.pick(Number(item.dataset['index']));
        });
        this.list.addEventListener('click', (event) => {
            const remove = (event.target as HTMLElement).closest<HTMLElement>('[data-chip]');
            if (remove === null) return;
            const id = remove.dataset['chip'] ?? '';
            if (remove.dataset['carried'] === 'true') {
                const conversationId = this.conversationId ?? app.conversationId;
                if (conversationId !== undefined)
                    post({ type: 'retireDocument', conversationId, documentId: id });
            } else {
                post({ type: 'removeAttachment', id });
            }
        });
        root.addEventListener('dragover', (event) => {
            if (event.dataTransfer === null) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
            this.container.classList.add('drop-target');
        });
        root.addEventListener('dragleave', () => this.container.classList.remove('drop-target'));
        root.addEventListener('drop', (event) => this.onDrop(event));
        window.addEventListener('message', (event: MessageEvent<unknown>) => {
            const data = event.data as HostToWebviewMessage | undefined;
            if (data?.type === 'attachments') this.render(data);
            else if (data?.type === 'imageFileRead') void this.addImages([imageFileOf(data)]);
        });
    }

    /** Shows the host's picture of what the next message carries. */
    render(message: Extract<HostToWebviewMessage, { type: 'attachments' }>): void {
        if (this.app.conversationId !== undefined && message.conversationId !== this.app.conversationId)
            return;
        this.conversationId = message.conversationId;
        const items: HTMLElement[] = [];
        for (const chip of message.pending) items.push(this.chip(chip, false));
        if (message.carried.length > 0) {
            const label = element('li', 'attachment-kept-label', t('attachmentsKept'));
            items.push(label);
            for (const chip of message.carried) items.push(this.chip(chip, true));
        }
        this.list.replaceChildren(...items);
        this.notes.replaceChildren(...message.notes.map((note) => element('li', 'attachment-note', note)));
        this.updateBar();
    }

    private updateBar(): void {
        const shown =
            this.list.childElementCount + this.notes.childElementCount + this.imageNotes.childElementCount;
        this.container.classList.toggle('has-attachments', shown > 0);
    }

    /** Reads, downscales and hands over images; says which could not be read. */
    private async addImages(files: readonly File[]): Promise<void> {
        this.imageNotes.replaceChildren();
        for (const file of files.slice(0, 20)) {
            const read = await readImage(file);
            if ('refused' in read) this.imageNotes.append(element('li', 'attachment-note', read.refused));
            else post(read);
        }
        this.updateBar();
    }

    private chip(chip: AttachmentChip, carried: boolean): HTMLElement {
        const item = element(
            'li',
            `attachment-chip kind-${chip.kind}${carried ? ' carried' : ''}${chip.refused === undefined ? '' : ' refused'}`,
        );
        item.dataset['chipId'] = chip.id;
        if (chip.thumbnail !== undefined && chip.thumbnail.startsWith('data:image/')) {
            const preview = element('img', 'chip-thumbnail');
            preview.src = chip.thumbnail;
            preview.alt = t('imagePreview', chip.label);
            item.append(preview);
        } else {
            item.append(element('span', 'chip-icon', KIND_ICON[chip.kind] ?? '•'));
        }
        item.append(element('span', 'chip-label', chip.label));
        item.title = chip.refused ?? chip.detail ?? chip.label;
        if (chip.refused !== undefined)
            item.append(element('span', 'chip-refused', t('attachmentWillNotSend', chip.refused)));
        const label = carried ? t('attachmentStopSending', chip.label) : t('attachmentRemove', chip.label);
        const remove = iconButton('remove-chip', 'close', label);
        remove.classList.add('chip-remove');
        remove.dataset['chip'] = chip.id;
        remove.dataset['carried'] = String(carried);
        item.append(remove);
        return item;
    }

    private openMenu(): void {
        const prompt = this.app.shell.prompt;
        const caret = prompt.selectionStart;
        const before = prompt.value.slice(0, caret);
        const glue = before === '' || /\s$/.test(before) ? '' : ' ';
        prompt.value = `${before}${glue}#${prompt.value.slice(caret)}`;
        const at = caret + glue.length + 1;
        prompt.setSelectionRange(at, at);
        prompt.focus();
        this.updateCompletion();
    }

    private updateCompletion(): void {
        const prompt = this.app.shell.prompt;
        const mention = mentionAt(prompt.value, prompt.selectionStart);
        this.options = mention === undefined ? [] : matchingMentions(mention.typed);
        this.active = 0;
        this.completion.hidden = this.options.length === 0;
        prompt.setAttribute('aria-expanded', String(this.options.length > 0));
        this.completion.replaceChildren(
            ...this.options.map((option, index) => {
                const item = element('li', 'mention-option');
                item.id = `mention-${index}`;
                item.dataset['index'] = String(index);
                item.setAttribute('role', 'option');
                item.append(
                    element('span', 'mention-token', option.token),
                    element('span', 'mention-description', t(option.description)),
                );
                return item;
            }),
        );
        this.markActive();
    }

    private markActive(): void {
        for (const [index, item] of [...this.completion.children].entries()) {
            item.setAttribute('aria-selected', String(index === this.active));
        }
        if (this.options.length > 0)
            this.app.shell.prompt.setAttribute('aria-activedescendant', `mention-${this.active}`);
        else this.app.shell.prompt.removeAttribute('aria-activedescendant');
    }

    private onKey(event: KeyboardEvent): void {
        if (this.completion.hidden || event.target !== this.app.shell.prompt) return;
        const stop = (): void => {
            event.preventDefault();
            event.stopImmediatePropagation();
        };
        switch (event.key) {
            case 'ArrowDown':
                stop();
                this.active = (this.active + 1) % this.options.length;
                this.markActive();
                return;
            case 'ArrowUp':
                stop();
                this.active = (this.active - 1 + this.options.length) % this.options.length;
                this.markActive();
                return;
            case 'Enter':
            case 'Tab':
                if (event.shiftKey) return;
                stop();
                this.pick(this.active);
                return;
            case 'Escape':
                stop();
                this.close();
                return;
        }
    }

    /** Takes the typed mention out of the draft and asks the host to attach that kind of thing. */
    private pick(index: number): void {
        const option = this.options[index];
        const prompt = this.app.shell.prompt;
        const mention = mentionAt(prompt.value, prompt.selectionStart);
        this.close();
        if (option === undefined || mention === undefined) return;
        const end = prompt.selectionStart;
        prompt.value = prompt.value.slice(0, mention.start) + prompt.value.slice(end);
        prompt.setSelectionRange(mention.start, mention.start);
        prompt.dispatchEvent(new Event('input'));
        post({ type: 'attach', kind: option.kind });
    }

    private close(): void {
        this.options = [];
        this.completion.hidden = true;
        this.completion.replaceChildren();
        this.app.shell.prompt.setAttribute('aria-expanded', 'false');
        this.app.shell.prompt.removeAttribute('aria-activedescendant');
    }

    private onDrop(event: DragEvent): void {
        this.container.classList.remove('drop-target');
        const transfer = event.dataTransfer;
        if (transfer === null) return;
        // Images dropped from the desktop or a browser come as files (perhaps with their URIs too).
        const images = imageFiles(transfer.files);
        if (images.length > 0) {
            event.preventDefault();
            void this.addImages(images);
            return;
        }
        // Explorer items and editor tabs come as URI lists (VS Code's own type first).
        const raw = transfer.getData('application/vnd.code.uri-list') || transfer.getData('text/uri-list');
        const uris = raw
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter((line) => line !== '' && !line.startsWith('#'))
            .slice(0, 100);
        if (uris.length === 0) return;
        event.preventDefault();
        post({ type: 'dropUris', uris });
    }
}

/** The File of an image the host read from disk (dropped from the Explorer), to downscale like any other. */
function imageFileOf(message: Extract<HostToWebviewMessage, { type: 'imageFileRead' }>): File {
    const binary = atob(message.base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new File([bytes], message.name, { type: message.mimeType });
}
