// Merging two windows' versions of one conversation, by turn id. Window A saves its copy ("local") over a
// file that window B changed since A last read or wrote it ("remote"). "Base" is A's copy as it was at
// that last read or write, which tells what A itself changed since. Nothing B added is dropped.
import type { Conversation, Turn } from './model';

/** The result of a merge, and whether it holds anything `local` did not (B's turns or title). */
export interface Merged {
    readonly conversation: Conversation;
    readonly foreign: boolean;
}

/**
 * `local`'s changes applied over `remote`:
 * - a turn A changed since base is A's; a turn A left as it was is B's (B may have retried it);
 * - a turn only B has is kept, after the turn it follows in B's file, unless A removed it (an edit
 *   drops the turns after the edited one);
 * - the title is A's if A renamed it, else B's.
 */
export function mergeConversations(
    local: Conversation,
    base: Conversation | undefined,
    remote: Conversation,
): Merged {
    const baseTurns = new Map((base?.turns ?? []).map((turn) => [turn.id, JSON.stringify(turn)]));
    const remoteTurns = new Map(remote.turns.map((turn) => [turn.id, turn]));
    const localIds = new Set(local.turns.map((turn) => turn.id));
    let foreign = false;

    const turns: Turn[] = local.turns.map((turn) => {
        const theirs = remoteTurns.get(turn.id);
        const unchangedHere = baseTurns.get(turn.id) === JSON.stringify(turn);
        if (theirs === undefined || !unchangedHere) return turn;
        if (JSON.stringify(theirs) !== JSON.stringify(turn)) foreign = true;
        return theirs;
    });
    // Where the last of B's turns that is also in the result sits: B's own turns go right after it.
    let anchor = -1;
    for (const turn of remote.turns) {
        if (localIds.has(turn.id)) {
            anchor = turns.findIndex((candidate) => candidate.id === turn.id);
        } else if (!baseTurns.has(turn.id)) {
            anchor += 1;
            turns.splice(anchor, 0, turn);
            foreign = true;
        }
    }

    const renamedHere = base === undefined || local.title !== base.title;
    const title = renamedHere ? local.title : remote.title;
    if (title !== local.title) foreign = true;
    const conversation: Conversation = {
        ...local,
        title,
        createdAt: Math.min(local.createdAt, remote.createdAt),
        updatedAt: Math.max(local.updatedAt, remote.updatedAt),
        turns,
    };
    return { conversation, foreign };
}
