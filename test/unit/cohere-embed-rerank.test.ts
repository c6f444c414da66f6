// The embed, rerank and tokenize calls of the client against the fake Cohere server over loopback
// HTTP, and the fake's own behaviour for them (shapes, quantised types, errors in the API's words).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
    CohereClient,
    CohereError,
    checkRerankResponse,
    countTokens,
    embed,
    rerank,
    splitForTokenize,
    tokenize,
} from '../../src/cohere/index';
import type { FakeCohere } from '../fake-cohere/server';
import { exchange } from '../fake-cohere/wire';
import { useFakeCohereClient } from './fake-cohere-client';

let fake: FakeCohere;
let client: CohereClient;
useFakeCohereClient((running) => ({ fake, client } = running));

function cosine(a: number[], b: number[]): number {
    let dot = 0;
    let na = 0;
    let nb = 0;
    a.forEach((value, i) => {
        dot += value * (b[i] ?? 0);
        na += value * value;
        nb += (b[i] ?? 0) ** 2;
    });
    return dot / Math.sqrt(na * nb);
}

async function rejection(promise: Promise<unknown>): Promise<CohereError> {
    try {
        await promise;
    } catch (error) {
        assert.ok(error instanceof CohereError, String(error));
        return error;
    }
    assert.fail('expected a rejection');
}

void describe('embed', () => {
    void test('texts that share words are closer than texts that do not', async () => {
        const response = await embed(client, {
            model: 'embed-v4.0',
            input_type: 'search_document',
            texts: [
                'function readConfigFile(path) parses the config file',
                'read the config file and parse it',
                'penguins swim in cold southern oceans',
            ],
            embedding_types: ['float'],
        });
        const [code, question, stranger] = response.embeddings.float ?? [];
        assert.equal(code?.length, 1536);
        assert.ok(cosine(code!, question!) > cosine(code!, stranger!) + 0.2);
        const sent = fake.requests.at(-1)!;
        assert.equal(sent.path, '/v2/embed');
        assert.equal(sent.headers.authorization, 'Bearer test-key');
    });

    void test('the same text always gets the same vector', async () => {
        const request = { model: 'embed-v4.0', input_type: 'search_query', texts: ['stable vector'] };
        const first = await embed(client, request);
        const second = await embed(client, request);
        assert.deepEqual(first.embeddings.float, second.embeddings.float);
    });

    void test('int8, uint8, binary and ubinary come in their ranges and sizes, with output_dimension', async () => {
        const response = await embed(client, {
            model: 'embed-v4.0',
            input_type: 'search_document',
            texts: ['alpha beta gamma', 'delta epsilon'],
            embedding_types: ['int8', 'uint8', 'binary', 'ubinary'],
            output_dimension: 256,
        });
        const { int8, uint8, binary, ubinary } = response.embeddings;
        assert.equal(int8?.[0]?.length, 256);
        assert.ok(int8!.flat().every((v) => Number.isInteger(v) && v >= -128 && v <= 127));
        assert.ok(uint8!.flat().every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
        assert.equal(binary?.[0]?.length, 32);
        assert.equal(ubinary?.[1]?.length, 32);
        assert.ok(binary!.flat().every((v) => v >= -128 && v <= 127));
        assert.deepEqual(
            binary![0]!.map((v) => v + 128),
            ubinary![0],
        );
        assert.equal(response.response_type, 'embeddings_by_type');
    });

    void test('without embedding_types the answer is the older float list, read as float', async () => {
        const answer = await exchange(fake.url, {
            path: '/v2/embed',
            body: { model: 'embed-english-light-v3.0', input_type: 'classification', texts: ['x y'] },
        });
        const body = JSON.parse(answer.text) as { response_type: string; embeddings: number[][] };
        assert.equal(body.response_type, 'embeddings_floats');
        assert.equal(body.embeddings[0]?.length, 384);
        const read = await embed(client, {
            model: 'embed-english-light-v3.0',
            input_type: 'classification',
            texts: ['x y'],
        });
        assert.equal(read.embeddings.float?.[0]?.length, 384);
    });

    void test('the fake answers errors in the real API words', async () => {
        const cases: [unknown, number, string][] = [
            [
                { model: 'embed-v4.0', texts: ['a'] },
                400,
                'invalid request: valid input_type must be provided with the provided model',
            ],
            [
                {
                    model: 'embed-v4.0',
                    input_type: 'search_query',
                    texts: Array.from({ length: 104 }, () => 'a'),
                },
                400,
                'invalid request: total number of texts must be at most 96 - received 104',
            ],
            [
                { model: 'embed-v4.0', input_type: 'search_query', texts: ['', 'b'] },
                400,
                'invalid request: inputs contains an element that is the empty string at index 0',
            ],
            [
                { model: 'embed-v4.0', input_type: 'search_query', texts: ['a'], embedding_types: [] },
                400,
                'embedding_types parameter is required',
            ],
            [
                {
                    model: 'embed-english-v3.0',
                    input_type: 'search_query',
                    texts: ['a'],
                    output_dimension: 256,
                },
                400,
                'invalid request: output_dimension is not supported for model embed-english-v3.0',
            ],
            [
                { model: 'embed-v4.0', input_type: 'search_query', texts: ['a'], output_dimension: 300 },
                400,
                'invalid request: output_dimension must be one of 256, 512, 1024, 1536',
            ],
        ];
        for (const [body, status, message] of cases) {
            const answer = await exchange(fake.url, { path: '/v2/embed', body });
            assert.equal(answer.status, status, answer.text);
            assert.equal((JSON.parse(answer.text) as { message: string }).message, message);
        }
        const unknown = await exchange(fake.url, {
            path: '/v2/embed',
            body: { model: 'embed-english-v2.0', input_type: 'search_query', texts: ['a'] },
        });
        assert.equal(unknown.status, 404);
    });

    void test('the client refuses more than 96 texts before sending, and maps a 400 to bad_request', async () => {
        const before = fake.requests.length;
        const tooMany = await rejection(
            embed(client, {
                model: 'embed-v4.0',
                input_type: 'search_query',
                texts: Array.from({ length: 97 }, () => 'a'),
            }),
        );
        assert.equal(tooMany.code, 'bad_request');
        assert.equal(fake.requests.length, before);
        const noType = await rejection(embed(client, { model: 'embed-v4.0', input_type: '', texts: ['a'] }));
        assert.equal(noType.code, 'bad_request');
        assert.equal(noType.status, 400);
        assert.match(noType.message, /valid input_type must be provided/);
    });

    void test('a rate-limited embed is retried like chat', async () => {
        const retrying = new CohereClient({
            apiKey: 'test-key',
            baseUrl: fake.url,
            maxRetries: 1,
            retryBaseDelayMs: 1,
            maxRetryDelayMs: 5,
            headers: { 'x-fake-scenario': '429-retry-after?times=1&seconds=0' },
        });
        try {
            const response = await embed(retrying, {
                model: 'embed-v4.0',
                input_type: 'search_query',
                texts: ['a'],
            });
            assert.equal(response.embeddings.float?.length, 1);
            assert.equal(fake.requests.filter((r) => r.path === '/v2/embed').length >= 2, true);
        } finally {
            await retrying.close();
        }
    });
});

void describe('rerank', () => {
    const documents = [
        'export function parseHeaders(raw) { return raw.split(CRLF) }',
        'penguins are flightless birds',
        'headers are parsed by parseHeaders before the body is read',
    ];

    void test('documents sharing the query words rank first, with scores in [0, 1]', async () => {
        const response = await rerank(client, {
            model: 'rerank-v4.0-fast',
            query: 'where headers get parsed',
            documents,
        });
        assert.deepEqual(
            response.results.map((result) => result.index),
            [2, 0, 1],
        );
        assert.ok(response.results.every((r) => r.relevance_score >= 0 && r.relevance_score < 1));
        assert.equal(response.results.at(-1)?.relevance_score, 0);
    });

    void test('top_n cuts the list and max_tokens_per_doc truncates documents', async () => {
        const top = await rerank(client, {
            model: 'rerank-v3.5',
            query: 'headers parsed',
            documents,
            top_n: 1,
        });
        assert.deepEqual(
            top.results.map((r) => r.index),
            [2],
        );
        const cut = await rerank(client, {
            model: 'rerank-v4.0-pro',
            query: 'body read',
            documents: ['one two three four five body read', 'body read'],
            max_tokens_per_doc: 3,
        });
        assert.equal(cut.results[0]?.index, 1);
        assert.equal(cut.results[1]?.relevance_score, 0);
    });

    void test('the fake answers rerank errors in the real API words', async () => {
        const cases: [unknown, string][] = [
            [
                { model: 'rerank-v3.5', query: 'q', documents: [] },
                'invalid request: list of documents must not be empty',
            ],
            [
                { model: 'rerank-v3.5', query: '  ', documents: ['a'] },
                'invalid request: query must not be empty or be only whitespace',
            ],
            [
                { model: 'rerank-v3.5', query: 'q', documents: ['', 'a'] },
                'invalid request: document at index 0 cannot be empty',
            ],
            [
                { model: 'rerank-v3.5', query: 'q', documents: Array.from({ length: 10_000 }, () => 'a') },
                'invalid request: number of total max chunks (number of documents * max chunks per doc) must be less than 10000',
            ],
        ];
        for (const [body, message] of cases) {
            const answer = await exchange(fake.url, { path: '/v2/rerank', body });
            assert.equal(answer.status, 400);
            assert.equal((JSON.parse(answer.text) as { message: string }).message, message);
        }
    });

    void test('the client refuses an empty query before sending, and a result naming no sent document', async () => {
        assert.equal(
            (await rejection(rerank(client, { model: 'rerank-v3.5', query: ' ', documents: ['a'] }))).code,
            'bad_request',
        );
        assert.throws(
            () => checkRerankResponse({ results: [{ index: 3, relevance_score: 0.5 }] }, 2),
            /not sent: 3/,
        );
        assert.throws(() => checkRerankResponse({ results: [{ index: 0 }] }, 2), /no score/);
    });
});

void describe('tokenize', () => {
    void test('tokenize and countTokens count through the fake, long texts in pieces', async () => {
        const response = await tokenize(client, { model: 'command-a-03-2025', text: 'one two three' });
        assert.equal(response.tokens.length, 3);
        const long = 'word '.repeat(20_000).trim();
        assert.equal(await countTokens(client, long, 'command-a-03-2025'), 20_000);
        assert.equal(await countTokens(client, '', 'command-a-03-2025'), 0);
    });

    void test('splitForTokenize cuts at whitespace within the cap, and mid-word only when there is none', () => {
        const pieces = splitForTokenize('aaaa bbbb cccc', 7);
        assert.deepEqual(pieces, ['aaaa', ' bbbb', ' cccc']);
        assert.deepEqual(splitForTokenize('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
    });
});

void describe('images in chat', () => {
    const image = {
        type: 'image_url',
        image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
    };
    const body = (model: string): unknown => ({
        model,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, image] }],
    });

    void test('a vision model accepts an image; a text-only model answers 400', async () => {
        const vision = await exchange(fake.url, { path: '/v2/chat', body: body('command-a-vision-07-2025') });
        assert.equal(vision.status, 200, vision.text);
        const text = await exchange(fake.url, { path: '/v2/chat', body: body('command-a-03-2025') });
        assert.equal(text.status, 400);
        assert.match(text.text, /does not support image inputs/);
        const badDetail = await exchange(fake.url, {
            path: '/v2/chat',
            body: {
                model: 'command-a-vision-07-2025',
                messages: [
                    {
                        role: 'user',
                        content: [{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,AA==' } }],
                    },
                ],
            },
        });
        assert.equal(badDetail.status, 400);
    });
});
