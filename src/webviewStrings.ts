// Every string the chat webview shows a person, in English. The host hands them to the webview translated
// (each value goes through `vscode.l10n.t`, so l10n/bundle.l10n.json lists each one); the webview reads
// them through webview/l10n.ts and never spells text of its own. No vscode import: both sides use it.
// `{0}`, `{1}` … are filled by the webview.

export const WEBVIEW_STRINGS = {
    // The frame
    documentTitle: 'Cohere Chat',
    demoBanner: 'Offline demo: replies come from a local fake Cohere server',
    conversation: 'Conversation',
    newChat: 'New Chat',
    newChatTooltip: 'Start a new chat',
    history: 'History',
    historyTooltip: 'Show earlier conversations',
    conversations: 'Conversations',
    announcer: 'Chat status',

    // The composer
    messageLabel: 'Message',
    placeholder: 'Ask Cohere… (Enter to send, Shift+Enter for a new line)',
    send: 'Send',
    sendTooltip: 'Send message (Enter)',
    stop: 'Stop',
    stopTooltip: 'Stop the reply (Escape)',
    modelLabel: 'Model',
    modelPickerTooltip: 'Choose the model new messages go to',
    modelWithContext: '{0} · {1} context',
    attachSlot: 'Attachments',

    // Attachments above the composer (webview/attachments.ts)
    attachTooltip:
        'Attach files, a folder, the selection, the editor or problems (or type #); paste or drop images',
    attachmentRemove: 'Remove {0}',
    attachmentStopSending: 'Stop sending {0} with later messages',
    attachmentsKept: 'Sent with every message:',
    attachmentWillNotSend: 'Will not be sent: {0}',
    pastedImage: 'Pasted image',
    imageUnsupported: '{0} was not attached: only PNG, JPEG, WebP and GIF images can be sent.',
    imageUnreadable: '{0} was not attached: it could not be read as an image.',
    imagePreview: 'Image {0}',
    mentions: 'Mentions',
    mentionFile: 'Pick workspace files',
    mentionFolder: 'Pick a folder',
    mentionSelection: 'The editor selection',
    mentionEditor: 'The active file',
    mentionProblems: 'Problems of the active file',
    mentionWorkspace: 'Search the whole workspace',
    queued: 'Queued: it is sent when the reply ends.',
    queuedAnnouncement: 'Your message is queued and will be sent when the reply ends.',
    queuedCancel: 'Cancel queued message',

    // Following the stream (webview/follow.ts)
    jumpToLatest: 'Jump to latest ↓',
    jumpToLatestLabel: 'Jump to the latest message',

    // Tool steps above a reply (webview/toolSteps.ts)
    toolSteps: 'Tool steps',
    toolRunning: 'running…',
    toolFailed: 'failed',
    toolCancelled: 'cancelled',
    toolTruncated: 'cut to fit',
    changeApplied: 'Applied to {0}',
    changeRejected: 'Rejected: {0} is unchanged',
    changeRefused: 'Refused: {0} changed since it was read',
    changeUndone: 'Undone: {0} is as it was',
    undoChange: 'Undo',
    undoChangeOf: 'Undo the change to {0}',
    retryFromStep: 'Retry from step {0}',
    retryFromStepTooltip: 'Send it again from tool step {0}; the steps done before it are kept',
    showDiff: 'Show Diff',
    showDiffOf: 'Show the change to {0} as a diff',
    apply: 'Apply',
    applyCode: 'Apply this code to a file (shown as a diff first)',

    // The empty state
    emptyTitle: 'Ask Cohere about your code.',
    emptyLine: 'Answers stream in, cite the code or documents you attach, and can be copied into the editor.',
    suggestionsLabel: 'Suggested prompts',
    suggestionExplain: 'Explain the selected code',
    suggestionExplainPrompt: 'Explain what this code does, step by step.',
    suggestionTests: 'Write tests for it',
    suggestionTestsPrompt: 'Write unit tests for this code, covering its edge cases.',
    suggestionBugs: 'Find bugs',
    suggestionBugsPrompt: 'Review this code and point out bugs or risky parts.',
    suggestionConcept: 'Explain a concept',
    suggestionConceptPrompt: 'Explain the difference between a process and a thread.',
    noKey: 'No Cohere API key is set yet.',
    setApiKey: 'Set API Key',

    // A turn
    turnLabel: 'Message and reply',
    you: 'You',
    yourMessage: 'Your message',
    attached: 'Attached',
    thinking: 'Thinking',
    edit: 'Edit',
    editTooltip: 'Edit and resend this message',
    editLabel: 'Edit message',
    sendEdit: 'Send',
    sendEditTooltip: 'Send the edited message',
    cancel: 'Cancel',
    cancelEditTooltip: 'Cancel editing',
    copy: 'Copy',
    copyReplyTooltip: 'Copy the reply',
    copyMessageTooltip: 'Copy the message',
    retry: 'Retry',
    retryTooltip: 'Retry this message',
    regenerate: 'Regenerate',
    regenerateTooltip: 'Regenerate the reply',
    continue: 'Continue',
    continueTooltip: 'Continue the reply',
    export: 'Export',
    exportTooltip: 'Export the chat as Markdown',
    showLogs: 'Show Logs',
    generating: 'Generating…',
    waiting: 'Waiting for the reply…',
    stopped: 'Stopped',
    failed: 'Failed',
    retryingIn: 'Retrying in {0} s…',
    replyFailed: 'The reply failed',
    replyStopped: 'Reply stopped',
    replyFinished: 'Reply finished',
    unknown: 'unknown',
    unknownModel: 'Cohere',
    turnUnreadable: 'This message could not be shown.',
    historyUnreadable: 'The history could not be shown.',

    // Errors
    errorUnauthorized: 'Cohere did not accept the API key.',
    errorUnauthorizedHint: 'Set a valid key to continue.',
    errorForbidden: 'This API key may not use this model or endpoint.',
    errorRateLimited: 'Cohere is rate limiting this key.',
    errorRateLimitedHint: 'Wait a moment, then retry.',
    errorRateLimitedWait: 'Wait {0} s, then retry.',
    errorNetwork: 'Could not reach Cohere.',
    errorTimeout: 'Cohere did not answer in time.',
    errorProxyHint:
        'If you are behind a proxy, check the http.proxy setting (or HTTPS_PROXY / NO_PROXY) and the logs.',
    errorBadRequest: 'Cohere refused the request:',
    errorServer: 'Cohere had a server error.',
    errorAborted: 'The request was cancelled.',
    errorProtocol: 'Cohere sent a reply this extension could not read.',
    errorGeneration: 'The model stopped with an error.',
    errorUnknown: 'Something went wrong ({0}).',
    errorNoApiKey: 'No Cohere API key is set, so nothing was sent.',
    errorNoApiKeyHint: 'Set a key and send the message again.',
    errorSafetyBlock: 'Cohere blocked this message or its reply for safety (HTTP 498).',
    errorSafetyBlockHint: 'Rephrase the message, then retry.',
    errorInterrupted: 'The connection was cut before the reply was complete.',

    // Finish reasons
    finishMaxTokens: 'The reply was cut: it reached the maximum number of tokens.',
    finishStopSequence: 'The reply ended at a stop sequence.',
    finishError: 'The model stopped with an error.',
    finishTimeout: 'The model timed out before finishing the reply.',
    finishToolCall: 'The model asked to call a tool, which this chat does not offer.',
    finishOther: 'The reply finished: {0}.',

    // Citations and sources
    citation: 'Citation {0}',
    citationSources: 'Sources of citation {0}',
    noSources: 'No sources were given.',
    document: 'Document',
    toolOutput: 'Tool output',
    toolOutputWithId: 'Tool output ({0})',
    unknownSource: 'Source of an unknown kind',
    revealSource: 'Reveal {0} in the editor',

    // Code blocks
    copyCode: 'Copy code',
    insert: 'Insert',
    insertCode: 'Insert code at cursor',

    // Usage
    tokenUsage: 'Token usage',
    tokensShort: '{0} tokens',
    cachedShort: '{0} cached',
    usageInput: 'Input tokens',
    usageOutput: 'Output tokens',
    usageBilledInput: 'Billed input tokens',
    usageBilledOutput: 'Billed output tokens',
    usageCached: 'Cached input tokens',
    usageIn: 'in',
    usageOut: 'out',
    usageBilledIn: 'billed in',
    usageBilledOut: 'billed out',
    usageCachedLabel: 'cached',
    usageImages: 'Input tokens of the images (counted in the input)',
    usageImagesLabel: 'of images',
    totalsLabel: 'Conversation:',
    totalsTooltip: 'Conversation token totals',
    contextUsed: 'Context used',
    contextValue: '{0} of {1} tokens ({2}%)',
    contextTokens: '{0} tokens',
    contextLabel: '{0}% of {1} context',

    // History
    noHistory: 'No earlier conversations.',
    untitled: 'Untitled',
    oneMessage: '1 message',
    messages: '{0} messages',
    openConversation: 'Open {0}',
    rename: 'Rename',
    renameConversation: 'Rename {0}',
    delete: 'Delete',
    deleteConversation: 'Delete {0}',
    newTitle: 'New title',
    searchConversations: 'Search conversations',
    noMatches: 'No conversations match.',
    historyToday: 'Today',
    historyYesterday: 'Yesterday',
    historyLastWeek: 'Last 7 days',
    historyOlder: 'Older',
    closeHistory: 'Close the history (Escape)',
    needsNewerVersion: 'Saved by a newer version of Cohere Chat: update the extension to open it',
    close: 'Close',

    // Links
    linkRefused: 'This link was not opened: {0}',
} as const;

/** A key of the webview's strings table. */
export type WebviewStringKey = keyof typeof WEBVIEW_STRINGS;

/** The table as handed to the webview: every key, each value translated. */
export type WebviewStrings = Readonly<Record<WebviewStringKey, string>>;

/** The table with every value put through `translate` (the host passes `vscode.l10n.t`). */
export function translateWebviewStrings(translate: (english: string) => string): WebviewStrings {
    const entries = Object.entries(WEBVIEW_STRINGS).map(([key, english]) => [key, translate(english)]);
    return Object.fromEntries(entries) as WebviewStrings;
}
