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

/** A gateway answer's body as the contract has it for one review: one result with a label and a score, and the model. */
export function oneResult(body: string): boolean {
  try {
    return isSentimentResponseFor(JSON.parse(body), ['']);
  } catch {
    return false;
  }
}

/**
 * autocannon for `seconds` with `connections`, the target's bodies round-robin, a progress line
 * under `label`. `verify`: a 2xx whose body fails oneResult() counts as a mismatch. Resolves with
 * autocannon's result, the answers by status, the 2xx answers' times (ms), and 2xx answers per second.
 */
export async function cannon(
  target: Target,
  connections: number,
  seconds: number,
  label: string,
  verify = false,
): Promise<{
  result: autocannon.Result;
  statuses: Map<number, number>;
  latencies: number[];
  seconds: number;
  requestsPerSecond: number;
}> {
  let next = 0;
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
          setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] ?? '' }),
        },
      ],
      ...(verify
        ? { verifyBody: (body) => oneResult(typeof body === 'string' ? body : (body?.toString('utf8') ?? '')) }
        : {}),
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
  return { result, statuses, latencies, seconds: elapsed, requestsPerSecond: result['2xx'] / elapsed };
}
