// Cohere in VS Code's own chat, on the newest lane only (VS Code 1.139; 1.100 has no provider API): the
// models in "Chat: Manage Language Models" and the model picker, VS Code's agent calling the provider with
// its tools (a tool-call round trip through the fake Cohere server), and `@cohere` answering about a file
// with a citation anchor that opens the cited lines. The README's picture of it is taken here.
import assert from 'node:assert/strict';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/code-server';
import type { ChatRequest } from '../../src/cohere/types';
import { allModels } from '../fake-cohere/models';
import { chatRequests, e2e, scenario } from './context';
import { RESULTS_DIR, SAMPLE_FILE } from './harness';
import {
    chatPart,
    nativeResponseWith,
    newNativeChat,
    pickNativeModel,
    sendNativePrompt,
} from './native-chat';
import { answerInputBox, clearNotifications, openFile, runCommand, visibleErrors } from './workbench';

/** The chat requests whose last user message holds `marker`, oldest first. */
function requestsWith(marker: string): ChatRequest[] {
    return chatRequests()
        .map((request) => request.body as ChatRequest)
        .filter(
            (body) =>
                JSON.stringify(body.messages.at(-1) ?? {}).includes(marker) ||
                JSON.stringify(body).includes(marker),
        );
}

/** Registers the scenarios in order; they share the workbench with the others and run after them. */
export function nativeChatScenarios(): void {
    scenario(
        'N1. "Chat: Manage Language Models" lists the Cohere models with their context and capabilities',
        async () => {
            const { page, apiKey } = e2e();
            // The key again, so these scenarios also run on their own (--test-name-pattern).
            await runCommand(page, 'Cohere: Set API Key');
            await answerInputBox(page, apiKey, { password: true });
            await clearNotifications(page);
            await runCommand(page, 'Chat: Manage Language Models');
            const expected = allModels()
                .filter((model) => model.endpoints?.includes('chat'))
                .map((model) => model.name ?? '');
            const rows = page.locator('.monaco-list-row', { hasText: 'command-a-03-2025' });
            await rows.first().waitFor({ timeout: 30_000 });
            const editor = page.locator('.monaco-list', { has: rows.first() }).first();
            const shown = await editor.innerText();
            for (const name of expected)
                assert.ok(shown.includes(name), `${name} is listed: ${shown.slice(0, 400)}`);
            const row = (name: string) => page.locator('.monaco-list-row', { hasText: name }).first();
            assert.match(await row('command-a-03-2025').innerText(), /256K[\s\S]*Tools/);
            assert.match(await row('command-a-vision-07-2025').innerText(), /128K[\s\S]*Vision/);
            // The editor opens as a modal over the workbench: close it as a person does, with its ✕ (or a
            // click beside it, which VS Code also takes as closing it).
            const modal = page.locator('.monaco-modal-editor-block');
            await modal
                .locator('.codicon-close')
                .first()
                .click({ timeout: 3_000 })
                .catch(() => modal.click({ position: { x: 3, y: 3 } }));
            await modal.waitFor({ state: 'detached' });
        },
    );

    scenario(
        "N2. Picked in VS Code's model picker, a Cohere model answers VS Code's agent, tool calls and all",
        async () => {
            const { page } = e2e();
            // No editor open, so VS Code's implicit context (an earlier scenario's selection) stays out of the
            // request the fake server checks. (The prompt waits for VS Code's agent: see waitForVsCodeAgent.)
            await runCommand(page, 'View: Close All Editor Groups');
            await newNativeChat(page);
            await pickNativeModel(page, 'command-a-03-2025');
            const marker = 'Which files are here? [[fake:tools]]';
            const before = chatRequests().length;
            const tokenizeBefore = e2e().fake.requests.length;
            await sendNativePrompt(page, marker);
            // The fake server's answer once the tool results came back.
            const response = await nativeResponseWith(page, /Here is what the tools returned/);
            const sent = chatRequests()
                .slice(before)
                .map((request) => request.body as ChatRequest);
            assert.ok(sent.length >= 2, `a request, then one with the tool results: ${sent.length}`);
            const [first, second] = [sent[0]!, sent.at(-1)!];
            assert.equal(first.model, 'command-a-03-2025');
            assert.ok((first.tools?.length ?? 0) > 0, "VS Code's tools went to Cohere");
            assert.equal(
                first.messages[0]?.role,
                'system',
                "the agent's system prompt (role 3) is the system message",
            );
            for (const key of Object.keys(first))
                assert.ok(!key.startsWith('_'), `no private option ${key} is sent`);
            const assistant = second.messages.find(
                (message) => message.role === 'assistant' && message.tool_calls,
            );
            const calls = assistant && 'tool_calls' in assistant ? (assistant.tool_calls ?? []) : [];
            assert.equal(calls.length, 2, 'the two calls the fake server made go back');
            for (const call of calls)
                assert.doesNotThrow(() => JSON.parse(call.function?.arguments ?? ''), 'complete arguments');
            const results = second.messages.filter((message) => message.role === 'tool');
            assert.deepEqual(
                results.map((message) => ('tool_call_id' in message ? message.tool_call_id : '')),
                calls.map((call) => call.id),
                'one tool result per call, by its id',
            );
            const text = await response.innerText();
            assert.match(text, /I will call/, 'the tool plan streamed into the chat');
            assert.ok(requestsWith(marker).length >= 2);
            // VS Code counts the tokens of every message and of every part of every tool's schema (hundreds of
            // texts): the provider asks /v1/tokenize only for the long ones, within a trial key's rate limit.
            const counted = e2e()
                .fake.requests.slice(tokenizeBefore)
                .filter((request) => request.path.endsWith('/v1/tokenize'))
                .map((request) => request.body as { text: string; model: string });
            assert.ok(counted.length > 0, "VS Code's token counts come from /v1/tokenize");
            assert.ok(counted.length <= 50, `at most 50 tokenize calls a minute: ${counted.length}`);
            for (const { text, model } of counted) {
                assert.equal(model, 'command-a-03-2025');
                assert.ok(text.length >= 200, `a short text is estimated, not sent: ${JSON.stringify(text)}`);
            }
        },
    );

    scenario(
        'N3. @cohere answers about a file added to the chat, and its citation anchor opens the cited lines',
        async () => {
            const { page } = e2e();
            await newNativeChat(page);
            await openFile(page, SAMPLE_FILE);
            await runCommand(page, 'Chat: Add File to Chat');
            await chatPart(page)
                .locator('.chat-attached-context', { hasText: SAMPLE_FILE })
                .first()
                .waitFor();
            const question = 'What does this file define?';
            const before = chatRequests().length;
            await sendNativePrompt(page, `@cohere ${question}`);
            const response = await nativeResponseWith(page, /tokens in, \d+ out · finish: COMPLETE/);
            const sent = chatRequests()
                .slice(before)
                .map((request) => request.body as ChatRequest);
            assert.equal(sent.length, 1, '@cohere sends one request');
            const documents = (sent[0]?.documents ?? []) as {
                id: string;
                data: { title: string; snippet: string };
            }[];
            assert.deepEqual(
                documents.map((document) => document.data.title),
                [`${SAMPLE_FILE}:1-30`],
                'the file went as a document of its lines',
            );
            assert.match(
                documents[0]!.data.snippet,
                /^export const value1 = 7; \/\/ line 1\n[\s\S]*line 30$/,
            );
            const anchor = response
                .locator('a.chat-inline-anchor-widget', { hasText: `${SAMPLE_FILE}:1-30` })
                .first();
            await anchor.waitFor();
            // The README's picture: the answer with its anchors and usage line.
            const picture = join(RESULTS_DIR, 'native-chat.png');
            await page.screenshot({ path: picture });
            await copyFile(picture, join(REPO_ROOT, 'media', 'screenshot-vscode-chat.png'));

            await runCommand(page, 'View: Close All Editor Groups');
            await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
            await anchor.click();
            await page.locator(`.tabs-container .tab.active[aria-label*="${SAMPLE_FILE}"]`).first().waitFor();
            const status = page.locator('#status\\.editor\\.selection');
            const deadline = Date.now() + 10_000;
            // Lines 1 to 30 selected: the cursor at the end of line 30 ("export const value30 = 210; // line 30").
            while (!/Ln 30, Col 39 \(\d+ selected\)/.test(await status.innerText())) {
                if (Date.now() > deadline)
                    throw new Error(`the cited lines are not selected: ${await status.innerText()}`);
                await page.waitForTimeout(100);
            }
            // Leave the workbench as the next scenarios expect it: no editor open, an empty chat in VS Code's view.
            await runCommand(page, 'View: Close All Editor Groups');
            await newNativeChat(page);
        },
    );
}

/** The lines of the extension's own log ("Cohere" output channel) that the profile holds on disk. */
async function extensionLogLines(): Promise<string[]> {
    const logs = join(e2e().profile.userDataDir, 'logs');
    const entries = await readdir(logs, { recursive: true, withFileTypes: true });
    const lines: string[] = [];
    for (const entry of entries) {
        if (!entry.isFile() || !/Cohere\.log$/.test(entry.name)) continue;
        lines.push(...(await readFile(join(entry.parentPath, entry.name), 'utf8')).split('\n'));
    }
    return lines;
}

/** On the minimum lane (VS Code 1.100, no provider API): the extension keeps out of VS Code's chat, silently. */
export function minimumLaneNativeScenarios(): void {
    scenario(
        "N0. On VS Code 1.100 nothing is offered to VS Code's chat, and nothing is said about it",
        async () => {
            const { page } = e2e();
            // Any Cohere command starts the extension, which then decides.
            await runCommand(page, 'Cohere: Chat');
            const deadline = Date.now() + 15_000;
            let lines = await extensionLogLines();
            while (
                !lines.some((line) => /no language model provider API/.test(line)) &&
                Date.now() < deadline
            ) {
                await page.waitForTimeout(250);
                lines = await extensionLogLines();
            }
            assert.ok(
                lines.some((line) => /VS Code 1\.100\.\d+: no language model provider API/.test(line)),
                `the log says why: ${lines.slice(0, 20).join(' | ')}`,
            );
            assert.equal(
                lines.some((line) => /offered to VS Code's chat/.test(line)),
                false,
            );
            const shown = await visibleErrors(page);
            assert.deepEqual(
                shown.filter((text) => /language model|participant|chat provider/i.test(text)),
                [],
                'no message about it',
            );
        },
    );
}
