// Sets up a ChatService against the fake Cohere server over real loopback HTTP, for the chat tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { ChatService } from '../../src/chat/service';
import type { ConversationEvent } from '../../src/chat/service';
import { ConversationStore } from '../../src/chat/store';
import type { ToolSession } from '../../src/chat/toolLoop';
import { CohereClient } from '../../src/cohere/index';
import type { ChatRequest } from '../../src/cohere/types';
import type { ChatSettings } from '../../src/config';
import type { FakeCohere } from '../fake-cohere/server';
import { CapturingLogger, settingsWith } from './chat-fixtures';

export interface Harness {
    service: ChatService;
    store: ConversationStore;
    dir: string;
    log: CapturingLogger;
    events: ConversationEvent[];
    /** Change the settings the next turn reads. */
    settings: ChatSettings;
    /** Flip whether the service believes a key is set. */
    keyIsSet: { value: boolean };
    /** Requests to /v2/chat since the harness started. */
    chatRequests(): ChatRequest[];
}

export interface HarnessOptions {
    settings?: Record<string, unknown>;
    keyIsSet?: boolean;
    apiKey?: string;
    dir?: string;
    /** The tools each turn may use (none by default). */
    tools?: () => ToolSession | undefined;
}

/** A service with its own conversation directory; everything it starts is stopped after the test. */
export async function startHarness(
    t: TestContext,
    fake: FakeCohere,
    options: HarnessOptions = {},
): Promise<Harness> {
    const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'cohere-chat-')));
    const log = new CapturingLogger();
    const client = new CohereClient({
        baseUrl: fake.url,
        apiKey: options.apiKey ?? 'test-key',
        retryBaseDelayMs: 5,
        maxRetryDelayMs: 20,
    });
    const store = new ConversationStore(dir, log);
    const keyIsSet = { value: options.keyIsSet ?? true };
    const harness = {
        settings: settingsWith({ maxRetries: 0, ...options.settings }),
    } as Harness;
    const service = await ChatService.create({
        client,
        store,
        settings: () => harness.settings,
        log,
        hasApiKey: async () => keyIsSet.value,
        ...(options.tools === undefined ? {} : { tools: options.tools }),
    });
    await service.whenHistoryLoaded();
    const events: ConversationEvent[] = [];
    service.onEvent((event) => events.push(event));
    const firstRequest = fake.requests.length;
    Object.assign(harness, {
        service,
        store,
        dir,
        log,
        events,
        keyIsSet,
        chatRequests: () =>
            fake.requests
                .slice(firstRequest)
                .filter((request) => request.path.endsWith('/v2/chat'))
                .map((request) => request.body as ChatRequest),
    });
    t.after(async () => {
        service.dispose();
        await service.whenIdle();
        await client.close();
        if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
    });
    return harness;
}

/** Resolves once `predicate` holds for an emitted event. */
export function waitForEvent(
    harness: Harness,
    predicate: (event: ConversationEvent, index: number) => boolean,
): Promise<void> {
    return new Promise((resolve) => {
        if (harness.events.some(predicate)) {
            resolve();
            return;
        }
        const subscription = harness.service.onEvent(() => {
            if (harness.events.some(predicate)) {
                subscription.dispose();
                resolve();
            }
        });
    });
}
