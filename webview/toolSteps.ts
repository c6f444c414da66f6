// The tool steps of a turn, above its reply: each step's plan (or thinking), each call with its
// arguments and its result summarised (the documents that went back, expandable), and what became of
// a proposed change, with a button that shows its diff again (and Undo, once it was applied). Rebuilt from the turn on every update;
// which results were expanded is kept.
import type { Attachment, ToolStep, ToolStepCall, Turn } from '../src/chat/model';
import { isStepComplete } from '../src/chat/toolMessages';
import { element, makeButton } from './dom';
import { t } from './l10n';

const MAX_ARGUMENT_CHARS = 300;
const MAX_RESULT_CHARS = 4000;

/** Results the person expanded, per turn view host, by call id (they stay open across re-renders). */
const expanded = new WeakMap<HTMLElement, Set<string>>();

/** Renders the turn's steps into `host` (emptied when there are none). */
export function renderToolSteps(host: HTMLElement, turn: Turn): void {
    const steps = turn.steps ?? [];
    host.hidden = steps.length === 0;
    if (steps.length === 0) {
        host.replaceChildren();
        return;
    }
    const open = expanded.get(host) ?? new Set<string>();
    expanded.set(host, open);
    host.className = 'tool-steps';
    host.setAttribute('aria-label', t('toolSteps'));
    host.replaceChildren(...steps.map((step, index) => renderStep(step, index, open)));
}

function renderStep(step: ToolStep, index: number, open: Set<string>): HTMLElement {
    const view = element('div', 'tool-step');
    view.dataset['step'] = String(index + 1);
    if (step.plan !== undefined) {
        view.append(element('p', 'tool-plan', step.plan));
    } else if (step.thinking !== undefined) {
        const thinking = element('details', 'tool-thinking');
        thinking.append(
            element('summary', '', t('thinking')),
            element('p', 'tool-thinking-text', step.thinking),
        );
        view.append(thinking);
    }
    const calls = element('ul', 'tool-calls');
    calls.append(...step.calls.map((call) => renderCall(call, open)));
    view.append(calls);
    return view;
}

function renderCall(call: ToolStepCall, open: Set<string>): HTMLElement {
    const item = element('li', 'tool-call');
    item.dataset['callId'] = call.id;
    item.dataset['status'] = call.status;
    const details = element('details', 'tool-call-details');
    details.open = open.has(call.id);
    details.addEventListener('toggle', () => {
        if (details.open) open.add(call.id);
        else open.delete(call.id);
    });
    const summary = element('summary', 'tool-call-summary');
    summary.append(
        element('code', 'tool-name', call.name),
        element('span', 'tool-args', argumentsText(call.arguments)),
        element('span', 'tool-status', statusOf(call)),
    );
    if (call.summary !== undefined) summary.append(element('span', 'tool-result-summary', call.summary));
    if (call.truncated === true) summary.append(element('span', 'tool-truncated', t('toolTruncated')));
    details.append(summary, element('pre', 'tool-result', resultText(call)));
    item.append(details);
    if (call.change !== undefined) {
        const change = element('div', 'tool-change');
        change.dataset['outcome'] = call.change.outcome;
        change.append(
            element('span', 'tool-change-outcome', changeText(call.change.outcome, call.change.path)),
        );
        if (call.change.after !== undefined) {
            const button = makeButton('show-tool-change', t('showDiff'), t('showDiffOf', call.change.path));
            button.dataset['callId'] = call.id;
            change.append(button);
        }
        if (call.change.outcome === 'applied' && call.change.after !== undefined) {
            const undo = makeButton('undo-tool-change', t('undoChange'), t('undoChangeOf', call.change.path));
            undo.dataset['callId'] = call.id;
            change.append(undo);
        }
        item.append(change);
    }
    return item;
}

function statusOf(call: ToolStepCall): string {
    switch (call.status) {
        case 'running':
            return t('toolRunning');
        case 'done':
            return '';
        case 'error':
            return t('toolFailed');
        case 'cancelled':
            return t('toolCancelled');
    }
}

function changeText(outcome: 'applied' | 'rejected' | 'refused' | 'undone', path: string): string {
    if (outcome === 'applied') return t('changeApplied', path);
    if (outcome === 'rejected') return t('changeRejected', path);
    if (outcome === 'undone') return t('changeUndone', path);
    return t('changeRefused', path);
}

/** `path: "src/app.ts", start_line: 3` from the JSON arguments (the raw text when they are not JSON). */
function argumentsText(raw: string): string {
    let text = raw;
    try {
        const parsed: unknown = JSON.parse(raw === '' ? '{}' : raw);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
            text = Object.entries(parsed)
                .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
                .join(', ');
        }
    } catch {
        // Not JSON (a bad call): shown as it came.
    }
    return text.length > MAX_ARGUMENT_CHARS ? `${text.slice(0, MAX_ARGUMENT_CHARS)}…` : text;
}

function resultText(call: ToolStepCall): string {
    const parts = (call.documents ?? []).map((document) =>
        Object.entries(document.data)
            .map(([key, value]) => (value.includes('\n') ? `${key}:\n${value}` : `${key}: ${value}`))
            .join('\n'),
    );
    const text = parts.join('\n\n');
    return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…` : text;
}

/**
 * A stopped or failed turn keeps its complete tool steps on Retry (the host goes on after them): its
 * Retry buttons say from which step, so a person knows the work done is not redone.
 */
export function labelRetryFromStep(host: HTMLElement, turn: Turn): void {
    const steps = turn.steps ?? [];
    const kept = steps.findIndex((step) => !isStepComplete(step));
    const done = kept === -1 ? steps.length : kept;
    if (done === 0 || (turn.status !== 'stopped' && turn.status !== 'failed')) return;
    for (const button of host.querySelectorAll<HTMLElement>('[data-action="retry"]')) {
        button.textContent = t('retryFromStep', done + 1);
        button.title = t('retryFromStepTooltip', done + 1);
        button.setAttribute('aria-label', button.title);
    }
}

/**
 * The documents tools read, as attachments the citation panel can open: a citation of `<call id>:0`
 * is then a button that reveals those lines, like an attached selection.
 */
export function toolAttachments(turn: Turn): Attachment[] {
    const attachments: Attachment[] = [];
    for (const step of turn.steps ?? []) {
        for (const call of step.calls) {
            for (const document of call.documents ?? []) {
                if (document.path === undefined || document.startLine === undefined) continue;
                const end = document.endLine ?? document.startLine;
                attachments.push({
                    id: document.id,
                    title: `${document.path}:${document.startLine}-${end}`,
                    text: document.data['text'] ?? document.data['matches'] ?? '',
                });
            }
        }
    }
    return attachments;
}
