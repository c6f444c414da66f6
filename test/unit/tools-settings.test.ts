// When tools are offered, and the cohere.tools.* settings read with defaults and clamps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAX_STEPS, parseToolSettings, toolsOffered } from '../../src/tools/settings';

void test('tool settings: off by default, steps clamped', () => {
    assert.deepEqual(
        parseToolSettings(() => undefined),
        { enabled: false, maxSteps: DEFAULT_MAX_STEPS, runCommand: false },
    );
    const values: Record<string, unknown> = {
        'tools.enabled': true,
        'tools.maxSteps': 99,
        'tools.runCommand': 'yes',
    };
    assert.deepEqual(
        parseToolSettings((key) => values[key]),
        { enabled: true, maxSteps: 25, runCommand: false },
    );
    assert.equal(parseToolSettings((key) => (key === 'tools.maxSteps' ? 0 : undefined)).maxSteps, 1);
});

void test('tools are offered only when on, trusted, with a folder, for a model that supports them', () => {
    const settings = { enabled: true, maxSteps: 3, runCommand: false };
    const base = { settings, trusted: true, hasFolder: true, features: ['tools', 'json_mode'] };
    assert.equal(toolsOffered(base), true);
    assert.equal(toolsOffered({ ...base, settings: { ...settings, enabled: false } }), false);
    assert.equal(toolsOffered({ ...base, trusted: false }), false);
    assert.equal(toolsOffered({ ...base, hasFolder: false }), false);
    assert.equal(toolsOffered({ ...base, features: ['vision'] }), false);
    // The model list is not known: the setting decides.
    assert.equal(toolsOffered({ ...base, features: undefined }), true);
});
