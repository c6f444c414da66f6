// The composer's draft of each chat surface, kept by the host in a small file. The webview's own state
// (getState/setState) reaches VS Code's storage only when the workbench saves it, so a draft typed just
// before a reload was lost; a message to the host arrives at once and is written to disk at once. No vscode
// import, so it is tested in plain Node.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Drafts longer than this are not kept (the guard caps a message at the same size). */
const MAX_DRAFT_LENGTH = 200_000;

/** Drafts by surface ('panel', 'sidebar'), in one JSON file. */
export class DraftStore {
    private drafts: Record<string, string>;

    constructor(
        private readonly file: string,
        private readonly onError: (error: unknown) => void = () => undefined,
    ) {
        this.drafts = this.read();
    }

    /** The draft of `surface`, if one was kept. */
    get(surface: string): string | undefined {
        const draft = this.drafts[surface];
        return typeof draft === 'string' && draft !== '' ? draft : undefined;
    }

    /** Keeps `text` as the draft of `surface` (an empty text forgets it) and writes the file now. */
    set(surface: string, text: string): void {
        if (text.length > MAX_DRAFT_LENGTH) return;
        if ((this.drafts[surface] ?? '') === text) return;
        const next = { ...this.drafts };
        if (text === '') delete next[surface];
        else next[surface] = text;
        this.drafts = next;
        try {
            mkdirSync(dirname(this.file), { recursive: true });
            // Written aside and renamed, so a crash mid-write leaves the old file rather than half a new one.
            const temporary = `${this.file}.tmp`;
            writeFileSync(temporary, JSON.stringify(next));
            renameSync(temporary, this.file);
        } catch (error) {
            this.onError(error);
        }
    }

    private read(): Record<string, string> {
        try {
            const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
            const drafts: Record<string, string> = {};
            for (const [surface, text] of Object.entries(parsed)) {
                if (typeof text === 'string' && text.length <= MAX_DRAFT_LENGTH) drafts[surface] = text;
            }
            return drafts;
        } catch {
            return {};
        }
    }
}
