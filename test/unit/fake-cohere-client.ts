// The fake Cohere server and a client of it, for the tests of one file or describe block: started before
// them, stopped after. The client does not retry, so a fault shows as it is.
import { after, before } from 'node:test';
import { CohereClient } from '../../src/cohere/index';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';

export interface FakeCohereClient {
    readonly fake: FakeCohere;
    readonly client: CohereClient;
}

/** Registers the before/after hooks; `started` gets the server and client once they are up. */
export function useFakeCohereClient(started: (running: FakeCohereClient) => void): void {
    let running: FakeCohereClient | undefined;
    before(async () => {
        const fake = await startFakeCohere();
        running = {
            fake,
            client: new CohereClient({ apiKey: 'test-key', baseUrl: fake.url, maxRetries: 0 }),
        };
        started(running);
    });
    after(async () => {
        await running?.client.close();
        await running?.fake.close();
    });
}
