/** Per-client throttling: the token bucket, and the gateway's 429 with Retry-After over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../../backend/gateway/server.ts';
import { RateLimiter, rateLimitFromEnv } from '../../../backend/gateway/rate-limit.ts';
import type { RunningServer } from '../../../backend/listen.ts';

describe('RateLimiter', () => {
  it('lets a burst through, then one request per 1/rate seconds, per client', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1); // empty: wait
    expect(limiter.take('b')).toBe(0); // another client has its own bucket
    now = 499;
    expect(limiter.take('a')).toBe(1);
    now = 1000; // 2 tokens regained at 2/s, one spent above was refused (no token taken)
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('says how long to wait when the rate is slow', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSecond: 0.25, burst: 1 }, () => now);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(4);
    now = 4000;
    expect(limiter.take('a')).toBe(0);
  });

  it('keeps at most maxClients buckets', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 }, () => 0, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`client-${String(i)}`);
    expect(limiter.clients).toBe(100);
  });

  it('reads its settings from the environment; 0 turns it off; nonsense is refused', () => {
    expect(rateLimitFromEnv({})).toEqual({ ratePerSecond: 50, burst: 100 });
    expect(rateLimitFromEnv({ REELSENSE_RATE_LIMIT: '5', REELSENSE_RATE_BURST: '7' })).toEqual({
      ratePerSecond: 5,
      burst: 7,
    });
    expect(rateLimitFromEnv({ REELSENSE_RATE_LIMIT: '0' })).toBeUndefined();
    expect(() => rateLimitFromEnv({ REELSENSE_RATE_LIMIT: 'lots' })).toThrow(/REELSENSE_RATE_LIMIT/);
    expect(() => new RateLimiter({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError);
  });
});

describe('the gateway throttles each client', () => {
  let gateway: RunningServer;
  let handled = 0;
  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      log: () => undefined,
      rateLimit: { ratePerSecond: 1, burst: 3 },
      handler: () => {
        handled++;
        return Promise.resolve({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' });
      },
    });
  });
  afterAll(() => gateway.close());

  const post = (apiKey?: string) =>
    fetch(`${gateway.url}/sentiment`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }) },
      body: 'A fine film.',
    });

  it('answers 429 THROTTLED with Retry-After and CORS past the burst, before the handler runs', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post()).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(handled).toBe(3);
    const throttled = await post();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await throttled.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('THROTTLED');
    expect(body.error.message).toMatch(/try again in 1 second/);
  });

  it('gives a made-up API key no fresh burst, and never throttles the CORS preflight', async () => {
    // The address is out of tokens (above): a key it has never sent does not reset that.
    expect((await post('key-never-seen')).status).toBe(429);
    expect(handled).toBe(3);
    const preflight = await fetch(`${gateway.url}/sentiment`, { method: 'OPTIONS' });
    expect(preflight.status).not.toBe(429);
  });
});
