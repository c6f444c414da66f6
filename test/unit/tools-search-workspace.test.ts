// search_workspace in plain Node: the workspace retrieval index (src/retrieval/) over a temporary
// workspace, reranked by the fake Cohere server over loopback, asked by the tool loop; offered only
// with a search (the extension gives one only when the person allowed workspace retrieval), and
// inside the tools' bounds (the deny list applies to what the index holds).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import type { CohereClient } from '../../src/cohere/index';
import { rerank } from '../../src/cohere/index';
import { DiskSource, WorkspaceIndex, indexSearch } from '../../src/retrieval/index';
import type { WorkspaceSearch } from '../../src/tools/searchWorkspace';
import type { FakeCohere } from '../fake-cohere/server';
import { startHarness } from './chat-service-harness';
import { makeToolFixture } from './tools-fixtures';
import type { ToolFixture } from './tools-fixtures';
import { useFakeCohereClient } from './fake-cohere-client';

let fake: FakeCohere;
let client: CohereClient;
useFakeCohereClient((running) => ({ fake, client } = running));

/** The index over the folder, as the extension asks it once the person allowed sending code. */
async function searchOver(root: string): Promise<WorkspaceSearch> {
    const index = new WorkspaceIndex();
    const source = new DiskSource(root);
    await index.sync(source);
    return indexSearch({
        root,
        prepare: () =>
            Promise.resolve({
                index,
                source,
                rerank: async (query, documents) =>
                    (await rerank(client, { model: 'rerank-v4.0-fast', query, documents, top_n: 8 })).results,
            }),
    });
}

function withSearch(t: TestContext): Promise<ToolFixture> {
    return makeToolFixture(t, { workspaceSearch: searchOver });
}

void describe('search_workspace', () => {
    void test('is offered only with the workspace index', async (t) => {
        const without = await makeToolFixture(t);
        assert.ok(!without.toolbox.names().includes('search_workspace'));
        const refused = await without.call('search_workspace', { query: 'greet' });
        assert.equal(refused.status, 'error');
        assert.match(refused.summary, /unknown tool 'search_workspace'/);
        const fixture = await withSearch(t);
        assert.ok(fixture.toolbox.names().includes('search_workspace'));
        const definition = fixture.toolbox
            .definitions()
            .find((tool) => tool.function.name === 'search_workspace');
        assert.deepEqual(definition?.function.parameters['required'], ['query']);
    });

    void test('returns the passages the index found, reranked by Cohere, with their files and lines', async (t) => {
        const fixture = await withSearch(t);
        fake.reset();
        const outcome = await fixture.call('search_workspace', { query: 'greet name Hello' });
        assert.equal(outcome.status, 'ok', outcome.summary);
        const greet = outcome.documents.find((document) => document.path === 'src/greet.ts');
        assert.ok(greet, JSON.stringify(outcome.documents));
        assert.equal(greet.startLine, 1);
        assert.equal(greet.endLine, 3);
        assert.equal(greet.data['lines'], '1-3');
        assert.match(greet.data['text'] ?? '', /return `Hello, \$\{name\}!`;/);
        assert.equal(greet.absolutePath?.endsWith('/project/src/greet.ts'), true);
        const reranked = fake.requests.filter((request) => request.path === '/v2/rerank');
        assert.equal(reranked.length, 1);
        assert.equal((reranked[0]?.body as { query: string }).query, 'greet name Hello');
        assert.ok(fixture.logs.some((log) => log.level === 'info' && log.text.includes('src/greet.ts:1-3')));
    });

    void test('what the deny list or files.exclude forbids never comes back, even when indexed', async (t) => {
        const fixture = await withSearch(t);
        // .env and build/ are in the index (DiskSource skips only .git), never in a result.
        const secret = await fixture.call('search_workspace', { query: 'SECRET hunter2 hunter3' });
        assert.equal(secret.status, 'ok');
        assert.ok(secret.documents.every((document) => document.path === undefined));
        assert.equal(secret.documents[0]?.data['passages'], '(nothing in the index matches)');
        assert.ok(secret.documents.every((document) => !(document.data['text'] ?? '').includes('hunter')));
        // ...though the index itself found them: the tool's bounds are what keeps them out.
        const raw = await (
            await searchOver(fixture.root)
        ).search('SECRET hunter2', new AbortController().signal);
        assert.ok(
            raw.some((passage) => passage.absolutePath.endsWith('.env')),
            JSON.stringify(raw),
        );
        const built = await fixture.call('search_workspace', { query: 'console log' });
        assert.ok(built.documents.every((document) => !document.path?.startsWith('build/')));
        const empty = await fixture.call('search_workspace', { query: '  ' });
        assert.equal(empty.status, 'error');
    });

    void test('in the tool loop: the model searches, and its answer cites the passages by their lines', async (t) => {
        const fixture = await withSearch(t);
        const harness = await startHarness(t, fake, {
            settings: { stream: true },
            tools: () => ({ runner: fixture.toolbox, maxSteps: 5 }),
        });
        const conversation = harness.service.newConversation();
        await harness.service.send(
            conversation.id,
            'Where is the greeting? [[fake:tools-search?query=greet]]',
        );
        const turn = (await harness.service.get(conversation.id))!.turns[0]!;
        assert.equal(turn.status, 'complete', JSON.stringify(turn.error));
        const call = turn.steps?.[0]?.calls[0];
        assert.equal(call?.name, 'search_workspace');
        assert.equal(call?.status, 'done');
        const first = call?.documents?.[0];
        assert.ok(first?.path !== undefined && first.startLine !== undefined, JSON.stringify(call));
        const cited = turn.reply.citations.flatMap((citation) => citation.sources?.map((s) => s.id) ?? []);
        assert.ok(cited.includes(`${call!.id}:0`), cited.join(','));
        // The second request carried the passages back as documents of a tool message.
        const [, answered] = harness.chatRequests();
        const result = answered?.messages.find((message) => message.role === 'tool');
        assert.match(JSON.stringify(result), /greet/);
        assert.ok(
            answered?.tools?.some((tool) => tool.function.name === 'search_workspace'),
            'search_workspace is offered in the request',
        );
    });
});
