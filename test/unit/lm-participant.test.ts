// `@cohere`'s request and citations in plain Node against the fake Cohere server: referenced code goes as
// documents of line ranges, each citation names the lines it draws on, and the usage line reads the reply's usage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CohereClient } from '../../src/cohere/index';
import type { Citation, Usage } from '../../src/cohere/index';
import {
    citedCode,
    codeDocuments,
    LINES_PER_DOCUMENT,
    participantRequest,
    usageLine,
    withinBudget,
} from '../../src/lm/participantRequest';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';

let fake: FakeCohere;
let client: CohereClient;
before(async () => {
    fake = await startFakeCohere({ apiKey: 'p-key' });
    client = new CohereClient({ baseUrl: fake.url, apiKey: 'p-key', maxRetries: 0 });
});
after(async () => {
    await client.close();
    await fake.close();
});

const FILE = Array.from({ length: 90 }, (_, i) => `const line${i + 1} = ${i + 1};`).join('\n') + '\n';
const identity = (message: string, ...args: (string | number)[]): string =>
    message.replace(/\{(\d+)\}/g, (_, n: string) => String(args[Number(n)]));

void describe('@cohere requests', () => {
    void test('a file goes as documents of at most 40 lines, titled with their lines', () => {
        const documents = codeDocuments('ref0', 'src/a.ts', 'file:///w/src/a.ts', FILE);
        assert.deepEqual(
            documents.map((d) => [d.id, d.title, d.startLine, d.endLine, d.endCharacter]),
            [
                ['ref0:1', 'src/a.ts:1-40', 1, 40, 'const line40 = 40;'.length],
                ['ref0:41', 'src/a.ts:41-80', 41, 80, 'const line80 = 80;'.length],
                ['ref0:81', 'src/a.ts:81-90', 81, 90, 'const line90 = 90;'.length],
            ],
        );
        assert.equal(documents[0]!.text.split('\n').length, LINES_PER_DOCUMENT);
        assert.equal(documents[1]!.text.split('\n')[0], 'const line41 = 41;');
    });

    void test('a selection keeps its own line numbers', () => {
        const [selection] = codeDocuments('ref1', 'src/a.ts', 'file:///w/src/a.ts', 'x\ny\n', 12);
        assert.deepEqual(
            [selection?.title, selection?.startLine, selection?.endLine],
            ['src/a.ts:12-13', 12, 13],
        );
    });

    void test('the budget keeps the first references whole and drops what does not fit', () => {
        const documents = codeDocuments('ref0', 'a.ts', 'file:///a.ts', FILE);
        const size = documents[0]!.text.length + documents[1]!.text.length;
        assert.deepEqual(
            withinBudget(documents, size).map((d) => d.id),
            ['ref0:1', 'ref0:41'],
        );
    });

    void test('history, the command and the documents are sent; each citation names the cited lines', async () => {
        const documents = codeDocuments('ref0', 'src/a.ts', 'file:///w/src/a.ts', FILE);
        const body = participantRequest({
            model: 'command-a-03-2025',
            prompt: 'What does line 41 define?',
            command: 'ask',
            history: [
                { role: 'user', text: 'Hello' },
                { role: 'assistant', text: 'Hi, ask me about your code.' },
            ],
            documents,
        });
        assert.deepEqual(
            body.messages.map((m) => m.role),
            ['system', 'user', 'assistant', 'user'],
        );
        assert.match(String(body.messages[0]?.content), /only from the documents/);
        const citations: Citation[] = [];
        for await (const event of client.chatStream(body)) {
            if (event.type === 'citation-start' && event.delta?.message?.citations) {
                citations.push(event.delta.message.citations);
            }
        }
        const sent = fake.requests.at(-1)?.body as { documents?: { id: string; data: { title: string } }[] };
        assert.deepEqual(
            sent.documents?.map((d) => [d.id, d.data.title]),
            documents.map((d) => [d.id, d.title]),
        );
        assert.ok(citations.length > 0, 'the fake server cites the documents');
        const byId = new Map(documents.map((d) => [d.id, d]));
        const cited = citations.flatMap((citation) => citedCode(citation, byId));
        assert.ok(cited.length > 0);
        for (const citation of citations) {
            const ids = (citation.sources ?? []).map((s) => s.id);
            assert.deepEqual(
                citedCode(citation, byId).map((d) => d.id),
                [...new Set(ids)].filter((id) => id !== undefined && byId.has(id)),
                'a citation points at exactly the documents it names',
            );
        }
    });

    void test('a document that is only text (no file) is never an anchor', () => {
        const text = {
            id: 'ref2',
            title: 'note',
            text: 'hello',
            uri: '',
            startLine: 0,
            endLine: 0,
            endCharacter: 0,
        };
        const citation: Citation = {
            start: 0,
            end: 1,
            text: 'h',
            sources: [{ type: 'document', id: 'ref2' }],
        };
        assert.deepEqual(citedCode(citation, new Map([['ref2', text]])), []);
    });

    void test('the usage line gives tokens in and out and the finish reason', () => {
        const usage: Usage = { tokens: { input_tokens: 120, output_tokens: 30 } };
        assert.equal(usageLine(usage, 'MAX_TOKENS', identity), '120 tokens in, 30 out · finish: MAX_TOKENS');
        assert.equal(usageLine(undefined, undefined, identity), '');
    });
});
