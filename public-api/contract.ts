/**
 * The contracts of the serving chain (DESIGN.md, "Endpoint server" and "Public API"): payload
 * types, error codes with their HTTP statuses, and the default limits. Browser-safe and free of
 * Node APIs: the website and the extension import these types too.
 */

/**
 * "mixed" when the calibrated score lies in the model's mixed band around 0.5 (its card's
 * `mixed_band`), where the model is right less than about 70% of the time on validation data
 * (model/train/mixed_band.py): the review leans neither way, and no side is claimed.
 *
 * "unreadable" when too little of the text is in the model's vocabulary for its score to mean
 * anything: `readable` below the card's `readable.unreadable_below` (0.64 for rnn-v3, chosen by
 * model/inference/readable-threshold.ts). Text in another language, gibberish and emoji-only text
 * get it; 0 of the 25,000 IMDB test reviews do. It wins over "mixed" and the sides, and no side
 * or confidence is claimed.
 */
export type SentimentLabel = 'positive' | 'negative' | 'mixed' | 'unreadable';

export interface SentimentResult {
  readonly label: SentimentLabel;
  /** P(positive), 0 to 1; always there, even for "unreadable", where it means little. */
  readonly score: number;
  /**
   * How much of the text the model can read, 0 to 1: the share of its words (tokens with a letter
   * or a digit: not punctuation, emoji or emoticons) that are in the model's vocabulary
   * (model/inference/readable.ts). A text with no words reads 0. Every result has it.
   */
  readonly readable: number;
  /** Only when the request asked `"explain": true`: what decided the verdict (ExplanationSpan). */
  readonly explanation?: readonly ExplanationSpan[];
}

/**
 * A span of the submitted text and its push on the verdict: the review's sentences, or a short
 * text's words. `start`/`end` are UTF-16 code unit offsets into the text exactly as it was sent
 * (`text.slice(start, end)`, as JavaScript strings index it, HTML tags and character references
 * counted as sent); spans are sorted by `start` and never overlap. `weight` is log-odds of
 * "positive" in nats: > 0 pushes toward positive, < 0 toward negative (model/inference/explain.ts).
 */
export interface ExplanationSpan {
  readonly start: number;
  readonly end: number;
  readonly weight: number;
}

// ---- Public API: POST /sentiment ------------------------------------------------------------

/**
 * JSON body of POST /sentiment; a text/plain body (or one with no content type) is one review.
 * `"explain": true` adds an `explanation` to each result, for at most `maxExplainedReviews`
 * reviews per request; without it (or with false) the answer is exactly what it would be without.
 */
export type SentimentRequest = ({ readonly text: string } | { readonly texts: readonly string[] }) & {
  readonly explain?: boolean;
};

export interface SentimentResponse {
  readonly results: readonly SentimentResult[];
  /** The model's version, from its card. */
  readonly model: string;
}

// ---- Endpoint server: POST /invocations and POST /endpoints/{name}/invocations ---------------

/** JSON body of an invocation; a text/plain body is one review (the seed's format). */
export interface InvocationRequest {
  readonly instances: readonly string[];
  /** As in SentimentRequest: an `explanation` for each prediction. */
  readonly explain?: boolean;
}

export interface InvocationResponse {
  readonly predictions: readonly SentimentResult[];
  readonly model: string;
}

// ---- Errors ---------------------------------------------------------------------------------

/** Every error answer of the endpoint server, the handler and the gateway. */
export interface ErrorResponse {
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

/** Each error code with the one HTTP status it is sent with. */
export const ERROR_STATUS = {
  INVALID_JSON: 400, // the body is not JSON although the content type says so
  INVALID_ENCODING: 400, // the body is not valid UTF-8
  INVALID_REQUEST: 400, // JSON of the wrong shape: neither {"text"} nor {"texts"} (or {"instances"}); "explain" not a boolean
  REVIEW_NOT_TEXT: 400, // a review that is not a string
  EMPTY_REVIEW: 400, // a review that is empty or only white space
  NO_REVIEWS: 400, // an empty list of reviews
  MALFORMED_REQUEST: 400, // not HTTP/1.1 that can be parsed (local servers; API Gateway answers it in AWS)
  NOT_FOUND: 404, // no such path
  METHOD_NOT_ALLOWED: 405, // a known path with another method
  REQUEST_TIMEOUT: 408, // headers not in within 10 s, or the whole request within 30 s (local servers)
  BODY_TOO_LARGE: 413, // the body is over the byte limit
  REVIEW_TOO_LONG: 413, // a review is over the character limit
  TOO_MANY_REVIEWS: 413, // more reviews than one request may carry
  TOO_MANY_TO_EXPLAIN: 413, // "explain": true with more reviews than maxExplainedReviews
  UNSUPPORTED_MEDIA_TYPE: 415, // a content type other than JSON or plain text
  EXPECTATION_FAILED: 417, // an Expect header other than 100-continue (local servers)
  THROTTLED: 429, // too many requests from this client (with Retry-After)
  HEADERS_TOO_LARGE: 431, // request line and headers over 16 KiB (local servers)
  INTERNAL_ERROR: 500, // a bug; the message never carries a stack trace
  ENDPOINT_ERROR: 502, // the model endpoint failed or answered something unreadable
  MODEL_NOT_READY: 503, // the endpoint server is up but its model is not loaded
  ENDPOINT_UNAVAILABLE: 503, // the model endpoint cannot be reached
  ENDPOINT_TIMEOUT: 504, // the model endpoint did not answer in time
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

// ---- Limits ---------------------------------------------------------------------------------

export interface Limits {
  /** Largest request body, in bytes. */
  readonly maxBodyBytes: number;
  /** Longest review, in characters (UTF-16 code units, as JavaScript counts them). */
  readonly maxReviewChars: number;
  /** Most reviews in one request. */
  readonly maxReviews: number;
  /**
   * Most reviews in one request with `"explain": true`: an explanation costs about two
   * classifications of a long review and up to 21 short ones for a short text.
   */
  readonly maxExplainedReviews: number;
}

/** The longest IMDB review has about 13,700 characters. */
export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 1024 * 1024,
  maxReviewChars: 20_000,
  maxReviews: 64,
  maxExplainedReviews: 16,
};
