import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, defaultBackoff, type BackoffOptions } from '../../../src/mqtt/backoff.js';
import { Random } from '../../helpers/random.js';
import { reconnectSpread, type ReconnectSpread } from '../../helpers/reconnectSpread.js';

/**
 * 5,000 devices lose their broker at 0 and it comes back at `upAtMs`: each retries on its own
 * back-off (a retry before `upAtMs` is refused at once and schedules the next), and the first retry
 * after it connects. Returns how those connections are spread after the broker came up.
 */
function simulate(options: BackoffOptions, upAtMs: number, devices = 5000, seed = 19): ReconnectSpread {
  const random = new Random(seed);
  const connectedAt: number[] = [];
  for (let i = 0; i < devices; i++) {
    const backoff = new Backoff(options, () => random.next());
    let t = 0;
    do t += backoff.next();
    while (t < upAtMs);
    connectedAt.push(t);
  }
  return reconnectSpread(connectedAt, upAtMs);
}

describe('reconnect back-off across a fleet', () => {
  for (const upAtMs of [300, 3000, 10_000, 60_000]) {
    it(`5,000 devices whose broker is back after ${upAtMs / 1000} s do not reconnect in one burst`, () => {
      const spread = simulate(defaultBackoff, upAtMs);
      assert.equal(spread.count, 5000);
      // Half-jittered steps: at least half a first step (500 ms) between the first and the last.
      assert.ok(spread.lastMs - spread.firstMs >= 450, `spread over ${spread.lastMs - spread.firstMs} ms`);
      // Uniform over >= 500 ms puts ~20% in a 100 ms window; a storm would put most of them there.
      assert.ok(spread.busiest100Ms <= 0.25 * 5000, `busiest 100 ms held ${spread.busiest100Ms} of 5000`);
    });
  }

  it('would catch a storm: without jitter every device comes back in the same millisecond', () => {
    const spread = simulate({ ...defaultBackoff, jitter: 0 }, 3000);
    assert.equal(spread.busiest100Ms, 5000);
  });
});
