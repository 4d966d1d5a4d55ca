/**
 * The typed client for the public API (DESIGN.md, "Public API"), shared by the website and the
 * extension: POST {apiUrl}/sentiment with {"text"} (analyse) or {"texts"} (analyseMany), and an
 * optional API key in X-Api-Key. The answer is `unknown` until checked, and every way a call can
 * fail becomes an ApiFailure whose message is a sentence a person can act on, so no caller shows a
 * raw exception or an unchecked server string as markup. Browser-safe: fetch only.
 */
import {
  DEFAULT_LIMITS,
  type ExplanationSpan,
  type SentimentRequest,
  type SentimentResponse,
  type SentimentResult,
} from './contract.ts';

/** What went wrong, in the terms the page shows: one kind per message and recovery. */
export type FailureKind =
  | 'unreachable' // nothing answered at the URL (API down, wrong URL, offline, CORS refused)
  | 'timeout' // no full answer within timeoutMs
  | 'aborted' // the caller cancelled
  | 'too-long' // 413: the review (or body) is over a limit
  | 'empty' // 400 EMPTY_REVIEW
  | 'invalid' // any other 400, 404, 405 or 415: the request or the URL is wrong
  | 'throttled' // 429, with Retry-After when the server sends one
  | 'server' // 500, 502, 503, 504: the API or the model endpoint behind it failed
  | 'bad-answer'; // an answer that is not JSON, or not the contract's shape

export class ApiFailure extends Error {
  override readonly name: string = 'ApiFailure';
  /** HTTP status, when the API answered at all. */
  readonly status: number | undefined;
  /** The contract's error code, when the answer carried one. */
  readonly code: string | undefined;
  /** Seconds to wait before trying again (429 with Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: FailureKind,
    message: string,
    details: { status?: number; code?: string; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export interface AnalyseOptions {
  readonly signal?: AbortSignal;
  /** Gives up after this long, including reading the body. */
  readonly timeoutMs?: number;
  /** Sent as X-Api-Key (API Gateway's usage-plan key) to this API only; never logged. */
  readonly apiKey?: string;
  /** Ask for each result's `explanation` (at most the API's maxExplainedReviews reviews, 16 by default). */
  readonly explain?: boolean;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Server sentences longer than this are cut: an error box is no place for a page of text. */
const MAX_MESSAGE_CHARS = 300;

/** Sends one review; resolves with the checked answer or rejects with an ApiFailure. */
export async function analyse(apiUrl: string, text: string, options: AnalyseOptions = {}): Promise<SentimentResponse> {
  return post(apiUrl, { text }, [text], options);
}

/**
 * Sends several reviews in one request (at most the API's limit, 64 by default: callers split
 * longer lists); resolves with one result per review, in order, or rejects with an ApiFailure.
 */
export async function analyseMany(
  apiUrl: string,
  texts: readonly string[],
  options: AnalyseOptions = {},
): Promise<SentimentResponse> {
  return post(apiUrl, { texts }, texts, options);
}

async function post(
  apiUrl: string,
  reviews: { readonly text: string } | { readonly texts: readonly string[] },
  sent: readonly string[],
  options: AnalyseOptions,
): Promise<SentimentResponse> {
  const explain = options.explain === true;
  // Without explain the body is exactly what it always was.
  const payload: SentimentRequest = explain ? { ...reviews, explain } : reviews;
  const endpoint = `${apiUrl.replace(/\/+$/, '')}/sentiment`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One controller for both reasons to stop, so we can tell a timeout from the caller's abort.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = (): void => {
    controller.abort();
  };
  if (options.signal?.aborted === true) controller.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const stopped = (cause: unknown): ApiFailure =>
    timedOut
      ? new ApiFailure(
          'timeout',
          `The ReelSense API at ${apiUrl} did not answer within ${formatSeconds(timeoutMs)}. Try again in a moment.`,
          { cause },
        )
      : new ApiFailure('aborted', 'The request was cancelled.', { cause });

  try {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(options.apiKey !== undefined && options.apiKey !== '' && { 'x-api-key': options.apiKey }),
        },
        body: JSON.stringify(payload),
        // fetch would resend X-Api-Key and the reviews to wherever a redirect points.
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) throw stopped(error);
      // fetch says no more than "Failed to fetch": refused, DNS, offline and CORS all look alike.
      throw new ApiFailure(
        'unreachable',
        `Can't reach the ReelSense API at ${apiUrl}. Check that it is running (npm start brings up the local one) and that the API URL in the settings is right.`,
        { cause: error },
      );
    }

    // Browsers show a manual redirect as an opaque answer with status 0; Node gives the 3xx itself.
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw new ApiFailure(
        'invalid',
        `The API at ${apiUrl} answered with a redirect. ReelSense does not follow redirects, so that reviews and the API key go to the configured URL only: put the address it redirects to in the settings.`,
        response.status === 0 ? {} : { status: response.status },
      );
    }

    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      if (controller.signal.aborted) throw stopped(error);
      throw new ApiFailure('unreachable', `The connection to the ReelSense API at ${apiUrl} broke off mid-answer.`, {
        status: response.status,
        cause: error,
      });
    }

    const json = parseJson(body);
    if (!response.ok) throw failureFor(response, json, apiUrl);
    if (json === undefined) {
      throw new ApiFailure('bad-answer', `The API at ${apiUrl} answered something that is not JSON; is it ReelSense?`, {
        status: response.status,
      });
    }
    if (!isSentimentResponseFor(json, sent, explain)) {
      throw new ApiFailure('bad-answer', `The API at ${apiUrl} answered JSON that is not a ReelSense result.`, {
        status: response.status,
      });
    }
    return json;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSentimentResult(value: unknown): value is SentimentResult {
  return isObject(value) && isSentimentLabel(value.label) && isUnitNumber(value.score) && isUnitNumber(value.readable);
}

/** One of the labels this client knows (contract.ts SentimentLabel). */
export function isSentimentLabel(value: unknown): value is SentimentResult['label'] {
  return value === 'positive' || value === 'negative' || value === 'mixed' || value === 'unreadable';
}

/** A finite number from 0 to 1: a score or a readable share. */
export function isUnitNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

/**
 * Spans that a page can highlight in `text`: whole numbers inside it, sorted and not overlapping,
 * each with a finite weight. Anything else is a bad answer, not a highlight in the wrong place.
 */
export function isExplanationOf(value: unknown, text: string): value is readonly ExplanationSpan[] {
  if (!Array.isArray(value)) return false;
  let previousEnd = 0;
  for (const span of value as unknown[]) {
    if (!isObject(span)) return false;
    const { start, end, weight } = span;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return false;
    if (typeof weight !== 'number' || !Number.isFinite(weight)) return false;
    const [from, to] = [start as number, end as number];
    if (from < previousEnd || to <= from || to > text.length) return false;
    previousEnd = to;
  }
  return true;
}

/**
 * One result per review sent, in order; with `explain`, each carries an explanation of its own
 * review's text.
 */
export function isSentimentResponseFor(
  value: unknown,
  sent: readonly string[],
  explain = false,
): value is SentimentResponse {
  return (
    isObject(value) &&
    typeof value.model === 'string' &&
    Array.isArray(value.results) &&
    value.results.length === sent.length &&
    value.results.every(
      (result: unknown, i) =>
        isSentimentResult(result) && (!explain || isExplanationOf(result.explanation, sent[i] ?? '')),
    )
  );
}

/** The contract's error body, {"error": {"code", "message"}}, if that is what came. */
function errorBody(json: unknown): { code: string; message: string } | undefined {
  if (!isObject(json) || !isObject(json.error)) return undefined;
  const { code, message } = json.error;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  const trimmed = message.trim();
  return {
    code,
    message: trimmed.length > MAX_MESSAGE_CHARS ? `${trimmed.slice(0, MAX_MESSAGE_CHARS - 1)}…` : trimmed,
  };
}

function failureFor(response: Response, json: unknown, apiUrl: string): ApiFailure {
  const { status } = response;
  const served = errorBody(json);
  const details = served === undefined ? { status } : { status, code: served.code };
  // The server's sentence when it sent one; ours otherwise (a proxy's HTML page, say).
  const say = (fallback: string): string => (served !== undefined && served.message !== '' ? served.message : fallback);
  const limit = DEFAULT_LIMITS.maxReviewChars.toLocaleString('en-US');

  if (status === 413) {
    return new ApiFailure(
      'too-long',
      say(`The review is too long: the API takes at most ${limit} characters.`),
      details,
    );
  }
  if (status === 400 && served?.code === 'EMPTY_REVIEW') {
    return new ApiFailure('empty', say('The review is empty: write or paste some text first.'), details);
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
    const wait =
      retryAfterSeconds === undefined ? 'Wait a moment' : `Try again in ${formatSeconds(retryAfterSeconds * 1000)}`;
    const message = `${say('Too many requests right now.')} ${wait}.`;
    return new ApiFailure(
      'throttled',
      message,
      retryAfterSeconds === undefined ? details : { ...details, retryAfterSeconds },
    );
  }
  if (status === 404 || status === 405) {
    return new ApiFailure(
      'invalid',
      `The server at ${apiUrl} has no ReelSense API (HTTP ${status} for POST /sentiment). Check the API URL in the settings.`,
      details,
    );
  }
  if (status >= 400 && status < 500) {
    return new ApiFailure('invalid', say(`The API refused the request (HTTP ${status}).`), details);
  }
  const fallbacks: Record<number, string> = {
    502: 'The sentiment model failed to answer. Try again in a moment.',
    503: 'The sentiment model is not available right now. Try again in a moment.',
    504: 'The sentiment model took too long to answer. Try again in a moment.',
  };
  return new ApiFailure(
    'server',
    say(fallbacks[status] ?? `The ReelSense API had a problem (HTTP ${status}). Try again in a moment.`),
    details,
  );
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110, section 10.2.3). */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  // An HTTP date names its day and month; without letters Date.parse guesses ("-3" is a year).
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function formatSeconds(ms: number): string {
  // Whole seconds, but keep one decimal under ten so a short timeout does not read as "0 seconds".
  const seconds = ms >= 10_000 ? Math.round(ms / 1000) : Math.max(0.1, Math.round(ms / 100) / 10);
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}
