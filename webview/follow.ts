// Following the stream: while the reader is at the bottom of the conversation, the view stays there as the
// reply grows; as soon as they scroll up it stops, and a "Jump to latest" button brings them back.
//
// The view is pinned from a ResizeObserver on the conversation's content, which runs after the browser's
// own layout of the frame: reading scrollHeight there forces no extra layout, unlike scrolling right after
// each render. Only a move up that the follower did not make stops following: a scroll event that rendering
// causes (the follower's own scroll landing a frame later, the content growing under a scroll in flight,
// scroll anchoring) leaves the view following. That was the bug: such an event cleared the follow flag.
import { element } from './dom';
import { t } from './l10n';

/** How close to the bottom counts as at the bottom. */
const BOTTOM_SLACK_PX = 24;

/** Keeps a scroller at its bottom while its content grows, until the reader scrolls up. */
export class StreamFollower {
    readonly button: HTMLButtonElement;
    private followingNow = true;
    /** The scrollTop the follower set last (or saw at the bottom). */
    private pinnedTop = 0;

    constructor(
        private readonly scroller: HTMLElement,
        content: HTMLElement,
        private readonly onChange: (following: boolean) => void = () => undefined,
    ) {
        this.button = element('button', 'jump-to-latest', t('jumpToLatest'));
        this.button.type = 'button';
        this.button.setAttribute('aria-label', t('jumpToLatestLabel'));
        this.button.hidden = true;
        this.button.addEventListener('click', () => {
            this.follow();
            this.scroller.focus({ preventScroll: true });
        });
        const anchor = element('div', 'jump-anchor');
        anchor.append(this.button);
        scroller.after(anchor);
        new ResizeObserver(() => {
            if (this.followingNow) this.pin();
        }).observe(content);
        scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
        // A wheel turned up says so before its scroll lands, which may be after the next pin.
        scroller.addEventListener(
            'wheel',
            (event) => {
                if (event.deltaY < 0) this.set(false);
            },
            { passive: true },
        );
    }

    /** Whether the view follows the end of the conversation. */
    get following(): boolean {
        return this.followingNow;
    }

    /** Follows the end again (the person sent a message, or asked to jump to the latest). */
    follow(): void {
        this.set(true);
        this.pin();
    }

    /** Stops following, leaving the view where it is (a saved scroll position was restored). */
    stop(): void {
        this.set(false);
    }

    private pin(): void {
        const box = this.scroller;
        box.scrollTop = box.scrollHeight;
        this.pinnedTop = box.scrollTop;
    }

    private onScroll(): void {
        const box = this.scroller;
        const top = box.scrollTop;
        if (box.scrollHeight - top - box.clientHeight <= BOTTOM_SLACK_PX) {
            this.pinnedTop = top;
            this.set(true);
        } else if (top < this.pinnedTop - 1) {
            this.set(false);
        }
    }

    private set(following: boolean): void {
        if (following === this.followingNow) return;
        this.followingNow = following;
        this.button.hidden = following;
        this.onChange(following);
    }
}
