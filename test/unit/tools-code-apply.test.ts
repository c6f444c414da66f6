// Apply on a code block: the file a fence names, and where a block goes in a file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fenceTarget, findFenceInfo, mergeBlock } from '../../src/tools/codeApply';

void test('the file a fence names', () => {
    assert.equal(fenceTarget('ts src/app.ts'), 'src/app.ts');
    assert.equal(fenceTarget('ts:src/app.ts'), 'src/app.ts');
    assert.equal(fenceTarget('typescript title="src/app.ts"'), 'src/app.ts');
    assert.equal(fenceTarget('python file=tools/run.py'), 'tools/run.py');
    assert.equal(fenceTarget('README.md'), 'README.md');
    assert.equal(fenceTarget('ts'), undefined);
    assert.equal(fenceTarget(''), undefined);
    assert.equal(fenceTarget('c++'), undefined);
});

const FILE = [
    'import x from "x";',
    '',
    'function a() {',
    '    return 1;',
    '}',
    '',
    'function b() {',
    '    return 2;',
    '}',
    '',
].join('\n');

void test('a fragment replaces the lines from its first line to its last', () => {
    const merged = mergeBlock(FILE, 'function a() {\n    return 42;\n}');
    assert.equal(merged.placement, 'merged');
    assert.equal(merged.startLine, 3);
    assert.equal(merged.endLine, 5);
    assert.equal(merged.after, FILE.replace('return 1;', 'return 42;'));
});

void test('a block that starts like the file is the whole file', () => {
    const merged = mergeBlock(FILE, 'import x from "x";\nconsole.log(x);');
    assert.equal(merged.placement, 'whole');
    assert.equal(merged.after, 'import x from "x";\nconsole.log(x);\n');
});

void test('a fragment that matches nothing is appended and says so', () => {
    const merged = mergeBlock(FILE, 'function c() {\n    return 3;\n}');
    assert.equal(merged.placement, 'appended');
    assert.ok(merged.after.startsWith(FILE));
    assert.ok(merged.after.endsWith('function c() {\n    return 3;\n}\n'));
});

void test('CRLF files stay CRLF', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const merged = mergeBlock(crlf, 'function b() {\n    return 7;\n}');
    assert.equal(merged.after, crlf.replace('return 2;', 'return 7;'));
});

void test('the fence info of a code block, found in the reply by its body', () => {
    const reply = 'Here:\n\n```ts src/app.ts\nconst a = 1;\n```\n\nand\n\n```py\nprint(1)\n```\n';
    assert.equal(findFenceInfo(reply, 'const a = 1;'), 'ts src/app.ts');
    assert.equal(findFenceInfo(reply, 'print(1)\n'), 'py');
    assert.equal(findFenceInfo(reply, 'nothing'), undefined);
});
