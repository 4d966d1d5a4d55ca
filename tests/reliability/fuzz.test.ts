/**
 * The public contract under fuzzing, over real sockets: the real gateway, handler, AWS SDK and
 * endpoint server in-process (tests/helpers/local-stack.ts, the tiny model), and the endpoint
 * server on its own. Every kind of request of tests/reliability/fuzz/cases.ts, a few dozen of each (the
 * standalone `tests/reliability/fuzz/run.ts` sends tens of thousands): each must get a well-formed answer
 * with the outcome the contract names (tests/reliability/fuzz/contract.ts), never a 5xx, and both servers
 * must serve normally afterwards. Small limits, so that every 413 is cheap to reach.
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Limits } from '../../public-api/contract.ts';
import { KINDS, fuzzCasesOf, sendCase, type FuzzCase } from './fuzz/cases.ts';
import { judge, type ServerKind } from './fuzz/contract.ts';
import { startStackInProcess, type InProcessStack } from '../../scripts/local-stack.ts';

const TINY = fileURLToPath(new URL('../fixtures/artifact-tiny/', import.meta.url));
const LIMITS: Limits = { maxBodyBytes: 16 * 1024, maxReviewChars: 2000, maxReviews: 8, maxExplainedReviews: 2 };
const RUNS_PER_KIND = 25;
// Far below the servers' 10 s header timeout: a request they are still waiting on is a hang here.
const ANSWER_TIMEOUT_MS = 8000;

let stack: InProcessStack;
const address = (server: ServerKind) => ({
  host: '127.0.0.1',
  port: server === 'gateway' ? stack.gateway.port : stack.endpoint.port,
});

beforeAll(async () => {
  stack = await startStackInProcess({ modelDir: TINY, limits: LIMITS });
}, 60_000);
afterAll(() => stack.close());

async function check(fuzzCase: FuzzCase): Promise<void> {
  const outcome = await sendCase(address(fuzzCase.server), fuzzCase, ANSWER_TIMEOUT_MS);
  const verdict = judge(fuzzCase, outcome);
  expect(verdict.violations, `${fuzzCase.kind}: ${fuzzCase.summary} -> ${verdict.label}`).toEqual([]);
}

describe.each<ServerKind>(['gateway', 'endpoint'])('the %s under fuzzing', (server) => {
  it.each(KINDS)('answers %s requests as the contract says', async (kind) => {
    await fc.assert(fc.asyncProperty(fuzzCasesOf(kind, server, LIMITS), check), { numRuns: RUNS_PER_KIND });
  });

  it('still serves a plain request afterwards', async () => {
    const url = server === 'gateway' ? `${stack.gateway.url}/sentiment` : `${stack.endpoint.url}/invocations`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'great' });
    expect(response.status).toBe(200);
  });
});
