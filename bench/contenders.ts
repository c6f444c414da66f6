// The three clients the benchmark compares on the same wire: ours, the official SDK, and the floor
// (the least a correct client must do with undici: read the body; for a stream, decode it, split
// the events and JSON.parse each payload, nothing more).
import { CohereClientV2 } from 'cohere-ai';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { CohereClient } from '../src/cohere/index';
import type { ChatRequest } from '../src/cohere/index';

export type ContenderName = 'ours' | 'sdk' | 'floor';
export const CONTENDERS: ContenderName[] = ['ours', 'sdk', 'floor'];

export const API_KEY = 'test-key';
export const STREAM_EVENTS = 20_000;
export const STREAM_SCENARIO = `long?events=${STREAM_EVENTS}`;
export const CHAT_REQUEST: ChatRequest = {
    model: 'command-a-03-2025',
    messages: [{ role: 'user', content: 'Hello from the benchmark' }],
};

export interface Contender {
    /** One non-streaming chat, body read and parsed. */
    roundTrip(): Promise<void>;
    /** The long stream consumed to its end; returns the length of the reply text (a check that it all arrived). */
    stream(): Promise<number>;
    close(): Promise<void>;
}

export function createContender(name: ContenderName, url: string): Contender {
    switch (name) {
        case 'ours':
            return ours(url);
        case 'sdk':
            return sdk(url);
        case 'floor':
            return floor(url);
    }
}

function ours(url: string): Contender {
    const client = new CohereClient({ baseUrl: url, apiKey: API_KEY });
    const streamOptions = { headers: { 'x-fake-scenario': STREAM_SCENARIO } };
    return {
        async roundTrip() {
            await client.chat(CHAT_REQUEST);
        },
        async stream() {
            const stream = client.chatStream(CHAT_REQUEST, streamOptions);
            // Iterate as the chat runner does, and take the assembled reply.
            for await (const _event of stream) {
                // each event is handed on
            }
            const response = await stream.response;
            const block = response.message.content?.[0];
            return block?.type === 'text' ? block.text.length : 0;
        },
        close: () => client.close(),
    };
}

function sdk(url: string): Contender {
    const client = new CohereClientV2({ token: API_KEY, environment: url });
    const request = {
        model: CHAT_REQUEST.model,
        messages: [{ role: 'user' as const, content: 'Hello from the benchmark' }],
    };
    return {
        async roundTrip() {
            await client.chat(request);
        },
        async stream() {
            const stream = await client.chatStream(request, {
                headers: { 'x-fake-scenario': STREAM_SCENARIO },
            });
            // The SDK assembles nothing: keep the text, the least a caller needs.
            let text = '';
            for await (const event of stream) {
                if (event.type === 'content-delta') text += event.delta?.message?.content?.text ?? '';
            }
            return text.length;
        },
        close: async () => {},
    };
}

function floor(url: string): Contender {
    const agent = new Agent({ pipelining: 1, keepAliveTimeout: 30_000 });
    const { origin } = new URL(url);
    // The same request on the wire as ours: the headers the API expects from a client (issue 2, section 2).
    const headers = {
        'user-agent': 'cohere-chat-vscode/0.1.0',
        'x-client-name': 'cohere-chat-vscode',
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: `Bearer ${API_KEY}`,
    };
    const streamHeaders = { ...headers, accept: 'text/event-stream', 'x-fake-scenario': STREAM_SCENARIO };
    return {
        async roundTrip() {
            // Serialising the request is part of every call, for every contender.
            const body = JSON.stringify({ ...CHAT_REQUEST, stream: false });
            const response = await agent.request({ origin, path: '/v2/chat', method: 'POST', headers, body });
            await response.body.json();
        },
        async stream() {
            const response = await agent.request({
                origin,
                path: '/v2/chat',
                method: 'POST',
                headers: streamHeaders,
                body: JSON.stringify({ ...CHAT_REQUEST, stream: true }),
            });
            return floorParse(response.body);
        },
        close: () => agent.close(),
    };
}

/** Decode with one streaming TextDecoder, split on blank lines, JSON.parse each data payload. */
function floorParse(body: Dispatcher.ResponseData['body']): Promise<number> {
    return new Promise((resolve, reject) => {
        const decoder = new TextDecoder();
        let pending = '';
        let textLength = 0;
        body.on('data', (chunk: Buffer) => {
            const text = pending + decoder.decode(chunk, { stream: true });
            let start = 0;
            let end = text.indexOf('\n\n', start);
            while (end !== -1) {
                const dataAt = text.indexOf('data: ', start);
                if (dataAt !== -1 && dataAt < end) {
                    const data = text.slice(dataAt + 6, end);
                    if (data !== '[DONE]') {
                        const event = JSON.parse(data) as {
                            delta?: { message?: { content?: { text?: string } } };
                        };
                        textLength += event.delta?.message?.content?.text?.length ?? 0;
                    }
                }
                start = end + 2;
                end = text.indexOf('\n\n', start);
            }
            pending = text.slice(start);
        });
        body.once('end', () => resolve(textLength));
        body.once('error', reject);
    });
}
