/**
 * Marks the reviews on one page with one adapter: finds them, scores them in batches through the
 * background, marks each (badge.ts), follows reviews added later without scoring any element
 * twice, and undoes everything on stop() (the site switched off). It keeps the counts the popup
 * shows ("18 of 25 positive").
 */
import type { SentimentLabel } from '../../../public-api/contract.ts';
import type { FoundReview, SiteAdapter } from './adapters/types.ts';
import {
  MAX_TEXT_CHARS,
  MAX_TEXTS_PER_MESSAGE,
  type Classification,
  type PageSummary,
} from '../common/messages/types.ts';
import { genericAdapter } from './adapters/generic.ts';
import { hasReviewLikeBlocks } from './adapters/review-like.ts';
import type { TextOrigin } from './adapters/traced.ts';
import { isBadgeNode, LABEL_ATTRIBUTE, markReview, unmarkReview, type BadgeInfo } from './badge.ts';
import { observeAdditions } from './observe.ts';

const ELEMENT_NODE = 1;

/**
 * Additions that cannot bring a new review: text (a "read more" expanding), the extension's own
 * badges and popover, and anything inside a review already marked (vote counts, spoiler toggles).
 */
function isNotNewContent(node: Node): boolean {
  if (node.nodeType !== ELEMENT_NODE || isBadgeNode(node)) return true;
  const parent = (node as Element).parentElement;
  return parent !== null && parent.closest(`[${LABEL_ATTRIBUTE}]`) !== null;
}

export type ClassifyTexts = (texts: readonly string[]) => Promise<Classification>;

interface Mark {
  readonly host: HTMLElement;
  readonly label: SentimentLabel;
  /** What the badge shows, the text that was scored (exactly), and where that text is on the page. */
  readonly review: MarkedReview;
}

/** A marked review as its badge's popover needs it (review-popover.ts). */
export interface MarkedReview {
  readonly info: BadgeInfo;
  readonly text: string;
  readonly origin?: TextOrigin | undefined;
}

export interface MarkerOptions {
  /** When the content script started, on the `now` clock, for the summary's markedAfterMs (until a navigation). */
  readonly startedAt: number;
  readonly now?: () => number;
  /** Whether the user has this site on (shown in the summary; a stopped marker is off). */
  readonly enabled?: boolean;
}

export class PageMarker {
  readonly #marks = new Map<HTMLElement, Mark>();
  readonly #pending = new Set<HTMLElement>();
  readonly #failed = new Set<HTMLElement>();
  readonly #controller = new AbortController();
  readonly #now: () => number;
  #note: string | undefined;
  #markedAt: number | undefined;
  #startedAt: number;
  #scans: Promise<void> = Promise.resolve();

  constructor(
    private readonly doc: Document,
    readonly adapter: SiteAdapter,
    private readonly classify: ClassifyTexts,
    private readonly options: MarkerOptions,
  ) {
    this.#now = options.now ?? (() => performance.now());
    this.#startedAt = options.startedAt;
  }

  get stopped(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Marks what is there now and follows the page; resolves once the first scan is done. */
  start(): Promise<void> {
    observeAdditions(this.doc, () => void this.scan(), {
      signal: this.#controller.signal,
      ignore: isNotNewContent,
    });
    return this.scan();
  }

  /** Finds reviews not yet marked or being scored, and scores them. Resolves when they are marked. */
  scan(): Promise<void> {
    const run = this.#scan();
    this.#scans = Promise.all([this.#scans, run]).then(() => undefined);
    return run;
  }

  /**
   * The page went to another address without loading a new document (a single-page app's route
   * change, navigation.ts) and this adapter handles the new one too. Reviews still on the page keep
   * their marks and are not scored again; those the app took off the page are forgotten (their
   * badges go with them, so one put back later is marked once); the new page's reviews are marked.
   * The summary's markedAfterMs counts from `at`, the navigation, on the `now` clock, for the reviews
   * marked from then on.
   */
  navigated(at: number = this.#now()): Promise<void> {
    if (this.stopped) return Promise.resolve();
    for (const [element, { host }] of this.#marks) {
      if (element.isConnected) continue;
      unmarkReview(element, host);
      this.#marks.delete(element);
    }
    for (const element of this.#failed) if (!element.isConnected) this.#failed.delete(element);
    this.#startedAt = at;
    return this.scan();
  }

  /** Resolves when every scan started so far is done. */
  settled(): Promise<void> {
    return this.#scans;
  }

  async #scan(): Promise<void> {
    if (this.stopped) return;
    const fresh = this.adapter
      .find(this.doc)
      .filter(
        (review) => !this.#marks.has(review.element) && !this.#pending.has(review.element) && review.text.trim() !== '',
      );
    if (fresh.length === 0) return;
    for (const review of fresh) {
      this.#pending.add(review.element);
      this.#failed.delete(review.element);
    }
    const batches: FoundReview[][] = [];
    for (let i = 0; i < fresh.length; i += MAX_TEXTS_PER_MESSAGE)
      batches.push(fresh.slice(i, i + MAX_TEXTS_PER_MESSAGE));
    await Promise.all(batches.map((batch) => this.#score(batch)));
  }

  async #score(batch: readonly FoundReview[]): Promise<void> {
    let classification: Classification;
    try {
      classification = await this.classify(batch.map((review) => review.text.slice(0, MAX_TEXT_CHARS)));
    } catch (error) {
      for (const { element } of batch) {
        this.#pending.delete(element);
        this.#failed.add(element);
      }
      this.#note = error instanceof Error ? error.message : 'ReelSense could not score the reviews.';
      return;
    }
    if (this.stopped) return;
    this.#note = classification.note;
    batch.forEach(({ element, text, origin }, i) => {
      this.#pending.delete(element);
      const result = classification.results[i];
      if (result === undefined || !element.isConnected) return;
      const info = { result, model: classification.model, scorer: classification.scorer, note: classification.note };
      const host = markReview(element, info);
      const sent = text.slice(0, MAX_TEXT_CHARS);
      this.#marks.set(element, { host, label: result.label, review: { info, text: sent, origin } });
    });
    this.#markedAt = this.#now() - this.#startedAt;
  }

  /** The marked review whose badge is `host`, while it is on the page. */
  reviewOf(host: Element): MarkedReview | undefined {
    const element = host.parentElement;
    const mark = element === null ? undefined : this.#marks.get(element);
    return mark?.host === host ? mark.review : undefined;
  }

  /** Stops following the page and removes every badge and attribute it added. */
  stop(): void {
    this.#controller.abort();
    for (const [element, { host }] of this.#marks) unmarkReview(element, host);
    this.#marks.clear();
    this.#pending.clear();
    this.#failed.clear();
  }

  summary(): PageSummary {
    let positive = 0;
    let negative = 0;
    let mixed = 0;
    let unreadable = 0;
    for (const [element, mark] of this.#marks) {
      if (!element.isConnected) continue;
      if (mark.label === 'positive') positive++;
      else if (mark.label === 'mixed') mixed++;
      else if (mark.label === 'unreadable') unreadable++;
      else negative++;
    }
    const pending = [...this.#pending].filter((element) => element.isConnected).length;
    const failed = [...this.#failed].filter((element) => element.isConnected).length;
    const found = positive + negative + mixed + unreadable + pending + failed;
    return {
      siteId: this.adapter.id,
      siteName: this.adapter.name,
      enabled: !this.stopped && (this.options.enabled ?? true),
      found,
      positive,
      negative,
      mixed,
      unreadable,
      pending,
      failed,
      note: this.#note,
      markedAfterMs: this.#markedAt,
      // Looked for only when asked and nothing was found: the popup's question, not the marker's.
      layoutUnrecognised:
        found === 0 && !this.stopped && this.adapter !== genericAdapter && hasReviewLikeBlocks(this.doc),
    };
  }
}
