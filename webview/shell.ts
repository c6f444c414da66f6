// The page's fixed frame: toolbar, demo banner, history drawer, the scrolling list of turns, the composer
// with the meters, and the live region. Built once; everything else lives inside it.
import { element, makeButton } from './dom';
import { t } from './l10n';

/** The elements of the frame that the app updates. */
export interface Shell {
    readonly modelName: HTMLElement;
    readonly historyButton: HTMLElement;
    readonly demoBanner: HTMLElement;
    readonly history: HTMLElement;
    readonly historyList: HTMLElement;
    readonly messages: HTMLElement;
    readonly emptyState: HTMLElement;
    readonly turns: HTMLElement;
    readonly contextMeter: HTMLElement;
    readonly totals: HTMLElement;
    readonly prompt: HTMLTextAreaElement;
    readonly sendButton: HTMLElement;
    readonly stopButton: HTMLElement;
    readonly announcer: HTMLElement;
}

/** Builds the frame inside `root`. */
export function buildShell(root: HTMLElement): Shell {
    const toolbar = element('header', 'toolbar');
    const title = element('span', 'toolbar-title', t('documentTitle'));
    const modelName = element('span', 'model-name');
    modelName.setAttribute('aria-label', t('modelLabel'));
    const spacer = element('span', 'spacer');
    const newChat = makeButton('new-chat', t('newChat'), t('newChatTooltip'));
    const historyButton = makeButton('history', t('history'), t('historyTooltip'));
    historyButton.setAttribute('aria-expanded', 'false');
    historyButton.setAttribute('aria-controls', 'history');
    toolbar.append(title, modelName, spacer, newChat, historyButton);

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
    const meters = element('div', 'meters');
    const contextMeter = element('div', 'context-meter');
    contextMeter.id = 'context-meter';
    contextMeter.setAttribute('role', 'meter');
    contextMeter.setAttribute('aria-label', t('contextUsed'));
    contextMeter.append(element('span', 'meter-track'), element('span', 'meter-label'));
    contextMeter.firstElementChild?.append(element('span', 'meter-bar'));
    const totals = element('div', 'totals');
    totals.id = 'totals';
    totals.setAttribute('aria-label', t('totalsTooltip'));
    meters.append(element('span', 'totals-label', t('totalsLabel')), totals, contextMeter);

    const inputRow = element('div', 'input-row');
    const prompt = element('textarea', 'prompt-input');
    prompt.id = 'prompt';
    prompt.rows = 3;
    prompt.placeholder = t('placeholder');
    prompt.setAttribute('aria-label', t('messageLabel'));
    const sendButton = makeButton('send', t('send'), t('sendTooltip'), { secondary: false });
    const stopButton = makeButton('stop', t('stop'), t('stopTooltip'), { secondary: false });
    stopButton.hidden = true;
    inputRow.append(prompt, sendButton, stopButton);
    composer.append(inputRow, meters);

    const announcer = element('div', 'visually-hidden');
    announcer.id = 'announcer';
    announcer.setAttribute('aria-live', 'polite');
    announcer.setAttribute('role', 'status');

    root.replaceChildren(toolbar, demoBanner, history, messages, composer, announcer);
    return {
        modelName,
        historyButton,
        demoBanner,
        history,
        historyList,
        messages,
        emptyState,
        turns,
        contextMeter,
        totals,
        prompt,
        sendButton,
        stopButton,
        announcer,
    };
}
