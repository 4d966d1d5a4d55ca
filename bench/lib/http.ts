/** autocannon sending one review per request, and what counts as a served answer. */
import autocannon from 'autocannon';
import { isSentimentResponseFor } from '../../public-api/client.ts';
import { REQUEST_TIMEOUT_MS, int, statusTicker } from '../../scripts/measure.ts';

/** What a route needs to be sent one review. */
export interface Target {
  readonly label: string;
  readonly url: URL;
  readonly contentType: string;
  readonly bodies: readonly string[];
}

/**
 * A gateway answer's body as the contract has it for one review: one result with a label and a
 * score, and the model; with `explain`, an explanation of `text` too.
 */
export function oneResult(body: string, text = '', explain = false): boolean {
  try {
    return isSentimentResponseFor(JSON.parse(body), [text], explain);
  } catch {
    return false;
  }
}

/**
 * autocannon for `seconds` with `connections`, the target's bodies round-robin, a progress line
 * under `label`. `verify(body, i)`: whether a 2xx answer to `bodies[i]` is right; a wrong one
 * counts as a mismatch. Resolves with autocannon's result, the mismatches, the answers by status,
 * the 2xx answers' times (ms), and 2xx answers per second.
 */
export async function cannon(
  target: Target,
  connections: number,
  seconds: number,
  label: string,
  verify?: (body: string, index: number) => boolean,
) {
  let next = 0;
  let mismatches = 0;
  const { bodies } = target;
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let answered = 0;
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
          // Each connection's context holds the index of the body it sent last (one request in flight each).
          setupRequest: (request, context: { index?: number }) => {
            context.index = next++ % bodies.length;
            return { ...request, body: bodies[context.index] ?? '' };
          },
          ...(verify && {
            onResponse: (status: number, body: string, context: { index?: number }) => {
              if (status >= 200 && status < 300 && !verify(body, context.index ?? -1)) mismatches++;
            },
          }),
        },
      ],
    },
    () => undefined,
  );
  instance.on('response', (_client, status, _bytes, responseTime) => {
    answered++;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 200 && status < 300) latencies.push(responseTime);
  });
  const done = statusTicker(
    `${label}, ${target.label}, ${connections} connections for ${seconds} s`,
    () => `${int(answered)} answers`,
  );
  const result = await new Promise<autocannon.Result>((resolveResult, reject) => {
    instance.on('done', resolveResult);
    instance.on('error', reject);
  }).finally(done);
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
  return { result, mismatches, statuses, latencies, seconds: elapsed, requestsPerSecond: result['2xx'] / elapsed };
}
