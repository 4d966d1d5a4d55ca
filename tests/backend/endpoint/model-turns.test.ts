/**
 * How plain batches and explanations share the model (backend/endpoint/model-turns.ts), on a
 * clock of the test's own: one task at a time, an equal share of time while both lanes wait,
 * no credit for idle time, and a failed task giving up its turn.
 */
import { describe, expect, it } from 'vitest';
import { ModelTurns, type Lane } from '../../../backend/endpoint/model-turns.ts';

function harness() {
  let clock = 0;
  let running = 0;
  let maxRunning = 0;
  const order: string[] = [];
  const turns = new ModelTurns(() => clock);
  /** A task of `ms` of model time, recorded by name when it starts. */
  const task = (lane: Lane, name: string, ms: number, fail = false): Promise<string> =>
    turns.run(lane, async () => {
      order.push(name);
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setImmediate(resolve));
      clock += ms;
      running--;
      if (fail) throw new Error(`${name} failed`);
      return name;
    });
  return { turns, task, order, maxRunning: () => maxRunning };
}

describe('ModelTurns', () => {
  it('runs a lone task at once, and one task at a time whatever the lanes', async () => {
    const { task, order, maxRunning } = harness();
    await expect(task('explain', 'e1', 5)).resolves.toBe('e1');
    await Promise.all([task('batch', 'b1', 10), task('explain', 'e2', 5), task('batch', 'b2', 10)]);
    expect(order).toEqual(['e1', 'b1', 'e2', 'b2']);
    expect(maxRunning()).toBe(1);
  });

  it('gives each lane an equal share of time while both wait: many short explanations per long batch', async () => {
    const { turns, task, order } = harness();
    const all = [task('batch', 'b1', 100)];
    for (let i = 1; i <= 12; i++) all.push(task('explain', `e${i}`, 10));
    all.push(task('batch', 'b2', 100));
    await Promise.all(all);
    // b1 used 100 ms; the explanations, level with it on arrival at 0, catch up 100 ms, then b2.
    expect(order).toEqual(['b1', ...Array.from({ length: 10 }, (_, i) => `e${i + 1}`), 'b2', 'e11', 'e12']);
    expect(turns.used).toEqual({ batch: 200, explain: 120 });
  });

  it('keeps the share of a lane that queues its next task only when the last one ends', async () => {
    const { task, order } = harness();
    // The explanation lane runs one review at a time: each next one is queued as the last ends.
    const chain = (async () => {
      for (let i = 1; i <= 6; i++) await task('explain', `e${i}`, 10);
    })();
    const batches = (async () => {
      for (let i = 1; i <= 3; i++) await task('batch', `b${i}`, 30);
    })();
    await Promise.all([chain, batches]);
    // Each explanation is queued after the last ends, yet the lane keeps its time: 10 ms each against 30.
    expect(order).toEqual(['e1', 'b1', 'e2', 'e3', 'b2', 'e4', 'e5', 'e6', 'b3']);
  });

  it('gives no credit for idle time: a lane that comes back starts level with the other', async () => {
    const { task, order } = harness();
    for (let i = 1; i <= 5; i++) await task('batch', `b${i}`, 100); // 500 ms with no explanation waiting
    const all = [task('batch', 'b6', 100), task('explain', 'e1', 100), task('explain', 'e2', 100)];
    all.push(task('batch', 'b7', 100));
    await Promise.all(all);
    // Level at 500 ms, the lanes alternate; without the rule, e1 and e2 would have 500 ms of credit
    // and both run before b6.
    expect(order.slice(5)).toEqual(['e1', 'b6', 'e2', 'b7']);
  });

  it('passes a failure on and gives the turn up', async () => {
    const { task, order } = harness();
    const results = await Promise.allSettled([task('explain', 'bad', 5, true), task('batch', 'b1', 5)]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: 'bad failed' } });
    expect(results[1]).toEqual({ status: 'fulfilled', value: 'b1' });
    expect(order).toEqual(['bad', 'b1']);
  });
});
