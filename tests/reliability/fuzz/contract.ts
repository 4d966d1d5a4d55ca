/**
 * What the contract (DESIGN.md, "Public API" and "Endpoint server"; backend/api/README.md and
 * backend/endpoint/README.md) says a request must get: the fuzzer's oracle, written from the
 * documents rather than from the code. It holds no copy of the servers' request checks: each case
 * names the outcomes its generator built it to get (./cases.ts), and `judge` checks an answer
 * against those and against the contract table (ERROR_STATUS: each code with its own status).
 *
 * "explain" (public-api/contract.ts): true or false if present, else 400 INVALID_REQUEST; with
 * true, more reviews than maxExplainedReviews is 413 TOO_MANY_TO_EXPLAIN, checked after
 * TOO_MANY_REVIEWS and before the reviews themselves; a text/plain body is never explained. A 200
 * to a request that asked carries, in each result, spans of its own review as sent: whole UTF-16
 * offsets inside it, sorted, not overlapping, not empty, each with a finite weight; a 200 to one
 * that did not ask carries no `explanation` at all.
 */
import { ERROR_STATUS, type ErrorCode, type Limits } from '../../../public-api/contract.ts';
import { isSentimentLabel, isUnitNumber } from '../../../public-api/client.ts';
import { header, type RawOutcome, type RawResponse } from './raw-http.ts';

export type ServerKind = 'gateway' | 'endpoint';

/**
 * What a request may get: `OK` (200 with one result per review), `PREFLIGHT` (204, the gateway's
 * OPTIONS), `PING` (200 from the endpoint's /ping), a contract error code (its status and the
 * JSON error body; requests Node cannot parse get one too, from `backend/protocol-errors.ts`), or
 * `closed`: a connection that ends before a request began (random bytes, a request cut short)
 * may be closed without an answer.
 */
export type Outcome = 'OK' | 'PREFLIGHT' | 'PING' | ErrorCode | 'closed';

// ---- Routing ------------------------------------------------------------------------------------

const INVOCATION_PATH = /^\/(?:endpoints\/[^/]+\/)?invocations$/;

/** Where a request goes by its method and target: on to its body (`body`), or its answer. */
export function routeOutcome(server: ServerKind, method: string, target: string): Outcome | 'body' {
  if (server === 'gateway') {
    // API Gateway's routing: the path before the query, exactly /sentiment (a trailing / too).
    const path = target.split('?', 1)[0] ?? '';
    if (path !== '/sentiment' && path !== '/sentiment/') return 'NOT_FOUND';
    if (method === 'POST') return 'body';
    return method === 'OPTIONS' ? 'PREFLIGHT' : 'METHOD_NOT_ALLOWED';
  }
  // The endpoint server reads the path as a URL does (dot segments resolved, query dropped).
  let path: string;
  try {
    path = new URL(target, 'http://localhost').pathname;
  } catch {
    path = target;
  }
  if (path === '/ping') return method === 'GET' || method === 'HEAD' ? 'PING' : 'METHOD_NOT_ALLOWED';
  if (INVOCATION_PATH.test(path)) return method === 'POST' ? 'body' : 'METHOD_NOT_ALLOWED';
  return 'NOT_FOUND';
}

// ---- Bodies -----------------------------------------------------------------------------------

/**
 * How the documents say a content type is read: JSON, one plain-text review, or refused (415).
 * The fuzzer's fixed content types carry one of these by hand; random ones carry none.
 */
export type BodyKind = 'json' | 'text' | 'unsupported';

/**
 * The codes a routed POST's body may get: those of the contract table sent with 400, 413 or 415,
 * less MALFORMED_REQUEST (HTTP that cannot be parsed never reaches a body). With OK, what a body
 * whose content the generator does not control (random bytes, random JSON) may get.
 */
export const BODY_CODES: readonly ErrorCode[] = (Object.keys(ERROR_STATUS) as ErrorCode[]).filter(
  (code) => [400, 413, 415].includes(ERROR_STATUS[code]) && code !== 'MALFORMED_REQUEST',
);
export const ANY_BODY_OUTCOME: readonly Outcome[] = ['OK', ...BODY_CODES];

/**
 * The outcomes a routed POST may get, from its content type, its size and `made`: what its
 * generator built the body to get under an accepted type (undefined: only the general rules).
 * Only the documented order where rules meet is decided here: the gateway refuses a body over the
 * byte limit itself, before the handler looks at the content type; the endpoint server refuses a
 * content type first; then the byte limit, before anything in the body is read.
 */
export function postOutcome(
  server: ServerKind,
  kind: BodyKind,
  bytes: number,
  limits: Limits,
  made: readonly Outcome[] | undefined,
): readonly Outcome[] | undefined {
  const overLimit = bytes > limits.maxBodyBytes;
  if (server === 'gateway' && overLimit) return ['BODY_TOO_LARGE'];
  if (kind === 'unsupported') return ['UNSUPPORTED_MEDIA_TYPE'];
  if (overLimit) return ['BODY_TOO_LARGE'];
  return made;
}

// ---- Judging an answer ------------------------------------------------------------------------

/** What the fuzzer knows of a request when it judges the answer. */
export interface Judged {
  readonly server: ServerKind;
  readonly method: string;
  /** The outcomes the contract allows; undefined: only the general rules apply. */
  readonly expect: readonly Outcome[] | undefined;
  /** For an expected OK: how many results. */
  readonly reviews: number | undefined;
  /**
   * For an expected OK: the reviews as sent when the request asked `"explain": true` (each result
   * must explain its own), or false when it surely did not (no result may carry an explanation);
   * absent where the generator does not know.
   */
  readonly explained?: readonly string[] | false;
}

export interface Verdict {
  /** The outcome seen (an Outcome), or `timeout`, `malformed`, or `status-NNN` for one outside the contract. */
  readonly label: string;
  readonly violations: readonly string[];
}

/**
 * The general rules, whatever was sent: a well-formed HTTP answer in bounded time (or the
 * documented `closed`); a status of the contract; every error, Node's included, as
 * `{"error": {"code", "message"}}` with the code's own status and no stack trace; 200s in the
 * contract's shape; no 5xx (a healthy endpoint is behind: any failure is the request's). Then,
 * where the oracle knows it, the outcome the contract names.
 */
export function judge(request: Judged, outcome: RawOutcome): Verdict {
  if (outcome.kind === 'timeout') {
    return { label: 'timeout', violations: [`no answer within ${Math.round(outcome.ms)} ms`] };
  }
  if (outcome.kind === 'malformed') return { label: 'malformed', violations: [`not HTTP: ${outcome.reason}`] };
  if (outcome.kind === 'closed') {
    const allowed = request.expect?.includes('closed') === true;
    return {
      label: 'closed',
      violations: allowed ? [] : [`connection ${outcome.reset ? 'reset' : 'closed'} without an answer`],
    };
  }
  const violations: string[] = [];
  const label = labelOf(request, outcome.response, violations);
  if (outcome.response.status >= 500) violations.push(`${outcome.response.status} for a request a client sent`);
  if (request.expect !== undefined && !(request.expect as readonly string[]).includes(label)) {
    violations.push(`got ${label}; the contract says ${request.expect.join(' or ')}`);
  }
  return { label, violations };
}

const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+/;

function labelOf(request: Judged, response: RawResponse, violations: string[]): string {
  const { status, body } = response;
  const isHead = request.method === 'HEAD';
  const json = /^application\/json\b/i.test(header(response, 'content-type') ?? '');
  if (status === 204) {
    if (body.length > 0) violations.push('a 204 with a body');
    if (request.server === 'gateway') checkCors(response, violations);
    return 'PREFLIGHT';
  }
  if (status === 200) {
    if (!json) violations.push('a 200 that is not JSON');
    if (isHead) return 'PING';
    const value = parseJson(body, violations);
    if (value === undefined) return 'status-200';
    return successLabel(request, value, violations);
  }
  if (status >= 400 && status < 600 && json) {
    if (isHead && body.length === 0) {
      const codes = codesOf(status);
      return codes.length === 1 ? (codes[0] ?? '') : `status-${status}`;
    }
    const code = errorCode(status, parseJson(body, violations), violations);
    if (request.server === 'gateway') checkCors(response, violations);
    if (code === 'METHOD_NOT_ALLOWED' && header(response, 'allow') === undefined) violations.push('405 without Allow');
    if (code === 'THROTTLED' && header(response, 'retry-after') === undefined)
      violations.push('429 without Retry-After');
    return code ?? `status-${status}`;
  }
  violations.push(`status ${status} is not in the contract`);
  return `status-${status}`;
}

function parseJson(body: Buffer, violations: string[]): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    violations.push(
      `a JSON content type, but the body is not JSON: ${JSON.stringify(body.subarray(0, 80).toString())}`,
    );
    return undefined;
  }
}

function codesOf(status: number): ErrorCode[] {
  return (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);
}

function errorCode(status: number, value: unknown, violations: string[]): ErrorCode | undefined {
  const shape = value as { error?: { code?: unknown; message?: unknown } } | null | undefined;
  const error = shape?.error;
  if (
    typeof value !== 'object' ||
    value === null ||
    Object.keys(value).join() !== 'error' ||
    typeof error !== 'object' ||
    Object.keys(error).sort().join() !== 'code,message'
  ) {
    violations.push(`a ${status} whose body is not {"error": {"code", "message"}}`);
    return undefined;
  }
  const { code, message } = error as { code: unknown; message: unknown };
  if (typeof code !== 'string' || !Object.hasOwn(ERROR_STATUS, code)) {
    violations.push(`unknown error code ${JSON.stringify(code)}`);
    return undefined;
  }
  if (ERROR_STATUS[code as ErrorCode] !== status) violations.push(`${code} sent with ${status}`);
  if (typeof message !== 'string' || message.length < 10) violations.push(`${code} without a sentence`);
  else if (STACK_TRACE.test(message)) violations.push(`${code}'s message shows internals`);
  return code as ErrorCode;
}

function successLabel(request: Judged, value: unknown, violations: string[]): string {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof record.model !== 'string' || record.model === '') violations.push('a 200 without the model version');
  if (request.server === 'endpoint' && record.status === 'ok') return 'PING';
  const list = request.server === 'gateway' ? record.results : record.predictions;
  if (!Array.isArray(list)) {
    violations.push(`a 200 without ${request.server === 'gateway' ? '"results"' : '"predictions"'}`);
    return 'status-200';
  }
  if (request.reviews !== undefined && list.length !== request.reviews) {
    violations.push(`${list.length} results for ${request.reviews} reviews`);
  }
  for (const item of list as unknown[]) {
    const { label, score, readable } = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    if (!isSentimentLabel(label) || !isUnitNumber(score) || !isUnitNumber(readable)) {
      violations.push(`a result that is not {label, score, readable}: ${JSON.stringify(item)}`);
      break;
    }
  }
  checkExplanations(request, list as unknown[], violations);
  return 'OK';
}

/** Each result's explanation as the contract has it, where the oracle knows whether one was asked for. */
function checkExplanations(request: Judged, results: readonly unknown[], violations: string[]): void {
  const { explained } = request;
  if (explained === undefined) return;
  for (const [i, item] of results.entries()) {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (explained === false) {
      if ('explanation' in record) violations.push(`result ${i + 1} has an explanation nobody asked for`);
      continue;
    }
    const problem = spanProblem(record.explanation, explained[i] ?? '');
    if (problem !== undefined) {
      const sent = JSON.stringify(record.explanation ?? null).slice(0, 120);
      violations.push(`result ${i + 1}'s explanation: ${problem}: ${sent}`);
    }
  }
}

/** Why `value` is not an explanation of `text` (the contract's ExplanationSpan list), or undefined. */
function spanProblem(value: unknown, text: string): string | undefined {
  if (!Array.isArray(value)) return 'not a list';
  let previousEnd = 0;
  for (const span of value as unknown[]) {
    const { start, end, weight } = (typeof span === 'object' && span !== null ? span : {}) as Record<string, unknown>;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return 'an offset that is not a whole number';
    if (typeof weight !== 'number' || !Number.isFinite(weight)) return 'a weight that is not a finite number';
    if ((start as number) < previousEnd) return 'spans out of order or overlapping';
    if ((end as number) <= (start as number)) return 'an empty span';
    if ((end as number) > text.length) return `a span past the end of the review (${text.length} code units)`;
    previousEnd = end as number;
  }
  return undefined;
}

function checkCors(response: RawResponse, violations: string[]): void {
  if (header(response, 'access-control-allow-origin') === undefined) {
    violations.push(`a ${response.status} without CORS headers`);
  }
}
