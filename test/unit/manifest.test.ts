import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
    CHAT_PANEL_TYPE,
    CHAT_VIEW_ID,
    COMMAND_IDS,
    COMMAND_TITLES,
    type CommandName,
} from '../../src/commands/ids';

interface Manifest {
    activationEvents: string[];
    capabilities: {
        untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] };
    };
    contributes: {
        commands: { command: string; title: string; category: string }[];
        views: Record<string, { id: string; type?: string; name: string }[]>;
        viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
        menus: Record<string, { command: string; when?: string; group?: string }[]>;
        configuration: { properties: Record<string, Record<string, unknown>> };
        keybindings?: unknown[];
    };
}

/** The manifest as VS Code shows it in English: every `%key%` replaced from package.nls.json. */
function readManifest(): Manifest {
    const nls = JSON.parse(readFileSync(join(__dirname, '../../package.nls.json'), 'utf8')) as Record<
        string,
        string
    >;
    return JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'), (_key, value: unknown) =>
        typeof value === 'string'
            ? value.replace(/^%(.+)%$/, (match, key: string) => nls[key] ?? match)
            : value,
    ) as Manifest;
}

const manifest = readManifest();
const contributes = manifest.contributes;

void describe('the manifest', () => {
    void test('contributes exactly the commands the extension registers, with their titles, under "Cohere"', () => {
        const titles = Object.fromEntries(
            contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]),
        );
        assert.deepEqual(titles, {
            [COMMAND_IDS.chat]: 'Cohere: Chat',
            [COMMAND_IDS.newChat]: 'Cohere: New Chat',
            [COMMAND_IDS.showHistory]: 'Cohere: Show History',
            [COMMAND_IDS.setApiKey]: 'Cohere: Set API Key',
            [COMMAND_IDS.clearApiKey]: 'Cohere: Clear API Key',
            [COMMAND_IDS.sendSelection]: 'Cohere: Send Selection as Prompt',
            [COMMAND_IDS.askAboutSelection]: 'Cohere: Ask About Selection…',
            [COMMAND_IDS.selectModel]: 'Cohere: Select Model',
            [COMMAND_IDS.exportChat]: 'Cohere: Export Chat as Markdown',
            [COMMAND_IDS.testConnection]: 'Cohere: Test Connection',
            [COMMAND_IDS.showLogs]: 'Cohere: Show Logs',
            [COMMAND_IDS.askAbout]: 'Cohere: Ask Cohere About…',
            [COMMAND_IDS.attachFile]: 'Cohere: Attach File…',
            [COMMAND_IDS.attachFolder]: 'Cohere: Attach Folder…',
            [COMMAND_IDS.attachProblems]: 'Cohere: Attach Problems',
            [COMMAND_IDS.attachEditor]: 'Cohere: Attach Active File',
            // The diff editor's buttons for a change a tool proposed (src/workspace/toolsApprovals.ts).
            'cohere.applyProposal': 'Cohere: Apply Proposed Change',
            'cohere.rejectProposal': 'Cohere: Reject Proposed Change',
            [COMMAND_IDS.rebuildWorkspaceIndex]: 'Cohere: Rebuild Workspace Index',
            // The sidebar title bar's own, acting on the sidebar's chat.
            [COMMAND_IDS.sidebarNewChat]: 'Cohere: New Chat',
            [COMMAND_IDS.sidebarShowHistory]: 'Cohere: Show History',
            [COMMAND_IDS.sidebarExportChat]: 'Cohere: Export Chat as Markdown',
        });
    });

    void test('gives each command the title the extension uses in its messages', () => {
        for (const name of Object.keys(COMMAND_IDS) as CommandName[]) {
            const contributed = contributes.commands.find((c) => c.command === COMMAND_IDS[name]);
            assert.equal(contributed?.title, COMMAND_TITLES[name], name);
        }
    });

    void test('holds the sidebar chat as a webview view in its own activity-bar container', () => {
        assert.deepEqual(contributes.viewsContainers.activitybar, [
            { id: 'cohere', title: 'Cohere', icon: 'media/cohere.svg' },
        ]);
        const views = contributes.views['cohere'] ?? [];
        assert.deepEqual(
            views.map((v) => [v.type, v.id, v.name]),
            [['webview', CHAT_VIEW_ID, 'Chat']],
        );
    });

    void test('activates only through its commands, its view and its restored panel', () => {
        assert.deepEqual(manifest.activationEvents, [`onWebviewPanel:${CHAT_PANEL_TYPE}`]);
        assert.equal(contributes.keybindings, undefined);
    });

    void test('shows the selection commands in the editor menu and the palette only with a selection', () => {
        for (const menu of ['editor/context', 'commandPalette']) {
            const entries = (contributes.menus[menu] ?? []).filter((m) =>
                [COMMAND_IDS.sendSelection, COMMAND_IDS.askAboutSelection].includes(m.command as never),
            );
            assert.equal(entries.length, 2, menu);
            for (const entry of entries) assert.equal(entry.when, 'editorHasSelection');
        }
    });

    void test('puts New Chat, History, Select Model and Export on the sidebar title bar', () => {
        const actions = contributes.menus['view/title'] ?? [];
        assert.deepEqual(
            actions.map((a) => [a.command, a.when]),
            [
                [COMMAND_IDS.sidebarNewChat, `view == ${CHAT_VIEW_ID}`],
                [COMMAND_IDS.sidebarShowHistory, `view == ${CHAT_VIEW_ID}`],
                [COMMAND_IDS.selectModel, `view == ${CHAT_VIEW_ID}`],
                [COMMAND_IDS.sidebarExportChat, `view == ${CHAT_VIEW_ID}`],
            ],
        );
        // The sidebar's own commands act on the sidebar's chat only; the palette has the general ones.
        const hidden = (contributes.menus['commandPalette'] ?? []).filter((m) => m.when === 'false');
        assert.deepEqual(
            hidden.map((m) => m.command),
            [COMMAND_IDS.sidebarNewChat, COMMAND_IDS.sidebarShowHistory, COMMAND_IDS.sidebarExportChat],
        );
        const withIcons = new Set(contributes.commands.filter((c) => 'icon' in c).map((c) => c.command));
        for (const [command] of actions.map((a) => [a.command]))
            assert.ok(withIcons.has(command ?? ''), command);
    });

    void test('declares every cohere.* setting with its type, default and a markdown description', () => {
        const properties = contributes.configuration.properties;
        const summary = Object.fromEntries(
            Object.entries(properties).map(([key, p]) => [key, [p['type'], p['default']]]),
        );
        assert.deepEqual(summary, {
            'cohere.model': ['string', 'command-a-03-2025'],
            'cohere.baseUrl': ['string', ''],
            'cohere.systemPrompt': ['string', ''],
            'cohere.temperature': [['number', 'null'], null],
            'cohere.maxTokens': [['integer', 'null'], null],
            'cohere.stopSequences': ['array', []],
            'cohere.frequencyPenalty': [['number', 'null'], null],
            'cohere.presencePenalty': [['number', 'null'], null],
            'cohere.safetyMode': ['string', ''],
            'cohere.thinking': ['string', 'default'],
            'cohere.thinkingTokenBudget': [['integer', 'null'], null],
            'cohere.citationMode': ['string', 'default'],
            'cohere.stream': ['boolean', true],
            'cohere.timeoutSeconds': ['number', 300],
            'cohere.maxRetries': ['integer', 2],
            'cohere.requestHeaders': ['object', {}],
            'cohere.tools.enabled': ['boolean', false],
            'cohere.tools.maxSteps': ['integer', 8],
            'cohere.tools.runCommand': ['boolean', false],
            'cohere.workspaceRetrieval.sendCode': ['string', 'ask'],
            'cohere.workspaceRetrieval.rerankModel': ['string', 'rerank-v4.0-fast'],
            'cohere.workspaceRetrieval.semantic': ['boolean', false],
            'cohere.workspaceRetrieval.embedInputsPerMinute': ['number', 2000],
        });
        for (const [key, p] of Object.entries(properties)) {
            assert.equal(typeof p['markdownDescription'], 'string', key);
            if (p['enum'])
                assert.equal(
                    (p['enumDescriptions'] as unknown[]).length,
                    (p['enum'] as unknown[]).length,
                    key,
                );
        }
        assert.deepEqual(properties['cohere.safetyMode']?.['enum'], ['', 'CONTEXTUAL', 'STRICT', 'OFF']);
        assert.deepEqual(properties['cohere.thinking']?.['enum'], ['default', 'on', 'off']);
        assert.deepEqual(properties['cohere.citationMode']?.['enum'], ['default', 'ACCURATE', 'FAST', 'OFF']);
        assert.equal(properties['cohere.stopSequences']?.['maxItems'], 5);
        assert.deepEqual(
            [properties['cohere.temperature']?.['minimum'], properties['cohere.temperature']?.['maximum']],
            [0, 1],
        );
        assert.deepEqual(
            [
                properties['cohere.timeoutSeconds']?.['minimum'],
                properties['cohere.timeoutSeconds']?.['maximum'],
            ],
            [1, 3600],
        );
        assert.deepEqual(
            [properties['cohere.maxRetries']?.['minimum'], properties['cohere.maxRetries']?.['maximum']],
            [0, 10],
        );
    });

    void test("in an untrusted workspace, the settings that decide where the key goes are the user's only", () => {
        const untrusted = manifest.capabilities.untrustedWorkspaces;
        assert.equal(untrusted.supported, 'limited');
        assert.deepEqual(untrusted.restrictedConfigurations, ['cohere.baseUrl', 'cohere.requestHeaders']);
        for (const key of untrusted.restrictedConfigurations ?? []) {
            assert.ok(contributes.configuration.properties[key], `${key} is a contributed setting`);
        }
    });
});
