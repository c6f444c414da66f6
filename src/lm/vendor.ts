// The names package.json gives Cohere in VS Code's chat.

/** The vendor in `languageModelChatProviders`. */
export const LANGUAGE_MODEL_VENDOR = 'cohere';
