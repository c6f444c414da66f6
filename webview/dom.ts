// Small DOM helpers shared by the views. Text always goes in through textContent, never through HTML.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { icon, type IconName } from './icons';

/** A labelled `vscode-button` carrying `data-action`, which the app's one click handler dispatches on. */
export function makeButton(
    action: string,
    label: string,
    ariaLabel: string = label,
    options: { secondary?: boolean } = {},
): HTMLElement {
    const button = document.createElement('vscode-button');
    button.dataset['action'] = action;
    button.setAttribute('aria-label', ariaLabel);
    button.title = ariaLabel;
    if (options.secondary !== false) button.setAttribute('secondary', '');
    button.textContent = label;
    return button;
}

/** An element with a class and, optionally, its text. */
export function element<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className: string,
    text?: string,
): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (className !== '') node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
}

/**
 * A codicon button carrying `data-action`: a plain `<button>` (focusable, 24×24 px at least, named by
 * `label` for screen readers and as its tooltip). Hand-built rather than `vscode-toolbar-button`, which
 * needs the whole codicon.css in the page.
 */
export function iconButton(action: string, name: IconName, label: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'icon-button';
    button.dataset['action'] = action;
    button.setAttribute('aria-label', label);
    button.title = label;
    button.append(icon(name));
    return button;
}
