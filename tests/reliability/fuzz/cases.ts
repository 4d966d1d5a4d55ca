/**
 * The fuzzer's requests: fast-check generators of raw HTTP/1.1 requests, each with the outcomes
 * the contract allows (./contract.ts). One generator per kind of abuse: bodies of random bytes,
 * invalid UTF-8, empty and over-limit bodies, JSON of every shape, deeply nested and enormous,
 * wrong, missing and repeated content types, every method, odd paths, header floods, broken
 * framing, garbage; and `"explain"` (a generator of its own, and mixed into the valid requests and
 * the limits). Shared by tests/reliability (few runs, small limits) and tests/reliability/fuzz/run.ts
 * (10,000+ runs against the servers as processes, the default limits).
 *
 * Each case carries the outcomes the contract allows for what its generator built (a body one
 * review over the limit, bytes that no UTF-8 text holds, a blank review among good ones), never
 * an outcome worked out by re-running the servers' checks on the bytes; bodies the generator does
 * not control (random bytes, random JSON) may get any body outcome of the contract table.
 */
import { Buffer } from 'node:buffer';
import { METHODS } from 'node:http';
import fc from 'fast-check';
import type { Limits } from '../../../public-api/contract.ts';
import {
  ANY_BODY_OUTCOME,
  postOutcome,
  routeOutcome,
  type BodyKind,
  type Outcome,
  type ServerKind,
} from './contract.ts';
import { exchange, type RawOutcome } from './raw-http.ts';

export interface FuzzCase {
  readonly server: ServerKind;
  /** The generator it came from, for the report. */
  readonly kind: string;
  /** One line saying what was sent (no more than about 120 characters). */
  readonly summary: string;
  readonly method: string;
  readonly bytes: Uint8Array;
  /** Half-close after sending: the request is cut short on purpose. */
  readonly endAfterWrite: boolean;
  /** The outcomes the contract allows; undefined where only the general rules apply. */
  readonly expect: readonly Outcome[] | undefined;
  /** For an expected OK: how many results. */
  readonly reviews: number | undefined;
  /** For an expected OK: the reviews as sent with `"explain": true`, or false if surely not asked (contract.ts). */
  readonly explained?: readonly string[] | false;
}

// ---- Building requests ------------------------------------------------------------------------

interface Draft {
  readonly method: string;
  readonly target: string;
  readonly version?: string;
  /** Header lines after Host; Content-Length and Transfer-Encoding come from `framing`. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Uint8Array;
  /** Default true. */
  readonly host?: boolean;
  /** `length` (default): Content-Length; `chunked`: in chunks of these sizes; `none`: neither. */
  readonly framing?: 'length' | 'none' | { readonly chunks: readonly number[] };
  readonly lineEnd?: string;
}

/** The request's bytes; header text as Latin-1, byte for byte. */
function build(draft: Draft): Uint8Array {
  const body = draft.body ?? new Uint8Array();
  const eol = draft.lineEnd ?? '\r\n';
  const lines = [`${draft.method} ${draft.target} ${draft.version ?? 'HTTP/1.1'}`];
  if (draft.host !== false) lines.push('Host: 127.0.0.1');
  for (const [name, value] of draft.headers ?? []) lines.push(`${name}: ${value}`);
  const framing = draft.framing ?? 'length';
  if (framing === 'length') lines.push(`Content-Length: ${body.length}`);
  else if (framing !== 'none') lines.push('Transfer-Encoding: chunked');
  const head = Buffer.from(lines.join(eol) + eol + eol, 'latin1');
  if (framing === 'length' || framing === 'none') return Buffer.concat([head, body]);
  const parts: Buffer[] = [head];
  let at = 0;
  for (const size of [...framing.chunks, body.length]) {
    const chunk = body.subarray(at, Math.min(body.length, at + Math.max(1, size)));
    if (chunk.length === 0) break;
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), Buffer.from(chunk), Buffer.from('\r\n'));
    at += chunk.length;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

function clip(text: string, max = 60): string {
  const flat = JSON.stringify(text);
  return flat.length > max ? `${flat.slice(0, max)}…(${text.length})` : flat;
}

/** Where valid requests go. */
function canonicalTarget(server: ServerKind): string {
  return server === 'gateway' ? '/sentiment' : '/invocations';
}

interface ContentType {
  /** The header's value; undefined: no Content-Type header. */
  readonly value: string | undefined;
  /** How the servers must read it; undefined where the oracle does not say. */
  readonly kind: BodyKind | undefined;
}

/** A POST whose outcome is its body's (or, on an odd target, its route's). */
function post(
  server: ServerKind,
  kind: string,
  contentType: ContentType,
  body: Uint8Array,
  limits: Limits,
  options: {
    target?: string;
    headers?: readonly (readonly [string, string])[];
    framing?: Draft['framing'];
    note?: string;
    /** What the body was built to get under an accepted content type; undefined: only the general rules. */
    made?: Outcome | readonly Outcome[];
    /** For an OK: how many reviews the body holds. */
    reviews?: number;
    /** For an OK: the reviews sent with `"explain": true`, or false when the body does not ask. */
    explained?: readonly string[] | false;
  } = {},
): FuzzCase {
  const target = options.target ?? canonicalTarget(server);
  const headers: (readonly [string, string])[] = [...(options.headers ?? [])];
  if (contentType.value !== undefined) headers.push(['Content-Type', contentType.value]);
  const route = routeOutcome(server, 'POST', target);
  const made = typeof options.made === 'string' ? [options.made] : options.made;
  const expect =
    route !== 'body'
      ? [route]
      : contentType.kind === undefined
        ? undefined
        : postOutcome(server, contentType.kind, body.length, limits, made);
  return {
    server,
    kind,
    summary: `POST ${clip(target, 40)} ${contentType.value === undefined ? '(no type)' : clip(contentType.value, 40)} ${body.length} B${options.note === undefined ? '' : ` ${options.note}`}`,
    method: 'POST',
    bytes: build({
      method: 'POST',
      target,
      headers,
      body,
      ...(options.framing === undefined ? {} : { framing: options.framing }),
    }),
    endAfterWrite: false,
    expect,
    reviews: expect?.includes('OK') === true ? options.reviews : undefined,
    ...(options.explained !== undefined && expect?.includes('OK') === true ? { explained: options.explained } : {}),
  };
}

/** The envelope of each server around `reviews`, with `"explain": explain` unless it is undefined. */
function requestBody(server: ServerKind, reviews: readonly unknown[], single: boolean, explain?: unknown): string {
  const asked = explain === undefined ? {} : { explain };
  if (server === 'endpoint') return JSON.stringify({ instances: reviews, ...asked });
  return JSON.stringify(single ? { text: reviews[0], ...asked } : { texts: reviews, ...asked });
}

/** The reviews `requestBody` puts in a body: the gateway's {"text"} holds the first only. */
function reviewsSent(server: ServerKind, reviews: readonly string[], single: boolean): readonly string[] {
  return server === 'gateway' && single ? reviews.slice(0, 1) : reviews;
}

/**
 * What a JSON body of `count` reviews that passed its envelope must get, in the documented order
 * (backend/request/validate.ts): none, too many, too many to explain; else what its reviews make it.
 */
function countOutcome(count: number, explain: boolean, limits: Limits, each: Outcome): Outcome {
  if (count === 0) return 'NO_REVIEWS';
  if (count > limits.maxReviews) return 'TOO_MANY_REVIEWS';
  if (explain && count > limits.maxExplainedReviews) return 'TOO_MANY_TO_EXPLAIN';
  return each;
}

// ---- Pieces -----------------------------------------------------------------------------------

const SAMPLE_REVIEWS = [
  'A wonderful, moving film with superb acting. I loved every minute of it. 10/10',
  'Dreadful. A boring, badly acted mess; the worst film I have seen this year. 1/10',
  'The plot was thin<br /><br />but the cast carried it. 6/10',
  '<script>alert(1)</script><img src=x onerror=alert(1)> great film',
  'Ce film est magnifique ! 素晴らしい映画でした。😀👍🏽',
  'مרשים. فيلم رائع',
];

const JSON_TYPE: ContentType = { value: 'application/json', kind: 'json' };
const JSON_TYPES: readonly ContentType[] = [
  JSON_TYPE,
  { value: 'application/json; charset=utf-8', kind: 'json' },
  { value: 'Application/JSON; Charset=UTF-8', kind: 'json' },
  { value: 'application/json;charset="utf-8"', kind: 'json' },
];
const TEXT_TYPES: readonly ContentType[] = [
  { value: undefined, kind: 'text' },
  { value: 'text/plain', kind: 'text' },
  { value: 'text/plain; charset=UTF-8', kind: 'text' },
  { value: 'TEXT/PLAIN;charset=us-ascii', kind: 'text' },
  { value: '', kind: 'text' },
];
const REFUSED_TYPES: readonly ContentType[] = [
  'application/xml',
  'text/html',
  'text/csv',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'application/json-patch+json',
  'application/jsonx',
  '*/*',
  'text/plain; charset=latin1',
  'text/plain; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'image/png',
].map((value) => ({ value, kind: 'unsupported' as const }));
const KNOWN_TYPES = [...JSON_TYPES, ...TEXT_TYPES, ...REFUSED_TYPES];

/** Reviews that are empty or only white space (the contract's EMPTY_REVIEW; U+FEFF counts as white space). */
const BLANK_REVIEWS = ['', ' ', '\n\t ', '\u00a0\u2003', '\ufeff'];
const blankReview = fc.constantFrom(...BLANK_REVIEWS);

/** Reviews of some text, each far below the character limit: odd ones too (NUL, a lone surrogate). */
const goodReview: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }))
      .filter((text) => text.trim() !== ''),
  },
  { weight: 3, arbitrary: fc.constantFrom(...SAMPLE_REVIEWS) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', 'ok\u0000ok', '\ud800x') },
);

/** Any review: mostly good ones, some blank. */
const review: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: goodReview },
  { weight: 1, arbitrary: blankReview },
);

/** Bytes that are not UTF-8, each as the servers meet it in the wild. */
const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xfe, 0xff],
  [0x80], // a continuation byte alone
  [0xc3], // a lead byte without its continuation
  [0xe2, 0x82], // a three-byte sequence cut short
  [0xc0, 0x80], // an overlong NUL
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8 (CESU)
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // a five-byte form
];

/** A header name: RFC 9110 token characters, never one that changes framing or routing. */
const headerName = fc
  .string({
    unit: fc.constantFrom(
      ...Array.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&'*+.^`|~"),
    ),
    minLength: 1,
    maxLength: 24,
  })
  .filter(
    (name) => !/^(content-length|transfer-encoding|host|expect|content-type|connection|upgrade|x-api-key)$/i.test(name),
  );
const headerValue = fc
  .string({
    unit: fc.constantFrom(...Array.from(' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~')),
    maxLength: 40,
  })
  .map((value) => value.trim());

// ---- Generators, one per kind of abuse ----------------------------------------------------------

type Generator = (server: ServerKind, limits: Limits) => fc.Arbitrary<FuzzCase>;

/**
 * Well-formed requests: one review or a list, JSON or plain text; and the same with one review
 * blank. A third of the JSON ones ask `"explain": true`, and a sixth send `"explain": false`.
 */
const valid: Generator = (server, limits) => {
  const most = Math.min(8, limits.maxReviews);
  const good = fc.array(goodReview, { minLength: 1, maxLength: most });
  // One blank review among good ones, anywhere in the list: EMPTY_REVIEW.
  const withBlank = fc
    .tuple(fc.array(goodReview, { maxLength: most - 1 }), blankReview, fc.nat())
    .map(([reviews, blank, at]) => reviews.toSpliced(at % (reviews.length + 1), 0, blank));
  const explain = fc.constantFrom(undefined, undefined, undefined, false, true, true);
  // `single`: the gateway's {"text"}, which holds the first review only; so never for a list with a blank.
  const json = (reviews: fc.Arbitrary<string[]>, singles: boolean, made: Outcome): fc.Arbitrary<FuzzCase> =>
    fc
      .tuple(reviews, singles ? fc.boolean() : fc.constant(false), fc.constantFrom(...JSON_TYPES), explain)
      .map(([list, single, type, asked]) => {
        const sent = reviewsSent(server, list, single);
        return post(server, 'valid', type, utf8(requestBody(server, list, single, asked)), limits, {
          made: countOutcome(sent.length, asked === true, limits, made),
          reviews: sent.length,
          explained: asked === true && sent,
          ...(asked === undefined ? {} : { note: `explain ${asked}` }),
        });
      });
  const text = (one: fc.Arbitrary<string>, made: Outcome): fc.Arbitrary<FuzzCase> =>
    fc
      .tuple(one, fc.constantFrom(...TEXT_TYPES))
      .map(([body, type]) => post(server, 'valid', type, utf8(body), limits, { made, reviews: 1, explained: false }));
  return fc.oneof(
    { weight: 4, arbitrary: json(good, true, 'OK') },
    { weight: 4, arbitrary: text(goodReview, 'OK') },
    { weight: 1, arbitrary: json(withBlank, false, 'EMPTY_REVIEW') },
    { weight: 1, arbitrary: text(blankReview, 'EMPTY_REVIEW') },
  );
};

/** JSON of any shape: right fields with wrong values, wrong fields, arrays, scalars, prototypes. */
const shapes: Generator = (server, limits) => {
  const field = server === 'gateway' ? fc.constantFrom('text', 'texts') : fc.constant('instances');
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(fc.oneof(review, fc.jsonValue({ maxDepth: 2 })), { maxLength: 6 }),
  );
  const random = fc.oneof(
    fc.tuple(field, value).map(([name, v]) => JSON.stringify({ [name]: v })),
    fc
      .tuple(
        field,
        value,
        fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 3 }),
      )
      .map(([name, v, extra]) => JSON.stringify({ ...extra, [name]: v })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  );
  return fc.oneof(
    fc
      .tuple(random, fc.constantFrom(...JSON_TYPES))
      .map(([text, type]) => post(server, 'json-shapes', type, utf8(text), limits, { made: ANY_BODY_OUTCOME })),
    fc.tuple(fc.constantFrom(...FIXED_SHAPES), fc.constantFrom(...JSON_TYPES)).map(([shape, type]) => {
      const made = shape[server === 'gateway' ? 1 : 2];
      return post(server, 'json-shapes', type, utf8(shape[0]), limits, { made, reviews: 1 });
    }),
  );
};

/**
 * JSON bodies with what each server must answer, from its documented envelope: the gateway takes
 * exactly one of {"text"}, {"texts"}; the endpoint server {"instances"}, other fields ignored.
 */
const FIXED_SHAPES: readonly (readonly [body: string, gateway: Outcome, endpoint: Outcome])[] = [
  ['{"text":"a","texts":["b"]}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"__proto__":{"text":"x"}}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"constructor":{"prototype":{"text":"x"}}}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"text":"a","text":"great"}', 'OK', 'INVALID_REQUEST'], // the last of repeated keys
  ['{"instances":["a"],"instances":"b"}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"instances":["a"],"texts":"b"}', 'INVALID_REQUEST', 'OK'],
  ['{"instances":{"length":1,"0":"x"}}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"instances":[]}', 'INVALID_REQUEST', 'NO_REVIEWS'],
  ['{"instances":[1e400]}', 'INVALID_REQUEST', 'REVIEW_NOT_TEXT'],
  ['{"text":1e400}', 'REVIEW_NOT_TEXT', 'INVALID_REQUEST'],
  ['{"texts":[null]}', 'REVIEW_NOT_TEXT', 'INVALID_REQUEST'],
  ['{"texts":"a"}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['\ufeff{"text":"great"}', 'OK', 'INVALID_REQUEST'], // a leading byte-order mark is dropped
  ['\ufeff{"instances":["great"]}', 'INVALID_REQUEST', 'OK'],
  ['{"text":"\\ud800"}', 'OK', 'INVALID_REQUEST'], // an escaped lone surrogate is valid JSON
  ['{"text":"\\u0000"}', 'OK', 'INVALID_REQUEST'],
  [' \n{"text":"great"}\n ', 'OK', 'INVALID_REQUEST'],
  [' \n{"instances":["great"]}\n ', 'INVALID_REQUEST', 'OK'],
  ['{"text":"\\ufeff"}', 'EMPTY_REVIEW', 'INVALID_REQUEST'],
  ['null', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['[]', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['"great"', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"text":"a"', 'INVALID_JSON', 'INVALID_JSON'],
  ["{'text':'a'}", 'INVALID_JSON', 'INVALID_JSON'],
];

/**
 * `"explain"` bodies with what each server must answer, from its documented envelope, and the
 * review whose explanation an OK must carry (undefined: not asked).
 */
const EXPLAIN_SHAPES: readonly (readonly [body: string, gateway: Outcome, endpoint: Outcome, explained?: string])[] = [
  ['{"text":"great","explain":true}', 'OK', 'INVALID_REQUEST', 'great'],
  ['{"instances":["great"],"explain":true}', 'INVALID_REQUEST', 'OK', 'great'],
  ['{"text":"great","explain":false,"explain":true}', 'OK', 'INVALID_REQUEST', 'great'], // the last of repeated keys
  ['{"instances":["great"],"explain":true,"explain":false}', 'INVALID_REQUEST', 'OK'],
  ['{"instances":["great"],"explain":true,"configuration":{}}', 'INVALID_REQUEST', 'OK', 'great'],
  ['{"text":"\\ud800 great","explain":true}', 'OK', 'INVALID_REQUEST', '\ud800 great'],
  ['{"text":"  great  <br />&amp;","explain":true}', 'OK', 'INVALID_REQUEST', '  great  <br />&amp;'],
  ['{"explain":true}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"Explain":true,"text":"great"}', 'INVALID_REQUEST', 'INVALID_REQUEST'], // names are case-sensitive
  ['{"text":"great","explain":"true"}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"instances":["great"],"explain":1}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"instances":["great"],"explain":null}', 'INVALID_REQUEST', 'INVALID_REQUEST'],
  ['{"texts":[],"explain":true}', 'NO_REVIEWS', 'INVALID_REQUEST'],
  ['{"instances":[],"explain":true}', 'INVALID_REQUEST', 'NO_REVIEWS'],
  ['{"texts":["great"," "],"explain":true}', 'EMPTY_REVIEW', 'INVALID_REQUEST'],
  ['{"instances":["great",7],"explain":true}', 'INVALID_REQUEST', 'REVIEW_NOT_TEXT'],
];

/**
 * `"explain"`: asked for reviews of every kind the fuzzer makes (markup, emoji, NUL, a lone
 * surrogate) and for long reviews of many sentences; values that are not a boolean (a 400 before
 * the reviews are counted or read); a text/plain body that reads like a request asking (one
 * review, never explained); and the fixed shapes above.
 */
const explaining: Generator = (server, limits) => {
  const most = Math.max(1, Math.min(4, limits.maxExplainedReviews));
  const notBoolean = fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'boolean');
  const long = (chars: number): string => {
    const text = SAMPLE_REVIEWS.join(' ')
      .repeat(Math.ceil(chars / 300))
      .slice(0, chars);
    return text.trim() === '' ? 'great' : text;
  };
  return fc.oneof(
    fc
      .tuple(fc.array(goodReview, { minLength: 1, maxLength: most }), fc.constantFrom(...JSON_TYPES))
      .map(([list, type]) =>
        post(server, 'explain', type, utf8(requestBody(server, list, false, true)), limits, {
          made: 'OK',
          reviews: list.length,
          explained: list,
          note: 'explain true',
        }),
      ),
    fc.tuple(fc.integer({ min: 1, max: limits.maxReviewChars }), fc.boolean()).map(([chars, single]) => {
      const text = long(chars);
      return post(server, 'explain', JSON_TYPE, utf8(requestBody(server, [text], single, true)), limits, {
        made: 'OK',
        reviews: 1,
        explained: [text],
        note: `explain a review of ${text.length} chars`,
      });
    }),
    fc.tuple(fc.array(review, { maxLength: limits.maxReviews + 2 }), notBoolean).map(([list, value]) =>
      post(server, 'explain', JSON_TYPE, utf8(requestBody(server, list, false, value)), limits, {
        made: 'INVALID_REQUEST',
        note: `explain ${clip(JSON.stringify(value), 30)}`,
      }),
    ),
    fc.tuple(fc.constantFrom(...SAMPLE_REVIEWS), fc.constantFrom(...TEXT_TYPES)).map(([text, type]) =>
      post(server, 'explain', type, utf8(requestBody(server, [text], true, true)), limits, {
        made: 'OK',
        reviews: 1,
        explained: false,
        note: 'asks, as text/plain',
      }),
    ),
    fc.tuple(fc.constantFrom(...EXPLAIN_SHAPES), fc.constantFrom(...JSON_TYPES)).map(([shape, type]) => {
      const [body, gateway, endpoint, text] = shape;
      return post(server, 'explain', type, utf8(body), limits, {
        made: server === 'gateway' ? gateway : endpoint,
        reviews: 1,
        explained: text === undefined ? false : [text],
      });
    }),
  );
};

/** Random bytes under a known content type. */
const bytes: Generator = (server, limits) =>
  fc
    .tuple(fc.uint8Array({ maxLength: 1024 }), fc.constantFrom(...KNOWN_TYPES))
    .map(([body, type]) => post(server, 'random-bytes', type, body, limits, { made: ANY_BODY_OUTCOME, reviews: 1 }));

/** Good text with bytes that are not UTF-8 inside it: wherever they go, the body is not UTF-8. */
const invalidUtf8: Generator = (server, limits) =>
  fc
    .tuple(
      review,
      fc.constantFrom(...INVALID_UTF8),
      fc.nat(),
      fc.boolean(),
      fc.constantFrom(...JSON_TYPES, ...TEXT_TYPES),
    )
    .map(([text, bad, at, wrap, type]) => {
      const good = Buffer.from(text, 'utf8');
      const cut = good.length === 0 ? 0 : at % good.length;
      const inner = Buffer.concat([good.subarray(0, cut), Buffer.from(bad), good.subarray(cut)]);
      const body =
        type.kind === 'json' || wrap
          ? Buffer.concat([
              Buffer.from(server === 'gateway' ? '{"text":"' : '{"instances":["'),
              inner,
              Buffer.from(server === 'gateway' ? '"}' : '"]}'),
            ])
          : inner;
      return post(server, 'invalid-utf8', type, body, limits, { made: 'INVALID_ENCODING' });
    });

/** No body at all, under each content type. */
const empty: Generator = (server, limits) =>
  fc.constantFrom(...KNOWN_TYPES).map((type) =>
    post(server, 'empty-body', type, new Uint8Array(), limits, {
      made: type.kind === 'json' ? 'INVALID_JSON' : 'EMPTY_REVIEW',
    }),
  );

/** Right at the limits and one past them: reviews per request, characters per review, body bytes. */
const edges: Generator = (server, limits) => {
  const at = (chars: number): string => 'great film '.repeat(Math.ceil(chars / 11) + 1).slice(0, chars);
  return fc.oneof(
    fc.constantFrom(0, 1, limits.maxReviews, limits.maxReviews + 1).map((count) =>
      post(server, 'limits', JSON_TYPE, utf8(requestBody(server, Array<string>(count).fill('good'), false)), limits, {
        note: `${count} reviews`,
        made: count === 0 ? 'NO_REVIEWS' : count > limits.maxReviews ? 'TOO_MANY_REVIEWS' : 'OK',
        reviews: count,
      }),
    ),
    fc.tuple(fc.constantFrom(limits.maxReviewChars, limits.maxReviewChars + 1), fc.boolean()).map(([chars, json]) =>
      post(
        server,
        'limits',
        json ? JSON_TYPE : { value: 'text/plain', kind: 'text' },
        utf8(json ? requestBody(server, [at(chars)], true) : at(chars)),
        limits,
        {
          note: `a review of ${chars} chars`,
          made: chars > limits.maxReviewChars ? 'REVIEW_TOO_LONG' : 'OK',
          reviews: 1,
        },
      ),
    ),
    // With "explain": true: right at the number of reviews one request may have explained, and one past it.
    fc.constantFrom(limits.maxExplainedReviews, limits.maxExplainedReviews + 1).map((count) => {
      const reviews = Array<string>(count).fill('good');
      return post(server, 'limits', JSON_TYPE, utf8(requestBody(server, reviews, false, true)), limits, {
        note: `${count} reviews to explain`,
        made: countOutcome(count, true, limits, 'OK'),
        reviews: count,
        explained: reviews,
      });
    }),
    fc.constantFrom(limits.maxBodyBytes, limits.maxBodyBytes + 1).map((size) =>
      post(server, 'limits', { value: 'text/plain', kind: 'text' }, Buffer.alloc(size, 0x61), limits, {
        note: 'at the byte limit',
        // One review of `size` characters; one byte over, the byte limit comes first.
        made: size > limits.maxReviewChars ? 'REVIEW_TOO_LONG' : 'OK',
        reviews: 1,
      }),
    ),
  );
};

/** Bodies over the byte limit: declared up front, streamed in chunks, or behind Expect: 100-continue. */
const oversized: Generator = (server, limits) =>
  fc
    .tuple(
      fc.integer({ min: limits.maxBodyBytes + 1, max: limits.maxBodyBytes * 2 }),
      fc.constantFrom('length', 'chunked', 'expect'),
      fc.constantFrom(...JSON_TYPES, ...TEXT_TYPES),
    )
    .map(([size, how, type]) =>
      post(server, 'oversized', type, Buffer.alloc(size, 0x61), limits, {
        ...(how === 'chunked' ? { framing: { chunks: [16 * 1024] } } : {}),
        ...(how === 'expect' ? { headers: [['Expect', '100-continue']] } : {}),
        note: how,
      }),
    );

/** Enormous or deeply nested JSON, kept under the byte limit so that the JSON itself is judged. */
const monsters: Generator = (server, limits) => {
  const room = limits.maxBodyBytes - 64;
  const field = server === 'gateway' ? 'texts' : 'instances';
  return fc
    .tuple(
      fc.constantFrom(
        'deep-array',
        'deep-object',
        'deep-in-field',
        'wide',
        'many-keys',
        'long-string',
        'long-escapes',
        'numbers',
      ),
      fc.double({ min: 0.05, max: 1, noNaN: true }),
    )
    .map(([shape, fraction]) => {
      const n = Math.max(1, Math.floor(fraction * room));
      // A list of `count` reviews: none, over the limit, or within it and then `each`.
      const list = (count: number, each: Outcome): Outcome =>
        count === 0 ? 'NO_REVIEWS' : count > limits.maxReviews ? 'TOO_MANY_REVIEWS' : each;
      const oneReview = (chars: number): Outcome => (chars > limits.maxReviewChars ? 'REVIEW_TOO_LONG' : 'OK');
      let text: string;
      let made: Outcome;
      let reviews = 1;
      switch (shape) {
        case 'deep-array': {
          const depth = Math.floor(n / 2);
          text = '['.repeat(depth) + ']'.repeat(depth);
          made = depth === 0 ? 'INVALID_JSON' : 'INVALID_REQUEST'; // an array is not the object either server takes
          break;
        }
        case 'deep-object': {
          const depth = Math.floor(n / 8);
          text = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
          made = 'INVALID_REQUEST';
          break;
        }
        case 'deep-in-field': {
          const depth = Math.max(1, Math.floor(n / 2) - 16);
          text = `{"${field}":${'['.repeat(depth)}${']'.repeat(depth)}}`;
          made = depth === 1 ? 'NO_REVIEWS' : 'REVIEW_NOT_TEXT'; // [] or one review that is itself a list
          break;
        }
        case 'wide': {
          reviews = Math.floor(n / 4);
          text = `{"${field}":[${Array(reviews).fill('"a"').join(',')}]}`;
          made = list(reviews, 'OK');
          break;
        }
        case 'many-keys': {
          const keys = Math.floor(n / 12);
          text = `{"${server === 'gateway' ? 'text' : 'instances'}":${server === 'gateway' ? '"a"' : '["a"]'},${Array.from({ length: keys }, (_, i) => `"k${i}":0`).join(',')}}`;
          // Without keys, a trailing comma; the gateway takes no other field, the endpoint server ignores them.
          made = keys === 0 ? 'INVALID_JSON' : server === 'gateway' ? 'INVALID_REQUEST' : 'OK';
          break;
        }
        case 'long-string': {
          const chars = Math.max(1, n - 20);
          text = requestBody(server, ['a'.repeat(chars)], true);
          made = oneReview(chars);
          break;
        }
        case 'long-escapes': {
          const repeats = Math.max(1, Math.floor(n / 16));
          text = requestBody(server, ['\u00e9\n"'.repeat(repeats)], true);
          made = oneReview(3 * repeats);
          break;
        }
        default: {
          const count = Math.floor(n / 8);
          text = `{"${field}":[${Array(count).fill('-1.5e308').join(',')}]}`;
          made = list(count, 'REVIEW_NOT_TEXT');
        }
      }
      return post(server, 'json-monsters', JSON_TYPE, utf8(text), limits, { note: shape, made, reviews });
    });
};

/** Content types the servers may not expect: odd ones, random strings, two of them. */
const contentTypes: Generator = (server, limits) => {
  const body = fc.constantFrom(...SAMPLE_REVIEWS).map((text) => requestBody(server, [text], true));
  return fc.oneof(
    fc.tuple(fc.constantFrom(...KNOWN_TYPES), body).map(([type, text]) =>
      // JSON under a plain-text type is one review of text.
      post(server, 'content-type', type, utf8(text), limits, { made: 'OK', reviews: 1 }),
    ),
    fc
      .tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), body)
      .map(([value, text]) =>
        post(server, 'content-type', { value: value.trim(), kind: undefined }, utf8(text), limits),
      ),
    fc.tuple(fc.constantFrom(...KNOWN_TYPES), fc.constantFrom(...KNOWN_TYPES), body).map(([first, second, text]) =>
      post(server, 'content-type', { value: second.value ?? 'text/plain', kind: undefined }, utf8(text), limits, {
        headers: [['Content-Type', first.value ?? 'application/json']],
        note: 'two content types',
      }),
    ),
  );
};

const KNOWN_METHODS = new Set(METHODS);

/** Every method Node knows, in both cases, and made-up ones. */
const methods: Generator = (server) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...METHODS) },
        { weight: 2, arbitrary: fc.constantFrom(...METHODS).map((method) => method.toLowerCase()) },
        { weight: 1, arbitrary: fc.constantFrom('Post', 'FOO', 'BREW', 'PRI', 'GETT', 'POSTX', 'X-MS-ENUMATTS') },
        {
          weight: 1,
          arbitrary: fc.string({
            unit: fc.constantFrom(...Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ-_')),
            minLength: 1,
            maxLength: 12,
          }),
        },
      ),
      fc.constantFrom(canonicalTarget(server), server === 'endpoint' ? '/ping' : '/sentiment/'),
      fc.boolean(),
    )
    .map(([method, target, withBody]) => {
      const body = withBody ? utf8(requestBody(server, ['great'], true)) : new Uint8Array();
      const route = routeOutcome(server, method, target);
      const expect: Outcome[] =
        method === 'CONNECT'
          ? ['METHOD_NOT_ALLOWED']
          : !KNOWN_METHODS.has(method)
            ? ['MALFORMED_REQUEST']
            : route === 'body'
              ? [withBody ? 'OK' : 'INVALID_JSON']
              : [route];
      return {
        server,
        kind: 'methods',
        summary: `${method} ${target}${withBody ? ' with a body' : ''}`,
        method,
        bytes: build({
          method,
          target: method === 'CONNECT' ? '127.0.0.1:443' : target,
          headers: [['Content-Type', 'application/json']],
          body,
        }),
        endAfterWrite: false,
        expect,
        reviews: expect[0] === 'OK' ? 1 : undefined,
      };
    });

const ODD_PATHS = [
  '/',
  '//sentiment',
  '/sentiment/..',
  '/sentiment/../sentiment',
  '/./sentiment',
  '/SENTIMENT',
  '/sentiment%00',
  '/%00',
  '/sentiment%2F',
  '/%2e%2e/sentiment',
  '/sentiment;jsessionid=1',
  '/sentiment/extra',
  '/sentiments',
  '*',
  'http://127.0.0.1/sentiment',
  '/invocations',
  '/ping',
  '//invocations',
  '/ping/../invocations',
  '/endpoints//invocations',
  '/endpoints/a%2Fb/invocations',
  '/endpoints/reelsense-local/invocations',
  '/endpoints/x/y/invocations',
  '/invocations/',
  '/invocations?x=1',
  '/sentiment?text=hi&text=there',
  '/sentiment?%zz',
  '/favicon.ico',
];

/** Odd and very long paths, and query strings. */
const paths: Generator = (server, limits) => {
  const target = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ODD_PATHS) },
    {
      weight: 2,
      arbitrary: fc
        .string({ unit: fc.constantFrom(...Array.from("abcxyz0123456789-._~!$&'()*+,;=:@/%")), maxLength: 80 })
        .map((path) => `/${path}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: fc.constantFrom(...Array.from('abc=&%20+')), maxLength: 200 })
        .map((query) => `${canonicalTarget(server)}?${query}`),
    },
    // Long, but inside Node's 16 KiB header limit.
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 8000 }).map((n) => `/${'a'.repeat(n)}`) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1000, max: 8000 }).map((n) => `${canonicalTarget(server)}?q=${'a'.repeat(n)}`),
    },
  );
  return fc.oneof(
    target.map((path) =>
      post(server, 'paths', JSON_TYPE, utf8(requestBody(server, ['great'], true)), limits, {
        target: path,
        made: 'OK',
        reviews: 1,
      }),
    ),
    // Over Node's 16 KiB for the request line and headers.
    fc.integer({ min: 17 * 1024, max: 64 * 1024 }).map((n): FuzzCase => ({
      server,
      kind: 'paths',
      summary: `POST a path of ${n} characters`,
      method: 'POST',
      bytes: build({ method: 'POST', target: `/${'a'.repeat(n)}`, body: utf8('great') }),
      endAfterWrite: false,
      expect: ['HEADERS_TOO_LARGE'],
      reviews: undefined,
    })),
  );
};

/** A request Node cannot parse (400 MALFORMED_REQUEST), described by what is wrong with it. */
function malformed(
  server: ServerKind,
  kind: FuzzKind,
  summary: string,
  bytes: Uint8Array,
  endAfterWrite = false,
): FuzzCase {
  return {
    server,
    kind,
    summary,
    method: 'POST',
    bytes,
    endAfterWrite,
    expect: ['MALFORMED_REQUEST'],
    reviews: undefined,
  };
}

/** Broken request lines. */
const requestLines: Generator = (server) => {
  const target = canonicalTarget(server);
  return fc.oneof(
    fc
      .constantFrom(`${target}\u0000`, `${target} x`, `/sen\ttiment`, `/sen\u0001timent`, `/sen\u007ftiment`, '')
      .map((bad) =>
        malformed(
          server,
          'request-line',
          `POST ${clip(bad, 30)}`,
          build({ method: 'POST', target: bad, body: utf8('great') }),
        ),
      ),
    fc
      .constantFrom('HTTP/3.0', 'HTTP/1.2', 'HTTP/9.9', 'HTTP/1.1x', 'HTTP/1', 'http/1.1', 'HTTP/11', 'HTTX/1.1')
      .map((version) =>
        malformed(
          server,
          'request-line',
          `POST ${target} ${version}`,
          build({ method: 'POST', target, version, body: utf8('great') }),
        ),
      ),
  );
};

/** Many headers, huge ones, and ones with characters a header may not hold. */
const headerFloods: Generator = (server, limits) => {
  const body = utf8(requestBody(server, ['great'], true));
  const json = JSON_TYPE;
  return fc.oneof(
    // Many, all told under 8 KiB: served as usual.
    fc
      .array(fc.tuple(headerName, headerValue), { minLength: 1, maxLength: 400 })
      .filter((headers) => headers.reduce((n, [name, value]) => n + name.length + value.length + 4, 0) < 8 * 1024)
      .map((headers) =>
        post(server, 'header-flood', json, body, limits, {
          headers,
          note: `${headers.length} headers`,
          made: 'OK',
          reviews: 1,
        }),
      ),
    fc.integer({ min: 500, max: 1900 }).map((count) =>
      post(server, 'header-flood', json, body, limits, {
        made: 'OK',
        reviews: 1,
        headers: Array.from({ length: count }, (_, i) => [`x${i}`, '1'] as const),
        note: `${count} tiny headers`,
      }),
    ),
    // Over 16 KiB in all, or in one header: Node's 431.
    fc.tuple(fc.integer({ min: 3000, max: 6000 }), fc.boolean()).map(([count, one]): FuzzCase => ({
      server,
      kind: 'header-flood',
      summary: one ? `one header of ${count * 8} bytes` : `${count} headers over 16 KiB`,
      method: 'POST',
      bytes: build({
        method: 'POST',
        target: canonicalTarget(server),
        headers: one
          ? [['X-Big', 'a'.repeat(count * 8)]]
          : Array.from({ length: count }, (_, i) => [`x-header-${i}`, 'value'] as const),
        body,
      }),
      endAfterWrite: false,
      expect: ['HEADERS_TOO_LARGE'] as Outcome[],
      reviews: undefined,
    })),
    fc
      .constantFrom<readonly [string, string]>(
        ['X A', 'b'],
        ['X-A', 'a\u0001b'],
        ['X-A', 'a\u0000b'],
        ['', 'b'],
        ['X-Ä', 'b'],
      )
      .map(([name, value]) =>
        malformed(
          server,
          'header-flood',
          `header ${clip(`${name}: ${value}`, 30)}`,
          build({ method: 'POST', target: canonicalTarget(server), headers: [[name, value]], body }),
        ),
      ),
  );
};

/** Framing: chunks, lengths that lie or clash, Expect, HTTP/1.0, no Host, bare LF, cut short. */
const framing: Generator = (server, limits) => {
  const target = canonicalTarget(server);
  const text = fc.constantFrom(...SAMPLE_REVIEWS).map((r) => utf8(requestBody(server, [r], true)));
  const json: readonly (readonly [string, string])[] = [['Content-Type', 'application/json']];
  const raw = (head: string, rest = ''): Uint8Array => Buffer.from(`${head}\r\n\r\n${rest}`, 'latin1');
  return fc.oneof(
    fc.tuple(text, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 })).map(([body, chunks]) =>
      post(server, 'framing', JSON_TYPE, body, limits, {
        framing: { chunks },
        note: 'chunked',
        made: 'OK',
        reviews: 1,
      }),
    ),
    text.map((body) =>
      post(server, 'framing', JSON_TYPE, body, limits, {
        made: 'OK',
        reviews: 1,
        headers: [['Expect', '100-continue']],
        note: 'Expect: 100-continue',
      }),
    ),
    // Versions Node's parser takes besides 1.1 (it answers them as 1.1); 1.0 needs no Host.
    fc.tuple(text, fc.constantFrom('HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0')).map(([body, version]): FuzzCase => {
      return {
        server,
        kind: 'framing',
        summary: `POST over ${version}`,
        method: 'POST',
        bytes: build({ method: 'POST', target, version, host: version !== 'HTTP/1.0', headers: json, body }),
        endAfterWrite: false,
        expect: ['OK'], // a sample review as JSON
        reviews: 1,
      };
    }),
    fc
      .constantFrom('gzip', 'chunked, gzip', 'identity', 'chunked, chunked')
      .map((coding) =>
        malformed(
          server,
          'framing',
          `Transfer-Encoding: ${coding}`,
          raw(`POST ${target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${coding}`, '5\r\ngreat\r\n0\r\n\r\n'),
        ),
      ),
    fc
      .constantFrom(
        ['both lengths', `Content-Length: 5\r\nTransfer-Encoding: chunked`, '5\r\ngreat\r\n0\r\n\r\n'],
        ['a bad chunk size', 'Transfer-Encoding: chunked', 'zz\r\ngreat\r\n0\r\n\r\n'],
        ['a chunk longer than said', 'Transfer-Encoding: chunked', '2\r\ngreat\r\n0\r\n\r\n'],
        ['Content-Length: abc', 'Content-Length: abc', ''],
        ['Content-Length: -1', 'Content-Length: -1', ''],
        ['Content-Length: 1 2', 'Content-Length: 1 2', 'ab'],
        ['two different lengths', 'Content-Length: 3\r\nContent-Length: 5', 'great'],
        ['obs-fold', 'X-A: b\r\n folded\r\nContent-Length: 5', 'great'],
      )
      .map(([what, headers, body]) =>
        malformed(server, 'framing', what, raw(`POST ${target} HTTP/1.1\r\nHost: x\r\n${headers}`, body)),
      ),
    text.map((body) =>
      malformed(server, 'framing', 'no Host', build({ method: 'POST', target, host: false, headers: json, body })),
    ),
    text.map((body) =>
      malformed(
        server,
        'framing',
        'bare LF line ends',
        build({ method: 'POST', target, headers: json, body, lineEnd: '\n' }),
      ),
    ),
    // Cut short, then half-closed: nothing more will come.
    fc.tuple(text, fc.nat()).map(([body, at]) => {
      const whole = build({ method: 'POST', target, headers: json, body });
      const cut = 1 + (at % (whole.length - 1));
      return {
        ...malformed(server, 'framing', `cut after ${cut} of ${whole.length} bytes`, whole.subarray(0, cut), true),
        expect: ['MALFORMED_REQUEST', 'closed'] as Outcome[],
      };
    }),
    fc.constantFrom('a-token', 'fail').map((value): FuzzCase => ({
      server,
      kind: 'framing',
      summary: `Expect: ${value}`,
      method: 'POST',
      bytes: build({ method: 'POST', target, headers: [...json, ['Expect', value]], body: utf8('{"text":"great"}') }),
      endAfterWrite: false,
      expect: ['EXPECTATION_FAILED'] as Outcome[],
      reviews: undefined,
    })),
  );
};

/** Bytes that are not HTTP at all, then a half-close. */
const garbage: Generator = (server) =>
  fc.uint8Array({ minLength: 1, maxLength: 512 }).map((noise): FuzzCase => ({
    server,
    kind: 'garbage',
    summary: `${noise.length} random bytes`,
    method: '',
    bytes: noise,
    endAfterWrite: true,
    expect: ['MALFORMED_REQUEST', 'closed'] as Outcome[],
    reviews: undefined,
  }));

/** Each generator by the name its cases carry, and its weight. */
const GENERATORS = {
  valid: [valid, 14],
  'json-shapes': [shapes, 8],
  explain: [explaining, 5],
  'random-bytes': [bytes, 6],
  'invalid-utf8': [invalidUtf8, 5],
  'empty-body': [empty, 2],
  limits: [edges, 3],
  oversized: [oversized, 2],
  'json-monsters': [monsters, 3],
  'content-type': [contentTypes, 6],
  methods: [methods, 8],
  paths: [paths, 6],
  'request-line': [requestLines, 3],
  'header-flood': [headerFloods, 5],
  framing: [framing, 7],
  garbage: [garbage, 2],
} as const satisfies Record<string, readonly [Generator, number]>;

export type FuzzKind = keyof typeof GENERATORS;
export const KINDS = Object.keys(GENERATORS) as FuzzKind[];

/** Every kind of request for one server, weighted so that about a fifth are valid. */
export function fuzzCases(server: ServerKind, limits: Limits): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    ...Object.values(GENERATORS).map(([generator, weight]) => ({ arbitrary: generator(server, limits), weight })),
  );
}

/** One kind of request only. */
export function fuzzCasesOf(kind: FuzzKind, server: ServerKind, limits: Limits): fc.Arbitrary<FuzzCase> {
  return GENERATORS[kind][0](server, limits);
}

/** Sends a case on a new connection, in 64 KiB writes (so that writing stops once an answer is in). */
export function sendCase(
  address: { readonly host: string; readonly port: number },
  fuzzCase: FuzzCase,
  timeoutMs: number,
): Promise<RawOutcome> {
  const steps: Uint8Array[] = [];
  for (let at = 0; at < fuzzCase.bytes.length; at += 64 * 1024) steps.push(fuzzCase.bytes.subarray(at, at + 64 * 1024));
  return exchange(address, steps, { timeoutMs, endAfterWrite: fuzzCase.endAfterWrite, method: fuzzCase.method });
}
