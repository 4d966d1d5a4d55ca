/**
 * API mode: a page's reviews in as few requests as the API's limits allow, answers cached by the
 * review text's SHA-256 (memory, then storage.session), and on-device scoring with a note when
 * the API fails, without waiting on a dead API once per batch.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type SentimentResponse } from '../../public-api/contract.ts';
import { ApiFailure, type AnalyseOptions } from '../../public-api/client.ts';
import { jsonBytes, planBatches } from '../../extension/src/background/via-api/batches.ts';
import { AnswerCache, sha256Hex, type SessionArea } from '../../extension/src/background/via-api/cache.ts';
import { ApiScorer, RETRY_AFTER_MS, type OnDeviceAnswer } from '../../extension/src/background/via-api/scorer.ts';

const texts = (n: number, prefix = 'review'): string[] => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('planBatches', () => {
  it.each([
    [1, [1]],
    [25, [25]],
    [64, [64]],
    [65, [64, 1]],
    [200, [64, 64, 64, 8]],
  ])('%i reviews: requests of %j', (count, sizes) => {
    const plan = planBatches(texts(count), DEFAULT_LIMITS);
    expect(plan.batches.map((b) => b.length)).toEqual(sizes);
    expect(plan.batches.flat()).toEqual(texts(count).map((_, i) => i));
    expect(plan.tooLong).toEqual([]);
  });

  it('keeps each body under the byte limit, counting UTF-8 and JSON escapes', () => {
    const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 10_000 };
    const long = Array.from({ length: 10 }, (_, i) => `${'é"🎬'.repeat(300)} ${i}`);
    const plan = planBatches(long, limits);
    expect(plan.batches.length).toBeGreaterThan(1);
    for (const batch of plan.batches) {
      const body = JSON.stringify({ texts: batch.map((i) => long[i]) });
      expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(limits.maxBodyBytes);
    }
    expect(jsonBytes('é"')).toBe(new TextEncoder().encode(JSON.stringify('é"')).length + 1);
  });

  it('sets apart reviews over the character limit, which the API would refuse', () => {
    const list = ['short', 'x'.repeat(DEFAULT_LIMITS.maxReviewChars + 1), 'also short'];
    expect(planBatches(list, DEFAULT_LIMITS)).toEqual({ batches: [[0, 2]], tooLong: [1] });
  });
});

class FakeSession implements SessionArea {
  readonly data = new Map<string, unknown>();
  gets = 0;
  async get(keys: string[]): Promise<Record<string, unknown>> {
    this.gets++;
    return Promise.resolve(Object.fromEntries(keys.filter((k) => this.data.has(k)).map((k) => [k, this.data.get(k)])));
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(items)) this.data.set(k, v);
    return Promise.resolve();
  }
}

describe('AnswerCache', () => {
  it('hashes review text with SHA-256', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('answers from memory, then from storage.session (which outlives the service worker)', async () => {
    const session = new FakeSession();
    const first = new AnswerCache(session);
    const key = AnswerCache.keyFor('http://api', await sha256Hex('Loved it'));
    await first.setMany(new Map([[key, { label: 'positive', score: 0.9, readable: 1, model: 'm' }]]));
    expect((await first.getMany([key])).get(key)).toEqual({ label: 'positive', score: 0.9, readable: 1, model: 'm' });
    expect(session.gets).toBe(0);

    // A new worker: empty memory, same session storage.
    const second = new AnswerCache(session);
    expect((await second.getMany([key, 'answer:http://api:missing'])).size).toBe(1);
    expect(session.gets).toBe(1);
  });

  it('ignores what it cannot read back, and works without storage.session', async () => {
    const session = new FakeSession();
    session.data.set('answer:x:bad', { label: 'positive', score: 7, readable: 1, model: 'm' });
    expect((await new AnswerCache(session).getMany(['answer:x:bad'])).size).toBe(0);
    const memoryOnly = new AnswerCache(undefined);
    await memoryOnly.setMany(new Map([['k', { label: 'negative', score: 0.1, readable: 1, model: 'm' }]]));
    expect((await memoryOnly.getMany(['k'])).get('k')?.label).toBe('negative');
  });

  it('keeps at most its capacity in memory, dropping the oldest', async () => {
    const cache = new AnswerCache(undefined, 2);
    for (const key of ['a', 'b', 'c'])
      await cache.setMany(new Map([[key, { label: 'negative', score: 0, readable: 1, model: 'm' }]]));
    expect([...(await cache.getMany(['a', 'b', 'c'])).keys()]).toEqual(['b', 'c']);
  });
});

interface Call {
  readonly apiUrl: string;
  readonly texts: readonly string[];
  readonly options: AnalyseOptions;
}

/** A stand-in API: P(positive) from the text ("good" in it), or the failure `fail` gives, if any. */
function fakeApi(fail: () => Error | undefined = () => undefined): {
  post: (u: string, t: readonly string[], o: AnalyseOptions) => Promise<SentimentResponse>;
  calls: Call[];
} {
  const calls: Call[] = [];
  return {
    calls,
    post: async (apiUrl, batch, options) => {
      calls.push({ apiUrl, texts: batch, options });
      const error = fail();
      if (error !== undefined) throw error;
      return Promise.resolve({
        model: 'api-model',
        results: batch.map((t) =>
          t.includes('good')
            ? { label: 'positive', score: 0.9, readable: 1 }
            : { label: 'negative', score: 0.2, readable: 1 },
        ),
      });
    },
  };
}

function fakeOnDevice(): { onDevice: (t: readonly string[]) => Promise<OnDeviceAnswer>; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    onDevice: async (batch) => {
      calls.push([...batch]);
      return Promise.resolve({
        model: 'device-model',
        results: batch.map((t) =>
          t.includes('good')
            ? { label: 'positive', score: 0.8, readable: 1 }
            : { label: 'negative', score: 0.3, readable: 1 },
        ),
      });
    },
  };
}

const target = { apiUrl: 'https://api.example.com', apiKey: 'secret' };

describe('ApiScorer', () => {
  it('sends a page of 25 reviews in one request, with the API key, and answers in order', async () => {
    const api = fakeApi();
    const device = fakeOnDevice();
    const scorer = new ApiScorer({ post: api.post, onDevice: device.onDevice, cache: new AnswerCache(undefined) });
    const page = texts(25).map((t, i) => (i % 2 === 0 ? `${t} good` : t));
    const answer = await scorer.classify(page, target);
    expect(api.calls.map((c) => c.texts.length)).toEqual([25]);
    expect(api.calls[0]?.options.apiKey).toBe('secret');
    expect(answer.scorer).toBe('api');
    expect(answer.model).toBe('api-model');
    expect(answer.note).toBeUndefined();
    expect(answer.results.map((r) => r.label)).toEqual(page.map((t) => (t.includes('good') ? 'positive' : 'negative')));
    expect(device.calls).toEqual([]);
  });

  it('splits 150 reviews into requests of at most 64, and sends no key when there is none', async () => {
    const api = fakeApi();
    const scorer = new ApiScorer({
      post: api.post,
      onDevice: fakeOnDevice().onDevice,
      cache: new AnswerCache(undefined),
    });
    await scorer.classify(texts(150), { apiUrl: target.apiUrl, apiKey: '' });
    expect(api.calls.map((c) => c.texts.length).sort((a, b) => b - a)).toEqual([64, 64, 22]);
    expect(api.calls.every((c) => c.options.apiKey === undefined)).toBe(true);
  });

  it('asks once per distinct text, and not again for texts it has answered', async () => {
    const api = fakeApi();
    const session = new FakeSession();
    const scorer = new ApiScorer({
      post: api.post,
      onDevice: fakeOnDevice().onDevice,
      cache: new AnswerCache(session),
    });
    const first = await scorer.classify(['a good one', 'a bad one', 'a good one'], target);
    expect(api.calls.map((c) => c.texts)).toEqual([['a good one', 'a bad one']]);
    expect(first.results.map((r) => r.label)).toEqual(['positive', 'negative', 'positive']);

    const again = await scorer.classify(['a bad one', 'new and good'], target);
    expect(api.calls.map((c) => c.texts)).toEqual([['a good one', 'a bad one'], ['new and good']]);
    expect(again.results.map((r) => r.label)).toEqual(['negative', 'positive']);

    // A restarted worker finds them in storage.session.
    const restarted = new ApiScorer({
      post: api.post,
      onDevice: fakeOnDevice().onDevice,
      cache: new AnswerCache(session),
    });
    await restarted.classify(['a good one', 'a bad one', 'new and good'], target);
    expect(api.calls).toHaveLength(2);
    // Another API's answers are its own.
    await restarted.classify(['a good one'], { ...target, apiUrl: 'https://other.example.com' });
    expect(api.calls).toHaveLength(3);
  });

  it.each([
    ['unreachable', () => new ApiFailure('unreachable', "Can't reach the ReelSense API at https://api.example.com.")],
    ['a timeout', () => new ApiFailure('timeout', 'The ReelSense API did not answer within 10 seconds.')],
    ['a 503', () => new ApiFailure('server', 'The sentiment model is not available right now.', { status: 503 })],
    ['a 502', () => new ApiFailure('server', 'The sentiment model failed to answer.', { status: 502 })],
    ['a 429', () => new ApiFailure('throttled', 'Too many requests right now.', { status: 429 })],
    ['a bug', () => new Error('boom')],
  ])('on %s, scores on-device and says why', async (_name, fail) => {
    const api = fakeApi(fail);
    const device = fakeOnDevice();
    const scorer = new ApiScorer({ post: api.post, onDevice: device.onDevice, cache: new AnswerCache(undefined) });
    const answer = await scorer.classify(['good film', 'bad film'], target);
    expect(answer.scorer).toBe('on-device');
    expect(answer.model).toBe('device-model');
    expect(answer.results.map((r) => r.score)).toEqual([0.8, 0.3]);
    expect(answer.note).toMatch(/^The API could not be used, so ReelSense scored on-device: /);
    expect(device.calls).toEqual([['good film', 'bad film']]);
  });

  it('leaves a failed API alone for a while, then tries it again', async () => {
    let now = 1_000;
    let down = true;
    const api = fakeApi(() => (down ? new ApiFailure('unreachable', "Can't reach it.") : undefined));
    const { calls } = api;
    const scorer = new ApiScorer({
      post: api.post,
      onDevice: fakeOnDevice().onDevice,
      cache: new AnswerCache(undefined),
      now: () => now,
    });
    await scorer.classify(['one'], target);
    expect(calls).toHaveLength(1);
    now += RETRY_AFTER_MS - 1;
    const meanwhile = await scorer.classify(['two'], target);
    expect(calls).toHaveLength(1);
    expect(meanwhile.note).toContain("Can't reach it.");
    down = false;
    now += 2;
    const back = await scorer.classify(['three'], target);
    expect(calls).toHaveLength(2);
    expect(back.scorer).toBe('api');
    expect(back.note).toBeUndefined();
  });

  it('scores reviews over the API limit on-device and says so', async () => {
    const api = fakeApi();
    const device = fakeOnDevice();
    const scorer = new ApiScorer({ post: api.post, onDevice: device.onDevice, cache: new AnswerCache(undefined) });
    const long = `good ${'x'.repeat(DEFAULT_LIMITS.maxReviewChars)}`;
    const answer = await scorer.classify(['short and good', long], target);
    expect(api.calls.map((c) => c.texts)).toEqual([['short and good']]);
    expect(device.calls).toEqual([[long]]);
    expect(answer.scorer).toBe('api');
    expect(answer.note).toBe("One review was over the API's 20,000-character limit and scored on-device.");
  });
});
