// Every tool against a temporary workspace: what it returns (documents with file and lines), its
// caps, its errors going back as results, and the approvals the writing tools wait for.
import assert from 'node:assert/strict';
import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { applyEdits } from '../../src/tools/editTools';
import { matchesGlob } from '../../src/tools/glob';
import { MAX_READ_LINES } from '../../src/tools/results';
import { makeToolFixture } from './tools-fixtures';

void describe('read_file', () => {
    void test('returns the lines read as a document with its path and line range', async (t) => {
        const fixture = await makeToolFixture(t);
        const outcome = await fixture.call('read_file', { path: 'src/greet.ts', start_line: 2, end_line: 3 });
        assert.equal(outcome.status, 'ok');
        const [document] = outcome.documents;
        assert.equal(document?.path, 'src/greet.ts');
        assert.equal(document?.startLine, 2);
        assert.equal(document?.endLine, 3);
        assert.equal(document?.data['text'], '    return `Hello, ${name}!`;\n}');
        assert.equal(document?.data['lines'], '2-3 of 3');
    });

    void test('a long file is cut and says where to read on', async (t) => {
        const fixture = await makeToolFixture(t);
        const long = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n');
        await writeFile(path.join(fixture.root, 'long.txt'), long);
        const outcome = await fixture.call('read_file', { path: 'long.txt' });
        assert.equal(outcome.truncated, true);
        assert.equal(outcome.documents[0]?.endLine, MAX_READ_LINES);
        assert.match(outcome.documents[0]!.data['note']!, new RegExp(`start_line=${MAX_READ_LINES + 1}`));
    });

    void test('a missing file, a folder and a binary file come back as errors', async (t) => {
        const fixture = await makeToolFixture(t);
        await writeFile(path.join(fixture.root, 'blob.bin'), Buffer.from([1, 0, 2, 0]));
        for (const target of ['nope.ts', 'src', 'blob.bin']) {
            const outcome = await fixture.call('read_file', { path: target });
            assert.equal(outcome.status, 'error', target);
            assert.ok(outcome.documents[0]?.data['error'], target);
        }
    });

    void test('what was read is logged: the path at info, the contents at trace only', async (t) => {
        const fixture = await makeToolFixture(t);
        await fixture.call('read_file', { path: 'src/greet.ts' });
        const info = fixture.logs.filter((line) => line.level === 'info').map((line) => line.text);
        assert.ok(
            info.some((line) => line.includes('src/greet.ts:1-3')),
            info.join('\n'),
        );
        assert.ok(info.every((line) => !line.includes('Hello')));
        assert.ok(fixture.logs.some((line) => line.level === 'trace' && line.text.includes('Hello')));
    });
});

void describe('the other read tools', () => {
    void test('list_directory marks folders and links', async (t) => {
        const fixture = await makeToolFixture(t);
        const outcome = await fixture.call('list_directory', { path: 'src' });
        assert.equal(outcome.documents[0]?.data['entries'], 'app.ts\ngreet.ts');
        const root = await fixture.call('list_directory', { path: '.' });
        assert.match(root.documents[0]!.data['entries']!, /greet-link\.ts \(link\)/);
    });

    void test('find_files matches globs', async (t) => {
        const fixture = await makeToolFixture(t);
        const outcome = await fixture.call('find_files', { glob: 'src/*.ts' });
        assert.equal(outcome.documents[0]?.data['files'], 'src/app.ts\nsrc/greet.ts');
        assert.equal(
            (await fixture.call('find_files', { glob: '*.md' })).documents[0]?.data['files'],
            'README.md',
        );
        assert.match(
            (await fixture.call('find_files', { glob: '*.nothing' })).documents[0]!.data['files']!,
            /no files/,
        );
    });

    void test('search_text gives one document per file with the matching lines', async (t) => {
        const fixture = await makeToolFixture(t);
        const outcome = await fixture.call('search_text', { query: 'greet', glob: '**/*.ts' });
        const app = outcome.documents.find((document) => document.path === 'src/app.ts');
        assert.equal(
            app?.data['matches'],
            '1: import { greet } from "./greet";\n4:     console.log(greet("world"));',
        );
        assert.equal(app?.startLine, 1);
        assert.equal(app?.endLine, 4);
    });

    void test('get_problems and get_selection report with workspace paths', async (t) => {
        const probe = await makeToolFixture(t);
        const file = path.join(probe.root, 'src', 'app.ts');
        const fixture = await makeToolFixture(t, {
            folders: [...probe.workspace.folders],
            problems: [{ file, line: 4, severity: 'error', message: 'Cannot find name', source: 'ts' }],
            selection: { file, startLine: 3, endLine: 5, text: 'export function main' },
        });
        const problems = await fixture.call('get_problems', {});
        assert.equal(problems.documents[0]?.data['problems'], 'src/app.ts:4 error: Cannot find name (ts)');
        const selection = await fixture.call('get_selection', '');
        assert.equal(selection.documents[0]?.path, 'src/app.ts');
        assert.equal(selection.documents[0]?.startLine, 3);
        assert.equal(selection.documents[0]?.data['text'], 'export function main');
    });

    void test('a folder name prefixes paths when there are several folders', async (t) => {
        const a = await makeToolFixture(t);
        const b = await makeToolFixture(t);
        const fixture = await makeToolFixture(t, {
            folders: [
                { name: 'one', root: a.root },
                { name: 'two', root: b.root },
            ],
        });
        const outcome = await fixture.call('read_file', { path: 'two/README.md' });
        assert.equal(outcome.documents[0]?.path, 'two/README.md');
        assert.equal(outcome.documents[0]?.absolutePath, path.join(b.root, 'README.md'));
    });
});

void describe('bad calls', () => {
    void test('bad arguments, unknown tools and unknown parameters return errors to the model', async (t) => {
        const fixture = await makeToolFixture(t);
        const cases: [string, unknown, RegExp][] = [
            ['read_file', '{"path": ', /not valid JSON/],
            ['read_file', {}, /path is required/],
            ['read_file', { path: 3 }, /path must be a string/],
            ['read_file', { path: 'a', start_line: 0 }, /at least 1/],
            ['read_file', { path: 'a', start_line: 1.5 }, /integer/],
            ['read_file', { path: 'a', bogus: 1 }, /bogus is not a parameter/],
            ['delete_everything', {}, /unknown tool/],
            ['run_command', { command: 'ls' }, /unknown tool/],
        ];
        for (const [name, args, expected] of cases) {
            const outcome = await fixture.call(name, args);
            assert.equal(outcome.status, 'error');
            assert.match(outcome.documents[0]!.data['error']!, expected);
        }
    });

    void test('a tool without arguments accepts "" and "null"', async (t) => {
        const fixture = await makeToolFixture(t);
        assert.equal((await fixture.call('get_selection', '')).status, 'ok');
        assert.equal((await fixture.call('get_selection', 'null')).status, 'ok');
    });
});

void describe('edit_file and create_file', () => {
    void test('a file must be read before it is edited: the refusal carries a fresh read', async (t) => {
        const fixture = await makeToolFixture(t);
        const edit = { path: 'src/greet.ts', edits: [{ search: 'Hello', replace: 'Hi' }] };
        const refused = await fixture.call('edit_file', edit);
        assert.equal(refused.status, 'error');
        assert.equal(refused.change?.outcome, 'refused');
        assert.match(refused.documents[0]!.data['text']!, /Hello/);
        assert.equal(fixture.proposals.length, 0);
        // The fresh read counts as a read: the same edit now goes to the person.
        const applied = await fixture.call('edit_file', edit);
        assert.equal(applied.change?.outcome, 'applied');
        assert.match(await readFile(path.join(fixture.root, 'src/greet.ts'), 'utf8'), /Hi, \$\{name\}/);
    });

    void test('a file changed since it was read is refused, with what it says now', async (t) => {
        const fixture = await makeToolFixture(t);
        await fixture.call('read_file', { path: 'README.md' });
        await writeFile(path.join(fixture.root, 'README.md'), '# Changed\n');
        const refused = await fixture.call('edit_file', {
            path: 'README.md',
            edits: [{ search: 'Demo', replace: 'X' }],
        });
        assert.equal(refused.status, 'error');
        assert.match(refused.summary, /changed since you read it/);
        assert.equal(refused.documents[0]?.data['text'], '# Changed\n');
        assert.equal(fixture.proposals.length, 0);
    });

    void test('the person sees the whole file before and after; a rejection changes nothing', async (t) => {
        const fixture = await makeToolFixture(t);
        fixture.answer.change = 'rejected';
        await fixture.call('read_file', { path: 'README.md' });
        const outcome = await fixture.call('edit_file', {
            path: 'README.md',
            edits: [{ start_line: 3, end_line: 3, new_text: 'A bigger demo project.' }],
        });
        assert.equal(outcome.change?.outcome, 'rejected');
        assert.deepEqual(fixture.proposals[0], {
            path: 'README.md',
            absolutePath: path.join(fixture.root, 'README.md'),
            before: '# Demo\n\nA small demo project.\n',
            after: '# Demo\n\nA bigger demo project.\n',
        });
        assert.equal(
            await readFile(path.join(fixture.root, 'README.md'), 'utf8'),
            '# Demo\n\nA small demo project.\n',
        );
        assert.match(outcome.documents[0]!.data['result']!, /rejected/);
    });

    void test('an edit that cannot be applied returns why', async (t) => {
        const fixture = await makeToolFixture(t);
        await fixture.call('read_file', { path: 'src/app.ts' });
        const missing = await fixture.call('edit_file', {
            path: 'src/app.ts',
            edits: [{ search: 'nowhere', replace: 'x' }],
        });
        assert.match(missing.documents[0]!.data['error']!, /not found/);
        const twice = await fixture.call('edit_file', {
            path: 'src/app.ts',
            edits: [{ search: 'greet', replace: 'x' }],
        });
        assert.match(twice.documents[0]!.data['error']!, /more than once/);
        assert.equal(fixture.proposals.length, 0);
    });

    void test('create_file proposes a new file and refuses one that exists', async (t) => {
        const fixture = await makeToolFixture(t);
        const created = await fixture.call('create_file', {
            path: 'src/new/util.ts',
            content: 'export const x = 1;\n',
        });
        assert.equal(created.change?.outcome, 'applied');
        assert.equal(fixture.proposals[0]?.before, undefined);
        const exists = await fixture.call('create_file', { path: 'README.md', content: 'x' });
        assert.match(exists.documents[0]!.data['error']!, /already exists/);
    });

    void test('line ranges apply bottom up, insert, delete and keep CRLF', () => {
        const text = 'a\nb\nc\nd\n';
        assert.equal(
            applyEdits(text, [
                { start_line: 1, end_line: 1, new_text: 'A' },
                { start_line: 3, end_line: 4, new_text: 'C' },
            ]),
            'A\nb\nC\n',
        );
        assert.equal(
            applyEdits(text, [{ start_line: 2, end_line: 1, new_text: 'inserted' }]),
            'a\ninserted\nb\nc\nd\n',
        );
        assert.equal(applyEdits(text, [{ start_line: 2, end_line: 3, new_text: '' }]), 'a\nd\n');
        assert.equal(applyEdits('x\r\ny\r\n', [{ start_line: 2, end_line: 2, new_text: 'z' }]), 'x\r\nz\r\n');
        assert.throws(
            () =>
                applyEdits(text, [
                    { start_line: 1, end_line: 2, new_text: '' },
                    { start_line: 2, end_line: 2, new_text: '' },
                ]),
            /overlap/,
        );
        assert.throws(() => applyEdits(text, [{ start_line: 9, end_line: 9, new_text: '' }]), /outside/);
    });
});

void describe('run_command', () => {
    void test('is not offered unless turned on', async (t) => {
        const off = await makeToolFixture(t);
        assert.ok(!off.toolbox.names().includes('run_command'));
        const on = await makeToolFixture(t, { runCommand: true });
        assert.ok(on.toolbox.names().includes('run_command'));
    });

    void test('asks with the exact command; declining runs nothing', async (t) => {
        const fixture = await makeToolFixture(t, { runCommand: true });
        const outcome = await fixture.call('run_command', { command: 'npm test -- --grep "a b"' });
        assert.deepEqual(fixture.commands, ['npm test -- --grep "a b"']);
        assert.match(outcome.documents[0]!.data['result']!, /declined/);
    });
});

void test('globs', () => {
    assert.ok(matchesGlob('**/*.ts', 'a/b/c.ts'));
    assert.ok(matchesGlob('**/*.ts', 'c.ts'));
    assert.ok(matchesGlob('*.ts', 'deep/c.ts'));
    assert.ok(!matchesGlob('src/*.ts', 'src/a/b.ts'));
    assert.ok(matchesGlob('src/**', 'src/a/b.ts'));
    assert.ok(matchesGlob('build/**', 'build'));
    assert.ok(matchesGlob('**/*.{js,ts}', 'x/y.js'));
    assert.ok(!matchesGlob('build/**', 'x/build/y'));
});
