/**
 * Every message the extension's parts send each other, as discriminated unions on `type`, with
 * the reply each one gets. Receivers treat what arrives as `unknown` and check it with
 * validate.ts before acting on it.
 *
 *   content script, popup ── BackgroundRequest ──> service worker (Chrome) / event page (Firefox)
 *   service worker, popup ── ContentRequest ─────> content script in a tab
 */
import type { SentimentResult } from '../../../../public-api/contract.ts';
import type { Mode } from '../settings/settings.ts';

/** Who scored a batch: the model inside the extension, or the public API. */
export type Scorer = 'on-device' | 'api';

export interface Classification {
  /** One per text, in order. */
  readonly results: readonly SentimentResult[];
  /** The model's version, from its card. */
  readonly model: string;
  readonly scorer: Scorer;
  /** Why the scorer is not the one the mode asks for (the API failed, so on-device answered). */
  readonly note?: string;
}

/** A failure a person can read; `code` is stable. */
export interface Problem {
  readonly code: string;
  readonly message: string;
}

export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

/** The answer to a selection, kept for the popup and shown in place. */
export interface SelectionAnswer {
  readonly text: string;
  readonly outcome: Reply<Classification>;
  readonly at: number;
}

export interface Status {
  readonly mode: Mode;
  readonly apiUrl: string;
  /** The packed model's version, once it has been read. */
  readonly model: string | undefined;
  readonly lastSelection: SelectionAnswer | undefined;
}

/** What a content script reports about its page. */
export interface PageSummary {
  /** The adapter in use ('imdb', …, 'generic'), or undefined when none handles the page. */
  readonly siteId: string | undefined;
  readonly siteName: string | undefined;
  /** Whether the user has this site switched on (always true for 'generic', which runs on request). */
  readonly enabled: boolean;
  readonly found: number;
  readonly positive: number;
  readonly negative: number;
  /** Reviews that lean neither way. */
  readonly mixed: number;
  /** Reviews the model cannot read (another language, no words it knows): no verdict. */
  readonly unreadable: number;
  /** Found but not scored yet. */
  readonly pending: number;
  /** Reviews that could not be scored (the model or the API failed). */
  readonly failed: number;
  /** A note to show, such as the API fallback. */
  readonly note: string | undefined;
  /** Milliseconds from the content script starting to the last found review being marked. */
  readonly markedAfterMs: number | undefined;
  /**
   * The site's adapter found no review, yet the page shows review-like blocks (review JSON-LD, or
   * a hook naming a review): a layout the selectors do not know, not a page without reviews.
   */
  readonly layoutUnrecognised: boolean;
}

/** A page with nothing found yet: the content script's answer before marking, the popup's when none answers. */
export function emptySummary(
  site: { readonly id: string; readonly name: string } | undefined,
  enabled: boolean,
): PageSummary {
  return {
    siteId: site?.id,
    siteName: site?.name,
    enabled,
    found: 0,
    positive: 0,
    negative: 0,
    mixed: 0,
    unreadable: 0,
    pending: 0,
    failed: 0,
    note: undefined,
    markedAfterMs: undefined,
    layoutUnrecognised: false,
  };
}

// ---- To the background ------------------------------------------------------------------------

export type BackgroundRequest =
  | { readonly type: 'classify'; readonly texts: readonly string[] }
  /** The text's verdict and what decided it: one result carrying its `explanation` (spans of `text`). */
  | { readonly type: 'explain'; readonly text: string }
  | { readonly type: 'status' }
  | { readonly type: 'warm-up' }
  | { readonly type: 'analyse-page'; readonly tabId: number };

export interface BackgroundReplies {
  readonly classify: Classification;
  readonly explain: Classification;
  readonly status: Status;
  /** Whether the on-device model is loaded (API mode loads nothing). */
  readonly 'warm-up': { readonly warmed: boolean };
  readonly 'analyse-page': PageSummary;
}

// ---- To a content script ----------------------------------------------------------------------

export type ContentRequest =
  | { readonly type: 'ping' }
  | { readonly type: 'page-summary' }
  | { readonly type: 'mark-page' }
  | { readonly type: 'read-selection' }
  | { readonly type: 'show-selection'; readonly answer: SelectionAnswer };

export interface ContentReplies {
  readonly ping: { readonly ready: true };
  readonly 'page-summary': PageSummary;
  readonly 'mark-page': PageSummary;
  readonly 'read-selection': { readonly text: string };
  readonly 'show-selection': { readonly shown: boolean };
}

/** The most texts one classify message may carry, and the longest text (longer ones are cut). */
export const MAX_TEXTS_PER_MESSAGE = 64;
export const MAX_TEXT_CHARS = 100_000;
/** The longest text an explain message may carry: the API's limit on one review (and the adapters' cap). */
export const MAX_EXPLAIN_CHARS = 20_000;
