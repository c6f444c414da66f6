// A drop's URI list as the extension host reads it: in a remote window (code-server, Remote SSH, WSL) the
// Explorer names its files `vscode-remote://<authority>/<path>`, which the host knows as `file:///<path>`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { droppedUris, MAX_DROPPED_URIS } from '../../src/context/droppedUris';

void describe('droppedUris', () => {
    void test("a remote window's URIs become the host's file URIs, path and encoding unchanged", () => {
        assert.deepEqual(
            droppedUris([
                'vscode-remote://127.0.0.1:8080/tmp/work/calc-add.ts',
                'vscode-remote://ssh-remote%2Bbuild-box/home/me/My%20Project/a.ts',
                'VSCODE-REMOTE://wsl%2BUbuntu/c%3A/x.ts',
            ]),
            [
                { text: 'file:///tmp/work/calc-add.ts', fromRemote: true },
                { text: 'file:///home/me/My%20Project/a.ts', fromRemote: true },
                { text: 'file:///c%3A/x.ts', fromRemote: true },
            ],
        );
    });

    void test('file and other URIs stay as they are; blank lines and comments are left out', () => {
        assert.deepEqual(
            droppedUris(['# dragged from the Explorer', ' file:///src/a.ts ', '', 'untitled:Untitled-1']),
            [
                { text: 'file:///src/a.ts', fromRemote: false },
                { text: 'untitled:Untitled-1', fromRemote: false },
            ],
        );
    });

    void test(`at most ${MAX_DROPPED_URIS} URIs are taken from one drop`, () => {
        const many = Array.from({ length: MAX_DROPPED_URIS + 5 }, (_, i) => `file:///f${i}.ts`);
        const taken = droppedUris(many);
        assert.equal(taken.length, MAX_DROPPED_URIS);
        assert.equal(taken.at(-1)?.text, `file:///f${MAX_DROPPED_URIS - 1}.ts`);
    });

    void test('a URI that only mentions vscode-remote later is not rewritten', () => {
        assert.deepEqual(droppedUris(['file:///notes/vscode-remote://x/y.md']), [
            { text: 'file:///notes/vscode-remote://x/y.md', fromRemote: false },
        ]);
    });
});
