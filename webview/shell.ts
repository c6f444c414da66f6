// The page's fixed frame: in the editor tab one slim header (the sidebar has VS Code's own title bar, so it
// gets none), the demo banner, the history drawer, the scrolling list of turns, the composer (attachments,
// the growing input, the model picker, Send / Stop, the meters) and the live region. Built once.
import { element, iconButton } from './dom';
import { t } from './l10n';

/** Where the chat is shown: the sidebar view or the editor tab. */
export type Surface = 'sidebar' | 'panel';

/** The elements of the frame that the app updates. */
export interface Shell {
    readonly root: HTMLElement;
    readonly surface: Surface;
    readonly header: HTMLElement;
    readonly headerTitle: HTMLElement;
    readonly historyButton: HTMLElement;
    readonly demoBanner: HTMLElement;
    readonly history: HTMLElement;
    readonly historyList: HTMLElement;
    readonly messages: HTMLElement;
    readonly emptyState: HTMLElement;
    readonly turns: HTMLElement;
    /** Filled by the attachments feature: chips of what the next message carries. */
    readonly attachments: HTMLElement;
    /** Where an attach button goes, left of the model picker. */
    readonly attachSlot: HTMLElement;
    readonly queued: HTMLElement;
    readonly modelPicker: HTMLSelectElement;
    readonly contextMeter: HTMLElement;
    readonly totals: HTMLElement;
    readonly prompt: HTMLTextAreaElement;
    readonly sendButton: HTMLElement;
    readonly stopButton: HTMLElement;
    readonly announcer: HTMLElement;
}

function readSurface(root: HTMLElement): Surface {
    return root.dataset['surface'] === 'sidebar' ? 'sidebar' : 'panel';
}

function buildHeader(surface: Surface): { header: HTMLElement; title: HTMLElement; history: HTMLElement } {
    const header = element('header', 'chat-header');
    const title = element('span', 'chat-header-title', t('documentTitle'));
    const newChat = iconButton('new-chat', 'add', t('newChatTooltip'));
    const history = iconButton('history', 'history', t('historyTooltip'));
    history.setAttribute('aria-expanded', 'false');
    history.setAttribute('aria-controls', 'history');
    header.append(title, element('span', 'spacer'), newChat, history);
    // The sidebar's New Chat and History live in VS Code's title bar of the view (package.json view/title).
    header.hidden = surface === 'sidebar';
    return { header, title, history };
}

function buildMeters(): { meters: HTMLElement; totals: HTMLElement; contextMeter: HTMLElement } {
    const meters = element('div', 'meters');
    const totals = element('details', 'totals');
    totals.id = 'totals';
    totals.setAttribute('aria-label', t('totalsTooltip'));
    const contextMeter = element('div', 'context-meter');
    contextMeter.id = 'context-meter';
    contextMeter.setAttribute('role', 'meter');
    contextMeter.setAttribute('aria-label', t('contextUsed'));
    const track = element('span', 'meter-track');
    track.append(element('span', 'meter-bar'));
    contextMeter.append(track, element('span', 'meter-label'));
    meters.append(totals, contextMeter);
    return { meters, totals, contextMeter };
}

/** Builds the frame inside `root`. */
export function buildShell(root: HTMLElement): Shell {
    const surface = readSurface(root);
    root.dataset['surface'] = surface;
    const { header, title: headerTitle, history: historyButton } = buildHeader(surface);

    const demoBanner = element('div', 'demo-banner', t('demoBanner'));
    demoBanner.id = 'demo-banner';
    demoBanner.setAttribute('role', 'note');
    demoBanner.hidden = true;

    const history = element('aside', 'history-drawer');
    history.id = 'history';
    history.setAttribute('aria-label', t('conversations'));
    history.hidden = true;
    const historyList = element('ul', 'history-list');
    history.append(element('h2', 'history-heading', t('conversations')), historyList);

    const messages = element('main', 'messages');
    messages.id = 'messages';
    messages.setAttribute('aria-label', t('conversation'));
    const emptyState = element('div', 'empty-state');
    const turns = element('div', 'turns');
    turns.id = 'turns';
    messages.append(emptyState, turns);

    const composer = element('footer', 'composer');
    const attachments = element('div', 'attachments-bar');
    attachments.id = 'attachments';
    attachments.setAttribute('aria-label', t('attachSlot'));
    const queued = element('div', 'queued');
    queued.id = 'queued';
    queued.hidden = true;

    const inputBox = element('div', 'input-box input-row');
    const prompt = element('textarea', 'prompt-input');
    prompt.id = 'prompt';
    prompt.rows = 1;
    prompt.placeholder = t('placeholder');
    prompt.setAttribute('aria-label', t('messageLabel'));

    const toolbar = element('div', 'composer-toolbar');
    const attachSlot = element('span', 'attach-slot');
    attachSlot.id = 'attach-slot';
    const modelPicker = element('select', 'model-picker');
    modelPicker.id = 'model-picker';
    modelPicker.setAttribute('aria-label', t('modelLabel'));
    modelPicker.title = t('modelPickerTooltip');
    const sendButton = iconButton('send', 'send', t('sendTooltip'));
    sendButton.classList.add('primary');
    const stopButton = iconButton('stop', 'stop', t('stopTooltip'));
    stopButton.classList.add('primary');
    stopButton.hidden = true;
    toolbar.append(attachSlot, modelPicker, element('span', 'spacer'), sendButton, stopButton);
    inputBox.append(prompt, toolbar);

    const { meters, totals, contextMeter } = buildMeters();
    composer.append(attachments, queued, inputBox, meters);

    const announcer = element('div', 'visually-hidden');
    announcer.id = 'announcer';
    announcer.setAttribute('aria-live', 'polite');
    announcer.setAttribute('role', 'status');

    root.replaceChildren(header, demoBanner, history, messages, composer, announcer);
    return {
        root,
        surface,
        header,
        headerTitle,
        historyButton,
        demoBanner,
        history,
        historyList,
        messages,
        emptyState,
        turns,
        attachments,
        attachSlot,
        queued,
        modelPicker,
        contextMeter,
        totals,
        prompt,
        sendButton,
        stopButton,
        announcer,
    };
}
