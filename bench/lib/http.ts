/** The benchmarks' HTTP clients: one keep-alive POST, and autocannon sending one review per request. */
import autocannon from 'autocannon';
import { request as httpRequest, type Agent } from 'node:http';

export const REQUEST_TIMEOUT_MS = 30_000;

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export function post(agent: Agent, url: URL, contentType: string, body: string): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': payload.length },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolveAnswer({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** What a route needs to be sent one review. */
export interface Target {
  readonly label: string;
  readonly url: URL;
  readonly contentType: string;
  readonly bodies: readonly string[];
}

/**
 * autocannon for `seconds` with `connections`, the target's bodies round-robin; `onResponse` sees
 * each answer's status and time (ms).
 */
export function cannon(
  target: Target,
  connections: number,
  seconds: number,
  onResponse?: (status: number, ms: number) => void,
): Promise<autocannon.Result> {
  let next = 0;
  const { bodies } = target;
  const instance = autocannon(
    {
      url: target.url.origin,
      connections,
      duration: seconds,
      timeout: REQUEST_TIMEOUT_MS / 1000,
      requests: [
        {
          method: 'POST',
          path: target.url.pathname,
          headers: { 'content-type': target.contentType },
          setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] ?? '' }),
        },
      ],
    },
    () => undefined,
  );
  if (onResponse !== undefined) {
    instance.on('response', (_client, status, _bytes, responseTime) => {
      onResponse(status, responseTime);
    });
  }
  return new Promise<autocannon.Result>((resolveResult, reject) => {
    instance.on('done', resolveResult);
    instance.on('error', reject);
  });
}
