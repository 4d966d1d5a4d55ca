/**
 * Whatever arrives (body, headers, content type, method, base64 flag), the handler answers a
 * well-formed JSON result with a status of the contract, never throws, and, with a healthy
 * endpoint behind it, never blames itself or the endpoint (no 5xx) for what the client sent.
 */
import { Buffer } from 'node:buffer';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEndpointClient } from '../../../backend/api/endpoint-client.ts';
import { createHandler, type ApiHandler } from '../../../backend/api/handler.ts';
import { ERROR_STATUS, type ErrorCode, type Limits } from '../../../public-api/contract.ts';
import { apiGatewayEvent } from '../../helpers/events.ts';

// Small limits, so that the fuzzer reaches every 413 too.
const LIMITS: Limits = { maxBodyBytes: 600, maxReviewChars: 80, maxReviews: 4, maxExplainedReviews: 2 };

let server: Server;
let client: SageMakerRuntimeClient;
let handle: ApiHandler;
let endpointCalls = 0;

beforeAll(async () => {
  // The endpoint's stand-in: a valid prediction for each instance it is sent, explained if asked.
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      endpointCalls++;
      const { instances, explain } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        instances: string[];
        explain?: boolean;
      };
      const explanation = (text: string) =>
        explain === true ? { explanation: [{ start: 0, end: text.length, weight: 1 }] } : {};
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          predictions: instances.map((text) => ({ label: 'positive', score: 0.75, readable: 1, ...explanation(text) })),
          model: 'm',
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = createEndpointClient(5000, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  handle = createHandler({ client, endpointName: 'fuzz', limits: LIMITS, log: () => undefined });
});

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

// Weighted so that about a third of the requests are valid and reach the endpoint.
const methods = fc.oneof(
  { arbitrary: fc.constant('POST'), weight: 8 },
  { arbitrary: fc.constantFrom('OPTIONS', 'GET', 'PUT', 'DELETE', 'post', ''), weight: 2 },
  { arbitrary: fc.string(), weight: 1 },
);
const contentTypes = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      'TEXT/PLAIN; charset=latin1',
      'text/plain;charset=UTF-8',
      'application/xml',
      'multipart/form-data; boundary=x',
      '',
    ),
    weight: 2,
  },
  { arbitrary: fc.string(), weight: 1 },
);
const headerNames = fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE');
const reviews = fc.oneof(
  fc.string({ maxLength: 100 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constant('  '),
);
const bodies = fc.oneof(
  { arbitrary: reviews.map((text) => JSON.stringify({ text })), weight: 4 },
  { arbitrary: fc.array(reviews, { maxLength: 6 }).map((texts) => JSON.stringify({ texts })), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.array(reviews, { maxLength: 4 }), fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })))
      .map(([texts, explain]) => JSON.stringify({ texts, explain })),
    weight: 2,
  },
  { arbitrary: fc.string({ maxLength: 800 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
  { arbitrary: fc.json(), weight: 1 },
  { arbitrary: fc.record({ text: fc.anything() }).map((value) => JSON.stringify(value)), weight: 1 },
  {
    arbitrary: fc.record({ texts: fc.array(fc.anything(), { maxLength: 6 }) }).map((value) => JSON.stringify(value)),
    weight: 1,
  },
  { arbitrary: fc.dictionary(fc.string(), fc.anything()).map((value) => JSON.stringify(value)), weight: 1 },
);
const events = fc.record({
  method: methods,
  contentType: fc.option(fc.tuple(headerNames, contentTypes), { nil: undefined, freq: 8 }),
  extraHeaders: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 40 }), { maxKeys: 4 }),
  body: fc.option(bodies, { nil: null, freq: 20 }),
  // base64: the body's UTF-8 bytes, or random bytes (mostly not UTF-8)
  base64: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: fc.constant('encode' as const), weight: 2 },
    { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 },
  ),
});

function toEvent(input: typeof events extends fc.Arbitrary<infer T> ? T : never): APIGatewayProxyEvent {
  const headers: Record<string, string> = { ...input.extraHeaders };
  if (input.contentType !== undefined) headers[input.contentType[0]] = input.contentType[1];
  let body = input.body;
  if (input.base64 !== undefined) {
    body = Buffer.from(input.base64 === 'encode' ? (body ?? '') : input.base64).toString('base64');
  }
  return apiGatewayEvent({
    httpMethod: input.method,
    headers,
    body,
    isBase64Encoded: input.base64 !== undefined,
    requestContext: { requestId: 'fuzz' },
  });
}

const STATUSES = new Set<number>([200, 204, ...Object.values(ERROR_STATUS)]);

describe('handler under fuzzing', () => {
  it('always answers well-formed JSON with a contract status, 4xx for what the client got wrong', async () => {
    await fc.assert(
      fc.asyncProperty(events, async (input) => {
        const result = await handle(toEvent(input));
        expect(STATUSES.has(result.statusCode)).toBe(true);
        expect(typeof result.body).toBe('string');
        expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
        // A healthy endpoint behind it: any failure is the request's.
        expect(result.statusCode).toBeLessThan(500);
        if (result.statusCode === 204) {
          expect(input.method.toUpperCase()).toBe('OPTIONS');
          expect(result.body).toBe('');
          return;
        }
        expect(result.headers?.['Content-Type']).toBe('application/json');
        const body = JSON.parse(result.body) as Record<string, unknown>;
        if (result.statusCode === 200) {
          const { results, model } = body as { results: { explanation?: unknown }[]; model: unknown };
          expect(model).toBe('m');
          expect(results.length).toBeGreaterThan(0);
          expect(results.length).toBeLessThanOrEqual(LIMITS.maxReviews);
          if (results.some((result) => 'explanation' in result)) {
            expect(results.length).toBeLessThanOrEqual(LIMITS.maxExplainedReviews);
          }
          return;
        }
        const { error } = body as { error: { code: ErrorCode; message: string } };
        expect(Object.keys(body)).toEqual(['error']);
        expect(ERROR_STATUS[error.code]).toBe(result.statusCode);
        expect(error.message.length).toBeGreaterThan(10);
        expect(error.message).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 2000 },
    );
    expect(endpointCalls).toBeGreaterThan(200); // the fuzzer reached the endpoint, not only the validator
  });
});
