// The composer's draft of each chat surface, kept by the host in a small file. The webview's own state
// (getState/setState) reaches VS Code's storage only when the workbench saves it, so a draft typed just
// before a reload was lost; a message to the host arrives at once and is written to disk at once. Each
// draft keeps its revision (the view counts its changes), so after a reload the view takes whichever of
// its saved state and this copy is newer — a cleared draft included. No vscode import, so it is tested in
// plain Node.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Drafts longer than this are not kept (the guard caps a message at the same size). */
const MAX_DRAFT_LENGTH = 200_000;

/** A surface's draft as last heard of: its text ('' once cleared) and revision. */
export interface KeptDraft {
    readonly text: string;
    readonly revision: number;
}

/** Drafts by surface ('panel', 'sidebar'), in one JSON file. */
export class DraftStore {
    private drafts: Record<string, KeptDraft>;

    constructor(
        private readonly file: string,
        private readonly onError: (error: unknown) => void = () => undefined,
    ) {
        this.drafts = this.read();
    }

    /** The draft of `surface`, if one was kept. */
    get(surface: string): KeptDraft | undefined {
        return this.drafts[surface];
    }

    /** Keeps `text` at `revision` as the draft of `surface` and writes the file now. */
    set(surface: string, text: string, revision: number): void {
        if (text.length > MAX_DRAFT_LENGTH) return;
        const kept = this.drafts[surface];
        if (kept?.text === text && kept.revision === revision) return;
        const next = { ...this.drafts, [surface]: { text, revision } };
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

    private read(): Record<string, KeptDraft> {
        try {
            const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
            const drafts: Record<string, KeptDraft> = {};
            for (const [surface, value] of Object.entries(parsed)) {
                const kept = keptDraftOf(value);
                if (kept !== undefined) drafts[surface] = kept;
            }
            return drafts;
        } catch {
            return {};
        }
    }
}

/** An entry of the file: `{ text, revision }`, or a bare text as the first version wrote (revision 0). */
function keptDraftOf(value: unknown): KeptDraft | undefined {
    if (typeof value === 'string')
        return value.length <= MAX_DRAFT_LENGTH ? { text: value, revision: 0 } : undefined;
    if (typeof value !== 'object' || value === null) return undefined;
    const { text, revision } = value as { text?: unknown; revision?: unknown };
    if (typeof text !== 'string' || text.length > MAX_DRAFT_LENGTH) return undefined;
    if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) return undefined;
    return { text, revision };
}
