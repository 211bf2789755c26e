/**
 * The rate controller's lessons, one at a time, on a manual clock: what a throttled answer
 * teaches, and what it must not (jitter on a loaded host looks like a lower limit now and then).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateController } from '../../../src/smpp/index.js';
import { ManualClock } from '../../fakes/manualClock.js';

/**
 * Sends whenever the controller allows, for `ms`; each send accepted unless `refuse` says true (refused)
 * or 'uncounted' (accepted, but the controller never hears of it: stands for an answer counted in another second).
 */
function hold(rate: RateController, clock: ManualClock, ms: number, refuse: (sentAt: number) => boolean | 'uncounted' = () => false): number[] {
  const sent: number[] = [];
  const end = clock.now() + ms;
  while (clock.now() < end) {
    const wait = rate.tryTake();
    if (wait > 0) {
      clock.advance(Math.min(wait, end - clock.now()));
      continue;
    }
    const at = clock.now();
    sent.push(at);
    const answer = refuse(at);
    if (answer === true) rate.throttled(at);
    else if (answer === false) rate.accepted(at);
  }
  return sent;
}

/** A controller that learned a limit of `limit` from its first throttle, at time `clock.now()`. */
function learnedAt(limit: number, clock: ManualClock): RateController {
  const rate = new RateController({ clock });
  for (let i = 0; i < limit; i++) {
    rate.tryTake();
    rate.accepted(clock.now());
  }
  rate.tryTake();
  assert.equal(rate.throttled(clock.now()), 'learned');
  assert.equal(rate.learnedLimit, limit);
  return rate;
}

describe('rate controller lessons', () => {
  it('a refused send does not hold back the next one: the SMSC did not count it', () => {
    const clock = new ManualClock(1_000_000);
    const rate = learnedAt(10, clock);
    clock.advance(5_000);
    hold(rate, clock, 3_000);
    // One send refused (jitter at the SMSC): the next send waits only for the 10th accepted one to age, not for the refused one.
    const refusedAt = clock.now() + rate.tryTake();
    clock.advance(refusedAt - clock.now());
    assert.equal(rate.tryTake(), 0);
    assert.equal(rate.throttled(clock.now()), 'guard-widened');
    const wait = rate.tryTake();
    assert.ok(wait < 150, `the resend may go within one interval (~100 ms), not a whole extra slot later: waits ${wait} ms`);
  });

  it('a failed probe goes back to the level that held, even when the probe second looked lower', () => {
    const clock = new ManualClock(1_000_000);
    const rate = learnedAt(10, clock);
    clock.advance(2_000);
    // Held 10 for longer than the probe wait: the controller probes 11.
    hold(rate, clock, 16_000);
    assert.equal(rate.learnedLimit, 11, 'probing one more');
    // Three of the probe's second not counted as accepted where the SMSC counted them: the refusal shows 8 + the probe's own.
    let n = 0;
    const sent = hold(rate, clock, 1_000, () => (n++ % 4 === 0 ? 'uncounted' : false));
    rate.tryTake();
    assert.equal(rate.throttled(sent.at(-1)!), 'probe-failed');
    assert.equal(rate.learnedLimit, 10, 'back to the 10 that held, not down to what one jittery second showed');
  });

  it('a throttle during a probe with the whole probe level accepted is jitter: the probe goes on', () => {
    const clock = new ManualClock(1_000_000);
    const rate = learnedAt(10, clock);
    clock.advance(2_000);
    hold(rate, clock, 16_000);
    assert.equal(rate.learnedLimit, 11);
    hold(rate, clock, 3_000);
    const wait = rate.tryTake();
    clock.advance(wait);
    assert.equal(rate.tryTake(), 0);
    assert.equal(rate.throttled(clock.now()), 'guard-widened');
    assert.equal(rate.learnedLimit, 11);
  });

  it('lone unexplained throttles, or a bunch within a second, are jitter; one a second apart means the limit fell', () => {
    const clock = new ManualClock(1_000_000);
    const rate = learnedAt(10, clock);
    clock.advance(2_000);
    hold(rate, clock, 3_000);
    // Three refusals in a row: the 2nd and 3rd with fewer than 10 accepted in the second before them.
    let refusals = 0;
    hold(rate, clock, 300, () => refusals++ < 3);
    assert.equal(rate.learnedLimit, 10, 'a bunch is one event');
    // Two seconds later another bunch: a lower limit refuses in every second.
    hold(rate, clock, 2_000);
    let again = 0;
    hold(rate, clock, 500, () => again++ < 2);
    assert.equal(rate.learnedLimit, 9, 'lowered to what the SMSC accepted');
  });

  it('after a lowering, probes the level that held before at the first wait, not after the backed-off one', () => {
    const clock = new ManualClock(1_000_000);
    const rate = learnedAt(10, clock);
    clock.advance(2_000);
    // Two failed probes (11 refused at once): the wait for probing 11 again has doubled twice, to 60 s.
    for (let i = 0; i < 2; i++) {
      hold(rate, clock, 15_000 * 2 ** i + 1_000, () => rate.learnedLimit === 11);
      assert.equal(rate.learnedLimit, 10);
    }
    // Jitter lowers it to 9: two bunches of unexplained throttles two seconds apart.
    hold(rate, clock, 3_000);
    let n = 0;
    hold(rate, clock, 300, () => n++ < 2);
    hold(rate, clock, 2_000);
    n = 0;
    hold(rate, clock, 300, () => n++ < 2);
    assert.equal(rate.learnedLimit, 9);
    // 10 is under the level that failed (11): it is tried again after 15 s, not 60 s, and holds.
    hold(rate, clock, 17_000);
    assert.equal(rate.learnedLimit, 10);
  });
});
