// The host's gate for messages from the chat webview. A webview renders untrusted model output,
// so everything it posts is checked here - type, every field's type and size, no extra fields -
// before any handler sees it.
import { ATTACH_KINDS, WEBVIEW_COMMANDS } from '../protocol';
import type { WebviewToHostMessage } from '../protocol';

/** Longest prompt or edited prompt accepted from the webview (characters). */
export const MAX_TEXT_LENGTH = 200_000;
/** Longest code block accepted for Copy / Insert at Cursor (characters). */
export const MAX_CODE_LENGTH = 1_000_000;
export const MAX_ID_LENGTH = 200;
export const MAX_TITLE_LENGTH = 500;
export const MAX_URL_LENGTH = 8192;

type FieldCheck = (value: unknown) => boolean;

function id(value: unknown): boolean {
    return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function prompt(value: unknown): boolean {
    return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TEXT_LENGTH;
}

function title(value: unknown): boolean {
    return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TITLE_LENGTH;
}

function url(value: unknown): boolean {
    return typeof value === 'string' && value.length > 0 && value.length <= MAX_URL_LENGTH;
}

function code(value: unknown): boolean {
    return typeof value === 'string' && value.length <= MAX_CODE_LENGTH;
}

function draft(value: unknown): boolean {
    return typeof value === 'string' && value.length <= MAX_TEXT_LENGTH;
}

function revision(value: unknown): boolean {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function command(value: unknown): boolean {
    return (WEBVIEW_COMMANDS as readonly unknown[]).includes(value);
}

const TURN = { conversationId: id, turnId: id };

function attachKind(value: unknown): boolean {
    return (ATTACH_KINDS as readonly unknown[]).includes(value);
}

/** A downscaled image (fitted into 2048×1536, at most 5 MB decoded) as a data URI: under 7 M characters. */
export const MAX_IMAGE_URL_LENGTH = 7_000_000;
/** A chip's preview is a small image. */
export const MAX_THUMBNAIL_LENGTH = 200_000;

function imageUrl(limit: number): FieldCheck {
    return (value) =>
        typeof value === 'string' &&
        value.length <= limit &&
        /^data:image\/(png|jpeg|webp|gif);base64,/.test(value.slice(0, 40));
}

function pixels(value: unknown): boolean {
    return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 100_000;
}

/** At most 100 dropped URIs, each a URL-sized string. */
function uriList(value: unknown): boolean {
    return Array.isArray(value) && value.length > 0 && value.length <= 100 && value.every(url);
}

function citedText(value: unknown): boolean {
    return typeof value === 'string' && value.length <= MAX_TITLE_LENGTH * 4;
}

/** Fields a message may leave out; when present they are checked like the others. */
const OPTIONAL: Partial<Record<string, Record<string, FieldCheck>>> = {
    revealSource: { citedText },
};

// Every message type and its fields besides `type`. `satisfies` keeps this table in step with the
// protocol: a message type added there and missing here is a compile error.
const SCHEMAS = {
    ready: {},
    send: { conversationId: id, text: prompt },
    stop: TURN,
    retry: TURN,
    regenerate: TURN,
    edit: { ...TURN, text: prompt },
    continue: TURN,
    newChat: {},
    openConversation: { conversationId: id },
    renameConversation: { conversationId: id, title },
    deleteConversation: { conversationId: id },
    openLink: { url },
    copyCode: { code },
    insertCode: { code },
    revealSource: { ...TURN, documentId: id },
    setModel: { model: id },
    saveDraft: { text: draft, revision },
    showToolChange: { ...TURN, callId: id },
    undoToolChange: { ...TURN, callId: id },
    applyCode: { ...TURN, code, info: citedText },
    attach: { kind: attachKind },
    attachImage: {
        name: title,
        dataUrl: imageUrl(MAX_IMAGE_URL_LENGTH),
        width: pixels,
        height: pixels,
        thumbnail: imageUrl(MAX_THUMBNAIL_LENGTH),
    },
    dropUris: { uris: uriList },
    removeAttachment: { id },
    retireDocument: { conversationId: id, documentId: id },
    command: { command },
} satisfies Record<WebviewToHostMessage['type'], Record<string, FieldCheck>>;

/**
 * Returns the message when `raw` is exactly one well-formed WebviewToHost message, else undefined.
 * The result is a fresh object holding only the checked fields.
 */
export function parseWebviewMessage(raw: unknown): WebviewToHostMessage | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
    const record = raw as Record<string, unknown>;
    const type = record['type'];
    if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type)) return undefined;
    const schema: Record<string, FieldCheck> = SCHEMAS[type as keyof typeof SCHEMAS];
    const optional = OPTIONAL[type] ?? {};
    const keys = Object.keys(record);
    const present = Object.keys(optional).filter((field) => Object.hasOwn(record, field));
    if (keys.length !== Object.keys(schema).length + present.length + 1) return undefined;
    const result: Record<string, unknown> = { type };
    for (const [field, check] of Object.entries(schema)) {
        if (!Object.hasOwn(record, field) || !check(record[field])) return undefined;
        result[field] = record[field];
    }
    for (const field of present) {
        if (!optional[field]?.(record[field])) return undefined;
        result[field] = record[field];
    }
    return result as unknown as WebviewToHostMessage;
}
