/**
 * The DynamicBatcher against a recording runner: what it gathers, when it sends, and that each
 * request gets its own results back. The runner scores a review by its length, so a result that
 * went to the wrong request shows.
 */
import { describe, expect, it } from 'vitest';
import type { SentimentResult } from '../../../public-api/contract.ts';
import { BatcherClosedError, DynamicBatcher, type BatchRunner } from '../../../backend/endpoint/batcher.ts';

const score = (review: string): SentimentResult => ({
  label: 'positive',
  score: review.length / 1000,
  readable: 1,
});

/** A runner that records each call; `hold` keeps calls pending until `release()`. */
function recorder(options: { hold?: boolean; failOn?: string } = {}) {
  const calls: string[][] = [];
  let running = 0;
  let maxRunning = 0;
  const held: (() => void)[] = [];
  const run: BatchRunner = async (reviews) => {
    calls.push(reviews);
    running++;
    maxRunning = Math.max(maxRunning, running);
    try {
      if (options.hold === true) await new Promise<void>((resolve) => held.push(resolve));
      else await Promise.resolve();
      if (options.failOn !== undefined && reviews.includes(options.failOn)) throw new Error('model failed');
      return reviews.map(score);
    } finally {
      running--;
    }
  };
  return {
    run,
    calls,
    maxRunning: () => maxRunning,
    /** Lets the oldest held call finish. */
    release: () => held.shift()?.(),
    /** Resolves once `n` calls have started. */
    started: async (n: number) => {
      while (calls.length < n) await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('DynamicBatcher', () => {
  it('gathers concurrent submits into one model call and gives each request its own results', async () => {
    const model = recorder();
    const batcher = new DynamicBatcher(model.run, { maxWaitMs: 20 });
    const results = await Promise.all([batcher.submit(['a']), batcher.submit(['bb', 'ccc']), batcher.submit(['dddd'])]);
    expect(model.calls).toEqual([['a', 'bb', 'ccc', 'dddd']]);
    expect(results).toEqual([[score('a')], [score('bb'), score('ccc')], [score('dddd')]]);
  });

  it('sends a full batch at once, without waiting for maxWaitMs', async () => {
    const model = recorder();
    // With an hour to wait, only a full batch can ever be sent.
    const batcher = new DynamicBatcher(model.run, { maxBatch: 3, maxWaitMs: 3_600_000 });
    await expect(Promise.all([batcher.submit(['a', 'b']), batcher.submit(['c'])])).resolves.toHaveLength(2);
    expect(model.calls).toEqual([['a', 'b', 'c']]);
  });

  it('never puts more than maxBatch reviews in one call, and keeps requests whole', async () => {
    const model = recorder();
    const batcher = new DynamicBatcher(model.run, { maxBatch: 4, maxWaitMs: 5 });
    const results = await Promise.all([
      batcher.submit(['a', 'b']),
      batcher.submit(['c', 'd', 'e']),
      batcher.submit(['f']),
      batcher.submit(['g', 'h']),
    ]);
    expect(model.calls).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e', 'f'],
      ['g', 'h'],
    ]);
    expect(results.flat()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(score));
  });

  it('runs a request larger than maxBatch alone, in one call', async () => {
    const model = recorder();
    const batcher = new DynamicBatcher(model.run, { maxBatch: 2, maxWaitMs: 5 });
    const big = ['1', '22', '333', '4444', '55555'];
    const [small, large] = await Promise.all([batcher.submit(['x']), batcher.submit(big)]);
    expect(model.calls).toEqual([['x'], big]);
    expect(small).toEqual([score('x')]);
    expect(large).toEqual(big.map(score));
  });

  it('runs one model call at a time; what arrives meanwhile forms the next batch', async () => {
    const model = recorder({ hold: true });
    const batcher = new DynamicBatcher(model.run, { maxBatch: 64, maxWaitMs: 1 });
    const first = batcher.submit(['first']);
    await model.started(1);
    const later = [batcher.submit(['second']), batcher.submit(['third', 'fourth'])];
    // Even a full batch waits for the running call.
    const full = batcher.submit(Array.from({ length: 64 }, (_, i) => `r${i}`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(model.calls).toHaveLength(1);

    model.release();
    await expect(first).resolves.toEqual([score('first')]);
    await model.started(2);
    expect(model.calls[1]).toEqual(['second', 'third', 'fourth']);
    model.release();
    await model.started(3);
    model.release();
    await expect(Promise.all([...later, full])).resolves.toHaveLength(3);
    expect(model.calls[2]).toHaveLength(64);
    expect(model.maxRunning()).toBe(1);
  });

  it('rejects exactly the requests in a failed call', async () => {
    const model = recorder({ hold: true, failOn: 'boom' });
    const batcher = new DynamicBatcher(model.run, { maxWaitMs: 1 });
    const before = batcher.submit(['fine']);
    await model.started(1);
    // Expectations attached now: the rejections come before this test awaits them.
    const doomed = [batcher.submit(['ok']), batcher.submit(['boom'])].map((request) =>
      expect(request).rejects.toThrow('model failed'),
    );
    model.release();
    await model.started(2);
    const after = batcher.submit(['also fine']);
    model.release();
    await model.started(3);
    model.release();

    await expect(before).resolves.toEqual([score('fine')]);
    await Promise.all(doomed);
    await expect(after).resolves.toEqual([score('also fine')]);
  });

  it('rejects a call whose runner answers the wrong number of predictions', async () => {
    const batcher = new DynamicBatcher(() => Promise.resolve([score('only one')]), { maxWaitMs: 1 });
    await expect(batcher.submit(['a', 'b'])).rejects.toThrow(/1 predictions for 2 reviews/);
  });

  it('reports each call to onBatch', async () => {
    const batches: { reviews: number; requests: number }[] = [];
    const model = recorder();
    const batcher = new DynamicBatcher(model.run, { maxWaitMs: 5, onBatch: (batch) => batches.push(batch) });
    await Promise.all([batcher.submit(['a', 'b']), batcher.submit(['c'])]);
    expect(batches).toEqual([{ reviews: 3, requests: 2 }]);
  });

  it('answers an empty request at once, without a model call', async () => {
    const model = recorder();
    await expect(new DynamicBatcher(model.run).submit([])).resolves.toEqual([]);
    expect(model.calls).toEqual([]);
  });

  it('close() sends what is queued, waits for it, then refuses new work', async () => {
    const model = recorder();
    const batcher = new DynamicBatcher(model.run, { maxWaitMs: 3_600_000 });
    const queued = batcher.submit(['queued']);
    await batcher.close();
    expect(model.calls).toEqual([['queued']]);
    await expect(queued).resolves.toEqual([score('queued')]);
    await expect(batcher.submit(['late'])).rejects.toBeInstanceOf(BatcherClosedError);
  });

  it.each([
    [{ maxBatch: 0 }, /maxBatch/],
    [{ maxBatch: 1.5 }, /maxBatch/],
    [{ maxWaitMs: -1 }, /maxWaitMs/],
  ])('refuses options %j', (options, message) => {
    expect(() => new DynamicBatcher(recorder().run, options)).toThrow(message);
  });
});
