// Every sentence the context layer says to a person (refusals, what will not be sent), in English. Like
// the webview's table, each value is a message of l10n/bundle.l10n.json: the host hands the functions
// here the table put through `vscode.l10n.t`, and plain Node tests use it as it is. No vscode import.
// `{0}`, `{1}` … are filled by `fill`.

export const CONTEXT_STRINGS = {
    refusedBinary: '{0} was not attached: it is a binary file.',
    refusedTooLarge: '{0} was not attached: it is {1}, over the {2} limit.',
    leftOut: "{0} of {1} documents do not fit the model's context and will not be sent: {2}.",
    leftOutMore: '{0} and {1} more',
    problemsOf: 'Problems: {0}',
    imageNoVision: '{0} does not take images: choose a vision model (such as {1}) to send this image.',
    imageFormat: '{0} was not attached: only PNG, JPEG, WebP and GIF images can be sent.',
    imageTooLarge: '{0} was not attached: it is {1} after downscaling, over the {2} limit for one image.',
    imageTooMany: '{0} was not attached: at most {1} images can go with one message.',
    imageTotal: '{0} was not attached: the images of one message may total at most {1}.',
    imagesOfEarlierMessages: 'Images of earlier messages are not sent to {0}: it does not take images.',
} as const;

export type ContextStringKey = keyof typeof CONTEXT_STRINGS;

/** The table as the functions of src/context/ read it: every key, each value translated. */
export type ContextStrings = Readonly<Record<ContextStringKey, string>>;

/** The table with every value put through `translate` (the host passes `vscode.l10n.t`). */
export function translateContextStrings(translate: (english: string) => string): ContextStrings {
    const entries = Object.entries(CONTEXT_STRINGS).map(([key, english]) => [key, translate(english)]);
    return Object.fromEntries(entries) as ContextStrings;
}

/** `template` with `{0}`, `{1}` … replaced by `args` (a placeholder with no argument stays as it is). */
export function fill(template: string, ...args: readonly (string | number)[]): string {
    return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
        const value = args[Number(index)];
        return value === undefined ? whole : String(value);
    });
}
