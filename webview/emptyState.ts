// What a new chat shows: one line of what the chat can do, a few prompts that fill the composer, and
// without a key the Set API Key action.
import type { ChatContext } from '../src/protocol';
import type { WebviewStringKey } from '../src/webviewStrings';
import { element, makeButton } from './dom';
import { icon } from './icons';
import { t } from './l10n';

const SUGGESTIONS: readonly { label: WebviewStringKey; prompt: WebviewStringKey }[] = [
    { label: 'suggestionExplain', prompt: 'suggestionExplainPrompt' },
    { label: 'suggestionTests', prompt: 'suggestionTestsPrompt' },
    { label: 'suggestionBugs', prompt: 'suggestionBugsPrompt' },
    { label: 'suggestionConcept', prompt: 'suggestionConceptPrompt' },
];

/** Fills `container` with the empty state for `context` (undefined before the first `state`). */
export function renderEmptyState(container: HTMLElement, context: ChatContext | undefined): void {
    const mark = icon('sparkle');
    mark.classList.add('empty-icon');
    const children: HTMLElement[] = [
        mark,
        element('p', 'empty-title', t('emptyTitle')),
        element('p', 'empty-line', t('emptyLine')),
    ];
    if (context !== undefined && context.hasApiKey === false) {
        const notice = element('p', 'empty-key', t('noKey'));
        notice.append(' ', makeButton('set-api-key', t('setApiKey'), t('setApiKey'), { secondary: false }));
        children.push(notice);
    }
    const list = element('ul', 'suggestions');
    list.setAttribute('aria-label', t('suggestionsLabel'));
    for (const suggestion of SUGGESTIONS) {
        const button = element('button', 'suggestion', t(suggestion.label));
        button.type = 'button';
        button.dataset['action'] = 'suggest';
        button.dataset['prompt'] = t(suggestion.prompt);
        const item = element('li', '');
        item.append(button);
        list.append(item);
    }
    children.push(list);
    container.replaceChildren(...children);
}
