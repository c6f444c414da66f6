// The command ids the manifest contributes and activate() registers; the manifest test checks both agree.

/** Every command of the extension, by its name in the command table. */
export const COMMAND_IDS = {
    chat: 'cohere.chat',
    newChat: 'cohere.newChat',
    showHistory: 'cohere.showHistory',
    setApiKey: 'cohere.setApiKey',
    clearApiKey: 'cohere.clearApiKey',
    sendSelection: 'cohere.sendSelection',
    askAboutSelection: 'cohere.askAboutSelection',
    selectModel: 'cohere.selectModel',
    exportChat: 'cohere.exportChat',
    testConnection: 'cohere.testConnection',
    showLogs: 'cohere.showLogs',
    askAbout: 'cohere.askAbout',
    attachFile: 'cohere.attachFile',
    attachFolder: 'cohere.attachFolder',
    attachProblems: 'cohere.attachProblems',
    attachEditor: 'cohere.attachEditor',
    rebuildWorkspaceIndex: 'cohere.rebuildWorkspaceIndex',
    // The sidebar's title-bar actions: VS Code tells a view/title command nothing about its view, so the
    // sidebar has commands of its own that act on the sidebar's chat (hidden from the palette).
    sidebarNewChat: 'cohere.chatView.newChat',
    sidebarShowHistory: 'cohere.chatView.showHistory',
    sidebarExportChat: 'cohere.chatView.exportChat',
} as const;

export type CommandName = keyof typeof COMMAND_IDS;

/** The titles the manifest gives the commands (category "Cohere"), for messages about them. */
export const COMMAND_TITLES: Readonly<Record<CommandName, string>> = {
    chat: 'Chat',
    newChat: 'New Chat',
    showHistory: 'Show History',
    setApiKey: 'Set API Key',
    clearApiKey: 'Clear API Key',
    sendSelection: 'Send Selection as Prompt',
    askAboutSelection: 'Ask About Selection…',
    selectModel: 'Select Model',
    exportChat: 'Export Chat as Markdown',
    testConnection: 'Test Connection',
    showLogs: 'Show Logs',
    askAbout: 'Ask Cohere About…',
    attachFile: 'Attach File…',
    attachFolder: 'Attach Folder…',
    attachProblems: 'Attach Problems',
    attachEditor: 'Attach Active File',
    rebuildWorkspaceIndex: 'Rebuild Workspace Index',
    sidebarNewChat: 'New Chat',
    sidebarShowHistory: 'Show History',
    sidebarExportChat: 'Export Chat as Markdown',
};

/** The editor-tab chat's webview type (also its `onWebviewPanel:` activation event). */
export const CHAT_PANEL_TYPE = 'cohere.chatPanel';

/** The sidebar chat's view id. */
export const CHAT_VIEW_ID = 'cohere.chatView';
