// Finds the strings a person reads that bypass localization, by reading the sources' syntax trees (the
// TypeScript compiler's parser, so comments, log lines and ids are never mistaken for UI text):
// - webview/*.ts: text put into the page (textContent, title, placeholder, aria-* attributes, text nodes,
//   the `element`/`makeButton`/`iconButton` helpers) must come from `t(...)`, never from a literal;
// - src/**/*.ts: messages, prompts, titles and quick-pick items given to `vscode.window` must come from
//   `vscode.l10n.t(...)`; and every literal given to `l10n.t` must be a key of l10n/bundle.l10n.json;
// - package.json: every title, name and description must be a `%key%` of package.nls.json.
// Used by test/unit/l10n.test.ts and by `npm run l10n` (which rewrites l10n/bundle.l10n.json).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { CONTEXT_STRINGS } from '../../src/context/strings';
import { WEBVIEW_STRINGS } from '../../src/webviewStrings';

export const ROOT = join(__dirname, '../..');

/** One string that bypasses localization, where it is. */
export interface Finding {
    readonly file: string;
    readonly line: number;
    readonly text: string;
}

function sourceFiles(dir: string): string[] {
    const found: string[] = [];
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) found.push(...sourceFiles(path));
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
    }
    return found;
}

function parse(file: string): ts.SourceFile {
    return ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** Text with a letter in it: `${n}%`, '·' or '' are layout, not words. */
function hasWords(text: string): boolean {
    return /\p{L}/u.test(text);
}

/**
 * The literal words inside `node`, an expression whose value a person will read: string literals, the
 * fixed parts of template literals, and both branches of `?:` / `??` / `||` / `+`. A call (`t(...)`), a
 * variable or a property read is someone else's text and not looked into.
 */
function literalWords(node: ts.Expression): string[] {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
        return hasWords(node.text) ? [node.text] : [];
    if (ts.isTemplateExpression(node)) {
        const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
        const words = parts.filter(hasWords);
        const inner = node.templateSpans.flatMap((span) => literalWords(span.expression));
        return words.length > 0 ? [node.getText(), ...inner] : inner;
    }
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return literalWords(node.expression);
    if (ts.isConditionalExpression(node))
        return [...literalWords(node.whenTrue), ...literalWords(node.whenFalse)];
    if (ts.isBinaryExpression(node)) {
        const kind = node.operatorToken.kind;
        if (
            kind === ts.SyntaxKind.PlusToken ||
            kind === ts.SyntaxKind.QuestionQuestionToken ||
            kind === ts.SyntaxKind.BarBarToken
        )
            return [...literalWords(node.left), ...literalWords(node.right)];
    }
    if (ts.isArrayLiteralExpression(node))
        return node.elements.flatMap((element) => (ts.isExpression(element) ? literalWords(element) : []));
    return [];
}

function finding(source: ts.SourceFile, node: ts.Node, text: string): Finding {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    return { file: source.fileName, line, text };
}

/** Properties of a DOM node a person reads (or hears). */
const READ_PROPERTIES = new Set([
    'textContent',
    'innerText',
    'title',
    'placeholder',
    'ariaLabel',
    'alt',
    'label',
]);
/** Attributes a person reads (or hears). */
const READ_ATTRIBUTES = new Set([
    'title',
    'placeholder',
    'alt',
    'label',
    'aria-label',
    'aria-description',
    'aria-valuetext',
    'aria-roledescription',
    'aria-placeholder',
]);
/** Object fields the webview's code uses for text it shows. */
const TEXT_FIELDS = new Set([
    'label',
    'title',
    'headline',
    'hint',
    'tooltip',
    'placeholder',
    'message',
    'summary',
]);
/** Methods whose arguments become text nodes. */
const TEXT_METHODS = new Set(['append', 'prepend', 'replaceChildren', 'createTextNode', 'after', 'before']);
/** The webview's element helpers and the arguments of theirs that are shown: (index → shown). */
const HELPERS: Readonly<Record<string, readonly number[]>> = {
    element: [2],
    makeButton: [1, 2],
    iconButton: [2],
    textButton: [1, 2],
};

function calleeName(call: ts.CallExpression): string | undefined {
    const callee = call.expression;
    if (ts.isIdentifier(callee)) return callee.text;
    if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
    return undefined;
}

/** Literal words put into the page by webview/*.ts without going through `t(...)`. */
export function webviewFindings(): Finding[] {
    return sourceFiles('webview').flatMap((file) => findInWebview(parse(file)));
}

/** The literal words `text` (webview code) puts into the page. */
export function scanWebviewSource(text: string): string[] {
    return findInWebview(ts.createSourceFile('snippet.ts', text, ts.ScriptTarget.Latest, true)).map(
        (f) => f.text,
    );
}

function findInWebview(source: ts.SourceFile): Finding[] {
    const findings: Finding[] = [];
    {
        const report = (node: ts.Node, expression: ts.Expression): void => {
            for (const text of literalWords(expression)) {
                // A key of the strings table (`label: 'usageIn'`) is looked up with t() where it is shown.
                if (!Object.hasOwn(WEBVIEW_STRINGS, text)) findings.push(finding(source, node, text));
            }
        };
        const visit = (node: ts.Node): void => {
            if (
                ts.isBinaryExpression(node) &&
                node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
                ts.isPropertyAccessExpression(node.left) &&
                READ_PROPERTIES.has(node.left.name.text)
            ) {
                report(node, node.right);
            }
            // Tables of UI text: `{ headline: '…', hint: '…' }`, `{ label: '…', title: '…' }`.
            if (ts.isPropertyAssignment(node) && TEXT_FIELDS.has(node.name.getText().replace(/['"]/g, ''))) {
                report(node, node.initializer);
            }
            if (ts.isCallExpression(node)) {
                const name = calleeName(node);
                const args = node.arguments;
                if (name === 'setAttribute' && args.length === 2) {
                    const [attribute, value] = args;
                    if (attribute !== undefined && value !== undefined && ts.isStringLiteral(attribute)) {
                        if (READ_ATTRIBUTES.has(attribute.text)) report(node, value);
                    }
                } else if (name !== undefined && TEXT_METHODS.has(name)) {
                    for (const arg of args) report(node, arg);
                } else if (
                    name !== undefined &&
                    HELPERS[name] !== undefined &&
                    ts.isIdentifier(node.expression)
                ) {
                    for (const index of HELPERS[name] ?? []) {
                        const arg = args[index];
                        if (arg !== undefined) report(node, arg);
                    }
                }
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return findings;
}

/** `vscode.window` calls whose string arguments (and option fields) a person reads. */
const WINDOW_CALLS = new Set([
    'showInformationMessage',
    'showWarningMessage',
    'showErrorMessage',
    'showInputBox',
    'showQuickPick',
    'showSaveDialog',
    'showOpenDialog',
    'withProgress',
    'createWebviewPanel',
    'createStatusBarItem',
    'setStatusBarMessage',
]);
/** Option and item fields a person reads. */
const READ_FIELDS = new Set([
    'title',
    'prompt',
    'placeHolder',
    'detail',
    'label',
    'description',
    'saveLabel',
    'openLabel',
    'tooltip',
    'text',
]);

function isL10nCall(node: ts.Node): node is ts.CallExpression {
    return (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 't' &&
        /(^|\.)l10n$/.test(node.expression.expression.getText())
    );
}

/** Literal words in an argument of a window call: the literal itself, or the fields of option objects. */
function argumentWords(node: ts.Expression): ts.Expression[] {
    if (ts.isObjectLiteralExpression(node)) {
        return node.properties.flatMap((property) => {
            if (!ts.isPropertyAssignment(property)) return [];
            const name = property.name.getText().replace(/['"]/g, '');
            if (READ_FIELDS.has(name)) return [property.initializer];
            return ts.isObjectLiteralExpression(property.initializer)
                ? argumentWords(property.initializer)
                : [];
        });
    }
    if (ts.isArrayLiteralExpression(node))
        return node.elements.flatMap((element) => (ts.isExpression(element) ? argumentWords(element) : []));
    return [node];
}

/** Host strings a person reads that do not go through `vscode.l10n.t`. */
export function hostFindings(): Finding[] {
    return sourceFiles('src').flatMap((file) => findInHost(parse(file)));
}

/** The literal words `text` (host code) shows without `vscode.l10n.t`. */
export function scanHostSource(text: string): string[] {
    return findInHost(ts.createSourceFile('snippet.ts', text, ts.ScriptTarget.Latest, true)).map(
        (f) => f.text,
    );
}

function findInHost(source: ts.SourceFile): Finding[] {
    const findings: Finding[] = [];
    {
        const visit = (node: ts.Node): void => {
            if (ts.isCallExpression(node)) {
                const name = calleeName(node);
                if (name !== undefined && WINDOW_CALLS.has(name)) {
                    for (const arg of node.arguments)
                        for (const expression of argumentWords(arg))
                            for (const text of literalWords(expression))
                                findings.push(finding(source, node, text));
                }
            }
            if (
                ts.isBinaryExpression(node) &&
                node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
                ts.isPropertyAccessExpression(node.left) &&
                ['title', 'description', 'tooltip', 'badge', 'message'].includes(node.left.name.text) &&
                /(view|panel|item|bar)$/i.test(node.left.expression.getText())
            ) {
                for (const text of literalWords(node.right)) findings.push(finding(source, node, text));
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return findings;
}

/** Every literal message given to `l10n.t` in src/, in order of first use: what the bundle must hold. */
export function hostMessages(): string[] {
    const messages = new Set<string>();
    for (const file of sourceFiles('src')) {
        const visit = (node: ts.Node): void => {
            if (isL10nCall(node)) {
                const first = node.arguments[0];
                if (
                    first !== undefined &&
                    (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))
                )
                    messages.add(first.text);
            }
            ts.forEachChild(node, visit);
        };
        visit(parse(file));
    }
    return [...messages];
}

/**
 * Host messages, then the webview's table and the context layer's (src/context/strings.ts, translated by
 * the host): every English string l10n/bundle.l10n.json must translate.
 */
export function bundleMessages(): string[] {
    return [
        ...new Set([...hostMessages(), ...Object.values(WEBVIEW_STRINGS), ...Object.values(CONTEXT_STRINGS)]),
    ];
}

/** Manifest fields a person reads, by their JSON path, that are not `%key%` references into package.nls.json. */
export function manifestFindings(): Finding[] {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const findings: Finding[] = [];
    const shown = new Set([
        'displayName',
        'description',
        'markdownDescription',
        'title',
        'name',
        'contextualTitle',
        'category',
        'shortTitle',
        'enumDescriptions',
        'markdownEnumDescriptions',
        'deprecationMessage',
        'markdownDeprecationMessage',
        'label',
        'contents',
    ]);
    const check = (path: string, value: unknown): void => {
        if (typeof value === 'string') {
            const key = /^%(.+)%$/.exec(value)?.[1];
            if (key === undefined)
                findings.push({ file: 'package.json', line: 0, text: `${path}: ${value}` });
            else if (nls[key] === undefined)
                findings.push({ file: 'package.nls.json', line: 0, text: `${path}: no key ${key}` });
        } else if (Array.isArray(value)) value.forEach((item, i) => check(`${path}[${i}]`, item));
    };
    const walk = (path: string, value: unknown): void => {
        if (Array.isArray(value)) value.forEach((item, i) => walk(`${path}[${i}]`, item));
        else if (typeof value === 'object' && value !== null) {
            for (const [key, child] of Object.entries(value)) {
                const childPath = path === '' ? key : `${path}.${key}`;
                // Only what VS Code shows: not npm's own fields (scripts, dependencies, repository, ...).
                if (shown.has(key)) check(childPath, child);
                else walk(childPath, child);
            }
        }
    };
    const { contributes, capabilities, displayName, description } = manifest;
    walk('', { displayName, description });
    walk('contributes', contributes);
    walk('capabilities', capabilities);
    return findings;
}

/** A finding as one readable line. */
export function describeFinding(item: Finding): string {
    return `${relative('.', item.file)}${item.line > 0 ? `:${item.line}` : ''}: ${item.text}`;
}
