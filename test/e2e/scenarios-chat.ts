// Scenarios 1, 2, 3 and 7 of issue 4: the API key from the palette, a streamed reply with citations and
// usage in the chat tab, the sidebar view, and the same reply without streaming.
import assert from 'node:assert/strict';
import {
    citedSpans,
    clickAction,
    normalize,
    openCitation,
    replyText,
    sendMessage,
    shownUsage,
    waitForStatus,
} from './chat';
import {
    chatRequests,
    e2e,
    filesContaining,
    lastChatRequestWith,
    replyTo,
    responseText,
    scenario,
    showChatPanel,
} from './context';
import { answerInputBox, chatFrame, openActivity, runCommand, setBooleanSetting } from './workbench';

/**
 * Fails when the API key is in any file of the profile (settings, logs, global storage with the saved
 * conversations, the extension's own folder) or in code-server's output.
 */
export async function assertKeyNowhereOnDisk(): Promise<void> {
    const { apiKey, profile } = e2e();
    assert.deepEqual(
        await filesContaining(profile.userDataDir, apiKey),
        [],
        'the key is in the user-data folder',
    );
    assert.deepEqual(
        await filesContaining(profile.extensionsDir, apiKey),
        [],
        'the key is in the extensions folder',
    );
    assert.equal(e2e().serverOutput().includes(apiKey), false, 'the key is in code-server output');
}

/** Registers the scenarios in order; they share one workbench and build on each other. */
export function chatScenarios(): void {
    scenario(
        '1. The key typed into "Cohere: Set API Key" is sent as the bearer token and stored nowhere on disk',
        async () => {
            const { page, apiKey } = e2e();
            await runCommand(page, 'Cohere: Set API Key');
            await answerInputBox(page, apiKey, { password: true });

            await runCommand(page, 'Cohere: Chat');
            const frame = await chatFrame(page, 'panel');
            const turn = await sendMessage(frame, 'Hello from the end-to-end test');
            await waitForStatus(turn, 'complete');

            const request = lastChatRequestWith('Hello from the end-to-end test');
            assert.equal(request.headers.authorization, `Bearer ${apiKey}`);
            await assertKeyNowhereOnDisk();
        },
    );

    scenario(
        '2. "Cohere: Chat" streams a reply with its text, highlighted citations with sources, and usage',
        async () => {
            const { page } = e2e();
            await runCommand(page, 'Cohere: Chat');
            const frame = await chatFrame(page, 'panel');
            const words = 'Where do emperor penguins live? [[fake:rag]]';
            const turn = await sendMessage(frame, words);
            await waitForStatus(turn, 'complete');

            const expected = await replyTo(lastChatRequestWith(words));
            // The words, not the markdown punctuation around them: the reply is rendered.
            const plainExpected = normalize(responseText(expected).replace(/\*\*|\[|\]\([^)]*\)|^- /gm, ''));
            assert.equal(await replyText(turn), plainExpected);

            const citations = expected.message.citations ?? [];
            assert.ok(citations.length >= 3, 'the rag scenario cites several spans');
            const spans = await citedSpans(turn);
            assert.deepEqual(
                [...spans.values()].map(normalize).sort(),
                citations.map((c) => normalize(c.text ?? '')).sort(),
                'each citation highlights exactly its words',
            );
            const markBackground = await turn
                .locator('.reply mark.citation')
                .first()
                .evaluate(
                    (mark) =>
                        (
                            globalThis as unknown as {
                                getComputedStyle(e: unknown): { backgroundColor: string };
                            }
                        ).getComputedStyle(mark).backgroundColor,
                );
            assert.doesNotMatch(
                markBackground,
                /^(transparent|rgba\(0, 0, 0, 0\))$/,
                'cited words are highlighted',
            );
            // Each marker opens the sources the fake server gave for the words it highlights.
            for (const [n, cited] of spans) {
                const citation = citations.find((c) => normalize(c.text ?? '') === normalize(cited));
                const sent = (citation?.sources ?? []).map((source) =>
                    source.type === 'document' ? String(source.document?.['title'] ?? source.id) : source.id,
                );
                const sources = await openCitation(turn, n);
                const titles = await sources.locator('.source-title').allInnerTexts();
                assert.deepEqual(titles.map(normalize).sort(), sent.sort(), `the sources of citation ${n}`);
                assert.ok(
                    titles.every((t) => /penguin/i.test(t)),
                    `citation ${n}'s sources are the fake documents: ${JSON.stringify(titles)}`,
                );
            }

            const usage = expected.usage;
            assert.deepEqual(await shownUsage(turn.locator('.usage')), {
                input: usage?.tokens?.input_tokens,
                output: usage?.tokens?.output_tokens,
                billedInput: usage?.billed_units?.input_tokens,
                billedOutput: usage?.billed_units?.output_tokens,
                cached: usage?.cached_tokens ?? 0,
            });
            const meter = frame.locator('#context-meter');
            assert.equal(
                Number(await meter.getAttribute('aria-valuemax')),
                256000,
                'command-a-03-2025 context length',
            );
            assert.ok(
                Number(await meter.getAttribute('aria-valuenow')) > 0,
                'the meter counts the tokens used',
            );
        },
    );

    scenario('3. The sidebar view opens from the activity bar and chats there', async () => {
        const { page } = e2e();
        await openActivity(page, 'Cohere');
        const frame = await chatFrame(page, 'view');
        const turn = await sendMessage(frame, 'Hello from the sidebar');
        await waitForStatus(turn, 'complete');
        const expected = await replyTo(lastChatRequestWith('Hello from the sidebar'));
        assert.equal(await replyText(turn), normalize(responseText(expected)));
        assert.match(await replyText(turn), /Hello from the sidebar/);
    });

    scenario(
        '7. With "cohere.stream" off the same message gets the same reply, sent without streaming',
        async () => {
            const { page } = e2e();
            const words = 'Same reply either way [[fake:markdown]]';
            const replies: string[] = [];
            for (const stream of [true, false]) {
                await setBooleanSetting(page, 'cohere.stream', stream);
                const frame = await showChatPanel();
                await clickAction(frame, 'new-chat');
                await frame.locator('.turn').first().waitFor({ state: 'detached' });
                const before = chatRequests().length;
                const turn = await sendMessage(frame, words);
                await waitForStatus(turn, 'complete');
                const sent = chatRequests().slice(before);
                assert.equal(sent.length, 1, 'one request per message');
                assert.equal(
                    (sent[0]?.body as { stream?: boolean }).stream ?? false,
                    stream,
                    'the request says stream',
                );
                replies.push(await replyText(turn));
            }
            await setBooleanSetting(page, 'cohere.stream', true);
            assert.equal(
                replies[1],
                replies[0],
                'the non-streamed reply shows the same text as the streamed one',
            );
            assert.match(replies[0] ?? '', /Same reply either way/);
        },
    );
}
