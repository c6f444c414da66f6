// A long conversation's earlier turns sit in groups of GROUP_SIZE, each group `content-visibility: auto`
// (style.css) like the turns in it. The browser then tracks one box per group off screen instead of one per
// turn, and every frame's intersection checks, pre-paint and paint walk a few dozen boxes instead of
// hundreds. Only the turns of a conversation as it opens are grouped; the latest LIVE_TURNS, and the turns
// that come later, stay direct children of the list, so the turn being streamed is never in a group.

/** Turns per group. */
export const GROUP_SIZE = 16;
/** The latest turns left out of the groups. */
const LIVE_TURNS = 8;

/**
 * Moves the turns of `list` but the latest LIVE_TURNS into groups; each group holds, until it is first laid
 * out, the sum of its turns' estimated heights (`sizeClass` names the class for a height).
 */
export function groupEarlierTurns(
    list: HTMLElement,
    estimateOf: (turn: Element) => number,
    sizeClass: (px: number) => string,
): void {
    const turns = Array.from(list.children).filter((child) => child.classList.contains('turn'));
    const grouped = turns.length - LIVE_TURNS;
    if (grouped < 2 * GROUP_SIZE) return;
    const before = turns[grouped] ?? null;
    for (let start = 0; start < grouped; start += GROUP_SIZE) {
        const members = turns.slice(start, Math.min(grouped, start + GROUP_SIZE));
        const group = document.createElement('div');
        group.className = 'turn-group';
        group.classList.add(sizeClass(members.reduce((sum, turn) => sum + estimateOf(turn), 0)));
        group.append(...members);
        list.insertBefore(group, before);
    }
}

/** Removes the groups of `list` whose turns are all gone. */
export function dropEmptyGroups(list: HTMLElement): void {
    for (const group of Array.from(list.querySelectorAll(':scope > .turn-group')))
        if (group.childElementCount === 0) group.remove();
}
