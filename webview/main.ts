// The chat webview's entry point: builds the page, connects input and host messages, and asks for `state`.
import './style.css';
import { bindActions } from './actions';
import { ChatApp } from './app';
import { AttachmentsView } from './attachments';
import type { IncomingMessage } from './app';
import { post } from './messaging';
import { buildShell } from './shell';

function isMessage(data: unknown): data is IncomingMessage {
    return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
}

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
root.id = 'app';
const app = new ChatApp(buildShell(root));
bindActions(app, root);
new AttachmentsView(app, root);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isMessage(event.data)) app.handle(event.data);
});

post({ type: 'ready' });
