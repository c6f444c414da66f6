// Every way out of the workspace, and every secret on the deny list, is refused by every tool that
// takes a path; nothing outside or denied is ever listed or found.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPathText, deniedReason } from '../../src/tools/paths';
import { NodeWorkspace } from '../../src/tools/nodeWorkspace';
import { Toolbox } from '../../src/tools/toolbox';
import { makeToolFixture } from './tools-fixtures';

const ESCAPES = [
    '../outside/secret.txt',
    'src/../../outside/secret.txt',
    '..',
    '..\\outside\\secret.txt',
    'src\\..\\..\\outside',
    '/etc/passwd',
    '\\etc\\passwd',
    'C:\\Windows\\win.ini',
    'c:/Windows/win.ini',
    '~/.ssh/id_rsa',
    'file:///etc/passwd',
    '%2e%2e/outside/secret.txt',
    '%2E%2E%2Foutside%2Fsecret.txt',
    '..%2foutside',
    '%252e%252e/outside',
    '\uff0e\uff0e/outside/secret.txt',
    '\u2025/outside/secret.txt',
    '.. /outside',
    'src/\0/app.ts',
    'link-out.txt',
    'dir-out/secret.txt',
    'dir-out',
];

const DENIED = [
    '.env',
    '.env.local',
    '.ENV',
    'keys/id_rsa',
    'certs/server.pem',
    '.git/config',
    '.git',
    '.GIT/config',
    'src/../.git/config',
    './.env',
    'notes.txt',
    'build/out.js',
];

void describe('tool paths', () => {
    for (const attempt of [...ESCAPES, ...DENIED]) {
        void test(`read_file refuses ${JSON.stringify(attempt)}`, async (t) => {
            const fixture = await makeToolFixture(t);
            const outcome = await fixture.call('read_file', { path: attempt });
            assert.equal(outcome.status, 'error', JSON.stringify(outcome));
            const text = JSON.stringify(outcome.documents);
            assert.doesNotMatch(text, /hunter|OUTSIDE-SECRET|PRIVATE KEY|\[core\]|console\.log\(1\)/);
        });
    }

    for (const attempt of [
        '../outside/new.txt',
        '/tmp/new.txt',
        '.env.production',
        '.git/hooks/pre-commit',
        'dir-out/new.txt',
        'keys/id_ed25519',
        '%2e%2e/new.txt',
    ]) {
        void test(`create_file refuses ${JSON.stringify(attempt)} without asking`, async (t) => {
            const fixture = await makeToolFixture(t);
            const outcome = await fixture.call('create_file', { path: attempt, content: 'x' });
            assert.equal(outcome.status, 'error');
            assert.equal(fixture.proposals.length, 0);
        });
    }

    for (const attempt of ['../outside/secret.txt', '.env', 'link-out.txt', '.git/config', 'notes.txt']) {
        void test(`edit_file refuses ${JSON.stringify(attempt)} without asking`, async (t) => {
            const fixture = await makeToolFixture(t);
            const outcome = await fixture.call('edit_file', {
                path: attempt,
                edits: [{ search: 'SECRET', replace: 'X' }],
            });
            assert.equal(outcome.status, 'error');
            assert.equal(fixture.proposals.length, 0);
        });
    }

    for (const attempt of ['..', 'dir-out', '.git', '/']) {
        void test(`list_directory refuses ${JSON.stringify(attempt)}`, async (t) => {
            const fixture = await makeToolFixture(t);
            assert.equal((await fixture.call('list_directory', { path: attempt })).status, 'error');
        });
    }

    void test('get_problems refuses a path outside', async (t) => {
        const fixture = await makeToolFixture(t);
        assert.equal((await fixture.call('get_problems', { path: '../outside/secret.txt' })).status, 'error');
    });

    void test('a link inside the workspace to a file inside is followed', async (t) => {
        const fixture = await makeToolFixture(t);
        const outcome = await fixture.call('read_file', { path: 'greet-link.ts' });
        assert.equal(outcome.status, 'ok');
        assert.match(outcome.documents[0]!.data['text']!, /Hello/);
    });

    void test('listing the root hides secrets, .git and excluded folders', async (t) => {
        const fixture = await makeToolFixture(t);
        const outcome = await fixture.call('list_directory', { path: '.' });
        const entries = outcome.documents[0]!.data['entries']!.split('\n');
        assert.ok(entries.includes('src/'));
        assert.ok(entries.includes('README.md'));
        for (const hidden of ['.env', '.env.local', '.git/', 'build/'])
            assert.ok(!entries.includes(hidden), hidden);
    });

    void test('find_files and search_text never return denied or excluded files', async (t) => {
        const fixture = await makeToolFixture(t);
        const found = await fixture.call('find_files', { glob: '**/*' });
        const files = found.documents[0]!.data['files']!;
        assert.match(files, /src\/app\.ts/);
        assert.doesNotMatch(files, /\.env|id_rsa|\.pem|\.git|build\//);
        const searched = await fixture.call('search_text', { query: 'SECRET' });
        assert.doesNotMatch(JSON.stringify(searched.documents), /hunter/);
        const searchedKey = await fixture.call('search_text', { query: 'PRIVATE KEY' });
        assert.doesNotMatch(JSON.stringify(searchedKey.documents), /BEGIN/);
    });

    void test('a selection in a denied file is refused', async (t) => {
        const fixture = await makeToolFixture(t);
        const workspace = new NodeWorkspace({
            folders: [...fixture.workspace.folders],
            selection: { file: `${fixture.root}/.env`, startLine: 1, endLine: 1, text: 'SECRET=hunter2' },
        });
        const toolbox = new Toolbox({
            workspace,
            approvals: {
                proposeChange: () => Promise.resolve('rejected'),
                runCommand: () => Promise.resolve({ outcome: 'declined' }),
            },
            runCommand: false,
            log: { info: () => undefined, trace: () => undefined },
        });
        const outcome = await toolbox.execute(
            { id: 'get_selection_1', name: 'get_selection', arguments: '' },
            new AbortController().signal,
        );
        assert.equal(outcome.status, 'error');
        assert.doesNotMatch(JSON.stringify(outcome), /hunter/);
    });

    void test('no tools at all in an untrusted workspace', async (t) => {
        const fixture = await makeToolFixture(t, { trusted: false });
        assert.deepEqual(fixture.toolbox.definitions(), []);
        const outcome = await fixture.call('read_file', { path: 'README.md' });
        assert.equal(outcome.status, 'error');
        assert.doesNotMatch(JSON.stringify(outcome), /demo project/);
    });

    void test('the deny list and the text checks, directly', () => {
        assert.ok(deniedReason('.env.development'));
        assert.ok(deniedReason('a/b/.ssh/known_hosts'));
        assert.equal(deniedReason('src/environment.ts'), undefined);
        assert.equal(deniedReason('docs/keys.md'), undefined);
        assert.equal(checkPathText('src\\app.ts'), 'src/app.ts');
        assert.equal(checkPathText('a..b/c...txt'), 'a..b/c...txt');
    });
});
