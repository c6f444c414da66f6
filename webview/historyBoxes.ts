// The items of one history date group, in boxes of a few dozen. A box off screen is neither laid out nor
// painted (`content-visibility: auto` in style.css), so moving one conversation to the top of a list of
// thousands lays out one box and steps over the others, where one flat list laid out every item again.
// Boxes are `role="none"`: to assistive technology the items stay one list.
import { element } from './dom';

/** Items a box gets when the list is built; a box that grows past twice this is split in two. */
const BOX_SIZE = 32;
const BOX_CLASS = 'history-box';

function makeBox(): HTMLElement {
    const box = element('div', BOX_CLASS);
    box.setAttribute('role', 'none');
    return box;
}

/** Fills `list` with `items`, in order, in boxes. */
export function fillBoxes(list: HTMLElement, items: readonly HTMLElement[]): void {
    const boxes: HTMLElement[] = [];
    for (let start = 0; start < items.length; start += BOX_SIZE) {
        const box = makeBox();
        box.append(...items.slice(start, start + BOX_SIZE));
        boxes.push(box);
    }
    list.replaceChildren(...boxes);
}

/**
 * Puts `item` into `list` just before `next` (an item of the list), or after `previous` when there is
 * no next, or into a new box when the list is empty.
 */
export function insertItem(
    list: HTMLElement,
    item: HTMLElement,
    next: HTMLElement | undefined,
    previous: HTMLElement | undefined,
): void {
    if (next !== undefined) next.before(item);
    else if (previous !== undefined) previous.after(item);
    else {
        const box = makeBox();
        box.append(item);
        list.append(box);
    }
    const box = item.parentElement;
    if (box === null) return;
    if (box.childElementCount > 2 * BOX_SIZE) {
        const second = makeBox();
        second.append(...[...box.children].slice(BOX_SIZE));
        box.after(second);
        syncBoxHidden(second);
    }
    syncBoxHidden(box);
}

/** Takes `item` out of its box; an emptied box goes. */
export function removeItem(item: HTMLElement): void {
    const box = item.parentElement;
    item.remove();
    if (box === null || !box.classList.contains(BOX_CLASS)) return;
    if (box.childElementCount === 0) box.remove();
    else syncBoxHidden(box);
}

/**
 * Hides a box whose items are all hidden (by the search). A box off screen keeps the size it last had
 * when drawn, so one left shown with nothing in it would be an empty gap in the results.
 */
export function syncBoxHidden(box: HTMLElement): void {
    if (!box.classList.contains(BOX_CLASS)) return;
    box.hidden = box.querySelector(':scope > .history-item:not([hidden])') === null;
}

/** Every box of `list`, to sync after a search changed many items. */
export function boxesOf(list: HTMLElement): HTMLElement[] {
    return [...list.children].filter((child): child is HTMLElement => child.classList.contains(BOX_CLASS));
}
