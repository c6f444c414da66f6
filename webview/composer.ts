// The composer's behaviour: the input grows with its text up to a limit, the model picker lists the models
// from /v1/models with their context length, and a message sent while a reply streams waits, visibly.
import type { ChatContext } from '../src/protocol';
import { element, makeButton } from './dom';
import { t } from './l10n';
import type { Shell } from './shell';
import { compactNumber } from './usage';

/** The input's tallest height, as a share of the view: past it the input scrolls. */
const MAX_INPUT_SHARE = 0.4;
const MIN_INPUT_PX = 22;

/** Grows (or shrinks) the input to fit its text, up to MAX_INPUT_SHARE of the window. */
export function fitInput(prompt: HTMLTextAreaElement): void {
    prompt.style.height = 'auto';
    const limit = Math.max(MIN_INPUT_PX * 2, Math.floor(window.innerHeight * MAX_INPUT_SHARE));
    const height = Math.min(Math.max(prompt.scrollHeight, MIN_INPUT_PX), limit);
    prompt.style.height = `${height}px`;
    prompt.style.overflowY = prompt.scrollHeight > limit ? 'auto' : 'hidden';
}

/** A model's label in the picker: its name and, when known, its context length. */
function modelLabel(name: string, contextLength: number | undefined): string {
    return contextLength === undefined ? name : t('modelWithContext', name, compactNumber(contextLength));
}

/** Fills the model picker from the context: every listed model, and the current one even if unlisted. */
export function fillModelPicker(picker: HTMLSelectElement, context: ChatContext): void {
    const current = typeof context.model === 'string' && context.model !== '' ? context.model : '';
    const listed = Array.isArray(context.models)
        ? context.models.filter(
              (model): model is { name: string; contextLength?: number } =>
                  typeof model === 'object' &&
                  model !== null &&
                  typeof model.name === 'string' &&
                  model.name !== '',
          )
        : [];
    const models = listed.some((model) => model.name === current)
        ? listed
        : [
              { name: current === '' ? t('unknownModel') : current, contextLength: context.contextLength },
              ...listed,
          ];
    const options = models.map((model) => {
        const option = document.createElement('option');
        option.value = model.name;
        option.textContent = modelLabel(model.name, model.contextLength);
        option.selected = model.name === current;
        return option;
    });
    picker.replaceChildren(...options);
    picker.title = `${t('modelPickerTooltip')}: ${current}`;
}

/** Shows (or hides, for undefined) the notice that a message waits for the reply to end. */
export function showQueued(shell: Shell, text: string | undefined): void {
    shell.queued.hidden = text === undefined;
    if (text === undefined) {
        shell.queued.replaceChildren();
        return;
    }
    const preview = element('span', 'queued-text', text.length > 80 ? `${text.slice(0, 80)}…` : text);
    shell.queued.replaceChildren(
        element('span', 'queued-label', t('queued')),
        preview,
        makeButton('cancel-queued', t('cancel'), t('queuedCancel')),
    );
}
