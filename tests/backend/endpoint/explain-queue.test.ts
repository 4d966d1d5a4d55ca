/**
 * The endpoint server's explanation lane (backend/endpoint/explain-queue.ts) against a recording
 * runner: one review at a time, reviews of concurrent requests taking turns, each request its own
 * results in order, a failure confined to its request, requests withdrawn, and closing.
 */
import { describe, expect, it } from 'vitest';
import { BatcherClosedError } from '../../../backend/endpoint/batcher.ts';
import { ExplainQueue } from '../../../backend/endpoint/explain-queue.ts';

/** A runner that records the order of its calls; `hold` keeps each pending until `release()`. */
function recorder(options: { hold?: boolean; failOn?: string } = {}) {
  const order: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const held: (() => void)[] = [];
  const run = async (review: string): Promise<string> => {
    order.push(review);
    running++;
    maxRunning = Math.max(maxRunning, running);
    try {
      if (options.hold === true) await new Promise<void>((resolve) => held.push(resolve));
      else await new Promise((resolve) => setImmediate(resolve));
      if (review === options.failOn) throw new Error('explanation failed');
      return `explained ${review}`;
    } finally {
      running--;
    }
  };
  return {
    run,
    order,
    maxRunning: () => maxRunning,
    release: () => held.shift()?.(),
    started: async (n: number) => {
      while (order.length < n) await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('ExplainQueue', () => {
  it('runs one review at a time and gives each request its results in order', async () => {
    const model = recorder();
    const queue = new ExplainQueue(model.run);
    const results = await Promise.all([queue.submit(['a', 'b', 'c']), queue.submit(['d']), queue.submit(['e', 'f'])]);
    expect(results).toEqual([
      ['explained a', 'explained b', 'explained c'],
      ['explained d'],
      ['explained e', 'explained f'],
    ]);
    expect(model.maxRunning()).toBe(1);
  });

  it('lets requests take turns review by review, so a short one is not held up behind a long one', async () => {
    const model = recorder({ hold: true });
    const queue = new ExplainQueue(model.run);
    const long = queue.submit(['a1', 'a2', 'a3']);
    await model.started(1);
    const short = queue.submit(['b1']); // while a1 runs
    for (let n = 2; n <= 4; n++) {
      model.release();
      await model.started(n);
    }
    model.release();
    expect(await Promise.all([long, short])).toEqual([
      ['explained a1', 'explained a2', 'explained a3'],
      ['explained b1'],
    ]);
    // b1 came while a1 ran: it runs next, before the rest of the long request.
    expect(model.order).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(model.maxRunning()).toBe(1);
  });

  it('rejects only the request whose review failed, and runs no more of it', async () => {
    const model = recorder({ failOn: 'bad' });
    const queue = new ExplainQueue(model.run);
    const [failed, other] = await Promise.allSettled([queue.submit(['ok', 'bad', 'never']), queue.submit(['fine'])]);
    expect(failed).toMatchObject({ status: 'rejected', reason: { message: 'explanation failed' } });
    expect(other).toEqual({ status: 'fulfilled', value: ['explained fine'] });
    expect(model.order).not.toContain('never');
  });

  it('drops a request whose signal aborts: its running review finishes, the rest never run', async () => {
    const model = recorder({ hold: true });
    const queue = new ExplainQueue(model.run);
    const gone = new AbortController();
    const abandoned = queue.submit(['a1', 'a2', 'a3'], gone.signal);
    await model.started(1);
    const waiting = new AbortController();
    const queued = queue.submit(['q1'], waiting.signal);
    const other = queue.submit(['b1']);
    waiting.abort(new Error('queued, then gone'));
    await expect(queued).rejects.toThrow('queued, then gone');
    gone.abort(new Error('client gone'));
    model.release(); // a1 ends
    await expect(abandoned).rejects.toThrow('client gone');
    await model.started(2);
    model.release();
    await expect(other).resolves.toEqual(['explained b1']);
    expect(model.order).toEqual(['a1', 'b1']);
    await expect(queue.submit(['late'], gone.signal)).rejects.toThrow('client gone');
    await queue.close();
  });

  it('answers an empty list at once, and refuses work once closed, after finishing what was queued', async () => {
    const model = recorder();
    const queue = new ExplainQueue(model.run);
    await expect(queue.submit([])).resolves.toEqual([]);
    const pending = queue.submit(['a', 'b']);
    const closed = queue.close();
    await expect(queue.submit(['late'])).rejects.toBeInstanceOf(BatcherClosedError);
    await closed;
    await expect(pending).resolves.toEqual(['explained a', 'explained b']);
    await expect(new ExplainQueue(model.run).close()).resolves.toBeUndefined();
  });
});
