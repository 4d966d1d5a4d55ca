/**
 * Per-client rate limiting for the local gateway, with the CDK stack's throttling figures (50
 * requests a second, bursts of 100), applied per client as its usage plan applies them per API
 * key. A token bucket per client: each address, and each API key sent (the gateway takes from
 * both, so inventing keys gains nothing). Memory stays bounded: at most `maxClients` buckets, the
 * least recently seen dropped first (a dropped bucket is a full one, the lenient side).
 */

export interface RateLimit {
  /** Requests a second each client may keep up. */
  readonly ratePerSecond: number;
  /** Requests a client may send at once after being idle. */
  readonly burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { ratePerSecond: 50, burst: 100 };

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
    private readonly maxClients = 10_000,
  ) {
    if (!(limit.ratePerSecond > 0) || !(limit.burst >= 1)) {
      throw new RangeError(
        `A rate limit needs a rate above 0 and a burst of at least 1, not ${JSON.stringify(limit)}.`,
      );
    }
  }

  /** Takes one token for `client`: 0 when the request may go, else the seconds to wait (>= 1). */
  take(client: string): number {
    const now = this.now();
    const bucket = this.#buckets.get(client) ?? { tokens: this.limit.burst, updated: now };
    this.#buckets.delete(client); // re-inserted below: the Map's order is the recency order
    bucket.tokens = Math.min(
      this.limit.burst,
      bucket.tokens + ((now - bucket.updated) / 1000) * this.limit.ratePerSecond,
    );
    bucket.updated = now;
    let wait = 0;
    if (bucket.tokens >= 1) bucket.tokens -= 1;
    else wait = Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.ratePerSecond));
    this.#buckets.set(client, bucket);
    if (this.#buckets.size > this.maxClients) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    return wait;
  }

  get clients(): number {
    return this.#buckets.size;
  }
}

/**
 * REELSENSE_RATE_LIMIT (requests a second; 0 turns limiting off, as load tests need) and
 * REELSENSE_RATE_BURST; defaults DEFAULT_RATE_LIMIT.
 */
export function rateLimitFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RateLimit | undefined {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`${name} must be a number >= 0, not ${JSON.stringify(raw)}.`);
    return value;
  };
  const ratePerSecond = read('REELSENSE_RATE_LIMIT', DEFAULT_RATE_LIMIT.ratePerSecond);
  if (ratePerSecond === 0) return undefined;
  return { ratePerSecond, burst: Math.max(1, read('REELSENSE_RATE_BURST', DEFAULT_RATE_LIMIT.burst)) };
}
