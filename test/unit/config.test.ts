import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_MODEL, parseSettings } from '../../src/config';

function from(values: Record<string, unknown>): (key: string) => unknown {
    return (key) => values[key];
}

void describe('parseSettings', () => {
    void test('gives the documented defaults when nothing is set', () => {
        assert.deepEqual(parseSettings(from({})), {
            model: DEFAULT_MODEL,
            baseUrl: undefined,
            systemPrompt: undefined,
            temperature: undefined,
            maxTokens: undefined,
            stopSequences: [],
            frequencyPenalty: undefined,
            presencePenalty: undefined,
            safetyMode: undefined,
            thinking: 'default',
            thinkingTokenBudget: undefined,
            citationMode: undefined,
            stream: true,
            timeoutMs: 300_000,
            maxRetries: 2,
            requestHeaders: {},
        });
    });

    void test('reads every setting when each is valid', () => {
        const settings = parseSettings(
            from({
                model: 'command-r7b-12-2024',
                baseUrl: 'https://gateway.example.com/cohere',
                systemPrompt: 'Be brief.',
                temperature: 0.5,
                maxTokens: 512,
                stopSequences: ['END'],
                frequencyPenalty: 0.1,
                presencePenalty: 0.2,
                safetyMode: 'STRICT',
                thinking: 'on',
                thinkingTokenBudget: 2048,
                citationMode: 'FAST',
                stream: false,
                timeoutSeconds: 30,
                maxRetries: 5,
                requestHeaders: { 'X-Team': 'docs' },
            }),
        );
        assert.deepEqual(settings, {
            model: 'command-r7b-12-2024',
            baseUrl: 'https://gateway.example.com/cohere',
            systemPrompt: 'Be brief.',
            temperature: 0.5,
            maxTokens: 512,
            stopSequences: ['END'],
            frequencyPenalty: 0.1,
            presencePenalty: 0.2,
            safetyMode: 'STRICT',
            thinking: 'on',
            thinkingTokenBudget: 2048,
            citationMode: 'FAST',
            stream: false,
            timeoutMs: 30_000,
            maxRetries: 5,
            requestHeaders: { 'X-Team': 'docs' },
        });
    });

    void test('clamps numbers into their ranges', () => {
        const settings = parseSettings(
            from({
                temperature: 3,
                frequencyPenalty: -1,
                presencePenalty: 1.5,
                timeoutSeconds: 99999,
                maxRetries: 50,
            }),
        );
        assert.equal(settings.temperature, 1);
        assert.equal(settings.frequencyPenalty, 0);
        assert.equal(settings.presencePenalty, 1);
        assert.equal(settings.timeoutMs, 3_600_000);
        assert.equal(settings.maxRetries, 10);
        assert.equal(parseSettings(from({ timeoutSeconds: 0 })).timeoutMs, 1000);
        assert.equal(parseSettings(from({ maxRetries: -3 })).maxRetries, 0);
    });

    void test('falls back to defaults for values of the wrong type', () => {
        const settings = parseSettings(
            from({
                model: 42,
                baseUrl: 'not a url',
                systemPrompt: ['x'],
                temperature: '0.5',
                maxTokens: 'many',
                stopSequences: 'END',
                safetyMode: 'LOOSE',
                thinking: true,
                thinkingTokenBudget: Number.NaN,
                citationMode: 'accurate',
                stream: 'yes',
                timeoutSeconds: null,
                maxRetries: Number.POSITIVE_INFINITY,
                requestHeaders: ['x'],
            }),
        );
        assert.deepEqual(settings, parseSettings(from({})));
    });

    void test('treats null and empty strings as unset', () => {
        const settings = parseSettings(
            from({ model: '  ', baseUrl: '', systemPrompt: '   ', temperature: null, safetyMode: '' }),
        );
        assert.equal(settings.model, DEFAULT_MODEL);
        assert.equal(settings.baseUrl, undefined);
        assert.equal(settings.systemPrompt, undefined);
        assert.equal(settings.temperature, undefined);
        assert.equal(settings.safetyMode, undefined);
    });

    void test('rounds token counts down and drops counts below one', () => {
        assert.equal(parseSettings(from({ maxTokens: 100.7 })).maxTokens, 100);
        assert.equal(parseSettings(from({ maxTokens: 0 })).maxTokens, undefined);
        assert.equal(parseSettings(from({ thinkingTokenBudget: -5 })).thinkingTokenBudget, undefined);
    });

    void test('keeps at most five non-empty string stop sequences', () => {
        const settings = parseSettings(from({ stopSequences: ['a', '', 3, 'b', 'c', 'd', 'e', 'f'] }));
        assert.deepEqual(settings.stopSequences, ['a', 'b', 'c', 'd', 'e']);
    });

    void test('accepts only http and https base URLs', () => {
        assert.equal(parseSettings(from({ baseUrl: 'file:///etc/passwd' })).baseUrl, undefined);
        assert.equal(
            parseSettings(from({ baseUrl: ' http://127.0.0.1:9/x ' })).baseUrl,
            'http://127.0.0.1:9/x',
        );
    });

    void test('drops request headers that are invalid or would replace Authorization', () => {
        const settings = parseSettings(
            from({
                requestHeaders: {
                    'X-Good': 'yes',
                    'Bad Name': 'x',
                    'X-Number': 5,
                    'X-Split': 'a\r\nInjected: 1',
                    authorization: 'Bearer other',
                },
            }),
        );
        assert.deepEqual(settings.requestHeaders, { 'X-Good': 'yes' });
    });
});
