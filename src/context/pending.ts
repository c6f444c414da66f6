// What the next message will carry, as chips: the attachments still to be sent (grouped per thing
// attached: a file's chunks are one chip), and the documents earlier turns keep sending.
import type { Attachment } from '../chat/model';
import { CONTEXT_STRINGS, fill } from './strings';
import type { ContextStrings } from './strings';

/** One attached item as a chip above the composer. */
export interface AttachmentChip {
    /** The attachment id (a file's chunks share one chip: the id of its first chunk). */
    readonly id: string;
    /** `src/app.ts`, `src/app.ts:12-30`, `Problems (3)`, `@workspace`... */
    readonly label: string;
    readonly kind: 'selection' | 'file' | 'problem' | 'workspace' | 'image' | 'folder';
    /** A chip that will not be sent says why (too large, binary, not a vision model, left out to fit). */
    readonly refused?: string;
    /** Hover text: the titles of what it sends. */
    readonly detail?: string;
    /** An image's preview (a small data URI). */
    readonly thumbnail?: string;
}

interface Group {
    chip: AttachmentChip;
    attachments: Attachment[];
}

/** The attachments waiting for the next message of one conversation view. */
export class PendingAttachments {
    private groups: Group[] = [];
    // A refusal that depends on the moment, not the item: images while the model takes none.
    private readonly kindRefusals = new Map<AttachmentChip['kind'], string>();

    /** Refuses every chip of `kind` with `reason` (undefined: no longer), e.g. images for a text-only model. */
    refuseKind(kind: AttachmentChip['kind'], reason: string | undefined): void {
        if (reason === undefined) this.kindRefusals.delete(kind);
        else this.kindRefusals.set(kind, reason);
    }

    private chipOf(group: Group): AttachmentChip {
        const reason = group.chip.refused ?? this.kindRefusals.get(group.chip.kind);
        return reason === undefined ? group.chip : { ...group.chip, refused: reason };
    }

    /** Adds (or replaces, by chip id) one attached thing and the documents it sends. */
    add(chip: AttachmentChip, attachments: readonly Attachment[]): void {
        const group = { chip, attachments: [...attachments] };
        const at = this.groups.findIndex((existing) => existing.chip.id === chip.id);
        if (at >= 0) this.groups[at] = group;
        else this.groups.push(group);
    }

    /** Removes a chip; false when there was none with that id. */
    remove(chipId: string): boolean {
        const before = this.groups.length;
        this.groups = this.groups.filter((group) => group.chip.id !== chipId);
        return this.groups.length !== before;
    }

    chips(): AttachmentChip[] {
        return this.groups.map((group) => this.chipOf(group));
    }

    /** The documents of every chip that is not refused, without duplicate ids. */
    attachments(): Attachment[] {
        const seen = new Set<string>();
        const result: Attachment[] = [];
        for (const group of this.groups) {
            if (this.chipOf(group).refused !== undefined) continue;
            for (const attachment of group.attachments) {
                if (seen.has(attachment.id)) continue;
                seen.add(attachment.id);
                result.push(attachment);
            }
        }
        return result;
    }

    /** Hands the documents to a message being sent, and clears the chips. */
    take(): Attachment[] {
        const taken = this.attachments();
        this.groups = [];
        return taken;
    }

    get isEmpty(): boolean {
        return this.groups.length === 0;
    }
}

/** The path part of a `path:lines` title. */
export function pathOfTitle(title: string): string {
    return title.replace(/:\d+(-\d+)?$/, '');
}

/** Carried documents as chips, one per file (or per problem list / selection), with the ids each covers. */
export function carriedChips(
    carried: readonly Attachment[],
    strings: ContextStrings = CONTEXT_STRINGS,
): { chip: AttachmentChip; ids: string[] }[] {
    const byKey = new Map<string, { chip: AttachmentChip; ids: string[]; titles: string[] }>();
    for (const attachment of carried) {
        const kind = attachment.kind ?? 'selection';
        const key =
            kind === 'selection'
                ? attachment.id
                : `${kind}:${attachment.uri ?? pathOfTitle(attachment.title)}`;
        let entry = byKey.get(key);
        if (entry === undefined) {
            const label = kind === 'selection' ? attachment.title : pathOfTitle(attachment.title);
            entry = {
                chip: {
                    id: attachment.id,
                    label: kind === 'problem' ? fill(strings.problemsOf, label) : label,
                    kind,
                },
                ids: [],
                titles: [],
            };
            byKey.set(key, entry);
        }
        entry.ids.push(attachment.id);
        entry.titles.push(attachment.title);
    }
    return [...byKey.values()].map((entry) => ({
        chip: { ...entry.chip, detail: entry.titles.join('\n') },
        ids: entry.ids,
    }));
}
