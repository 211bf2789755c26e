/** The simulator's per-bind submit limits (src/sim/smsc/throttle.ts): sliding and fixed one-second windows. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { submitThrottle } from '../../../src/sim/smsc/throttle.js';

function accepted(window: 'sliding' | 'fixed', perSecond: number, arrivals: readonly number[]): number[] {
  const throttle = submitThrottle(perSecond, window, 0);
  return arrivals.filter((at) => throttle.take(at));
}

describe('simulator throttle windows', () => {
  it('sliding: never more than N accepted in any 1000 ms, and a refused submit does not count', () => {
    const arrivals = Array.from({ length: 400 }, (_, i) => i * 17); // ~59/s offered
    const ok = accepted('sliding', 10, arrivals);
    for (let i = 10; i < ok.length; i++) assert.ok(ok[i]! - ok[i - 10]! >= 1000, `11 accepted within a second at ${ok[i]}`);
    assert.ok(ok.length >= 60, `accepts as soon as the window allows: ${ok.length} in 6.8 s`);
  });

  it('fixed: N per whole second since the bind, so a burst across the boundary gets 2N through', () => {
    const burst = [...Array.from({ length: 5 }, () => 990), ...Array.from({ length: 5 }, () => 1010)];
    assert.equal(accepted('fixed', 3, burst).length, 6, 'three before the boundary, three after it');
    assert.equal(accepted('sliding', 3, burst).length, 3, 'a sliding window sees them in one second');
  });

  it('fixed: a quiet spell skips whole seconds (the boundary stays aligned with the bind)', () => {
    const ok = accepted('fixed', 2, [100, 200, 300, 5_500, 5_600, 5_700, 6_000, 6_001]);
    assert.deepEqual(ok, [100, 200, 5_500, 5_600, 6_000, 6_001]);
  });
});
