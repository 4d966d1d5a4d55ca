/** Where latency turns up in the load ramp. */
import { describe, expect, it } from 'vitest';
import { findKnee } from '../../bench/lib/knee.ts';

const step = (connections: number, requestsPerSecond: number, p50: number) => ({ connections, requestsPerSecond, p50 });

describe('findKnee', () => {
  it('finds the first step where p50 more than doubles while throughput gains under 10%', () => {
    const knee = findKnee([step(1, 200, 5), step(8, 700, 11), step(32, 740, 43), step(64, 745, 86)]);
    expect(knee.connections).toBe(32);
    expect(knee.index).toBe(2);
    expect(knee.reason).toMatch(/from 8 to 32 connections p50 grows 3\.9x/);
  });

  it('does not call it a knee when latency doubles but throughput still grows by 10% or more', () => {
    expect(findKnee([step(1, 200, 5), step(8, 900, 12), step(32, 1000, 30)]).connections).toBeNull();
  });

  it('does not call it a knee when throughput stalls but latency grows 2x or less', () => {
    expect(findKnee([step(1, 500, 5), step(8, 510, 10)]).connections).toBeNull();
  });

  it('counts falling throughput as no gain', () => {
    expect(findKnee([step(1, 500, 5), step(8, 300, 40)]).connections).toBe(8);
  });

  it('has nothing to find in fewer than two steps', () => {
    expect(findKnee([]).connections).toBeNull();
    expect(findKnee([step(1, 100, 5)]).connections).toBeNull();
  });
});
