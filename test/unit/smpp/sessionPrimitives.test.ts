import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceAllocator, maxSequenceNumber } from '../../../src/smpp/session/sequence.js';
import { RequestWindow } from '../../../src/smpp/session/window.js';
import { windowForCongestion } from '../../../src/smpp/session/rate.js';
import { Backoff } from '../../../src/smpp/session/backoff.js';
import { transition, canSubmit, type SessionState, type SessionEvent } from '../../../src/smpp/session/state.js';
import { ManualClock } from '../../fakes/manualClock.js';

describe('SequenceAllocator', () => {
  it('counts from 1 and wraps from 0x7FFFFFFF back to 1, never 0', () => {
    const fresh = new SequenceAllocator();
    assert.deepEqual([fresh.next(), fresh.next(), fresh.next()], [1, 2, 3]);
    const nearEnd = new SequenceAllocator(maxSequenceNumber - 1);
    assert.deepEqual([nearEnd.next(), nearEnd.next(), nearEnd.next()], [0x7fffffff, 1, 2]);
  });

  it('is per instance, not global', () => {
    const a = new SequenceAllocator();
    const b = new SequenceAllocator();
    a.next();
    a.next();
    assert.equal(b.next(), 1);
  });
});

describe('RequestWindow', () => {
  it('tracks room, matches by sequence number and expires each entry at its own deadline', () => {
    const clock = new ManualClock(1_000_000);
    const expired: Array<[number, string]> = [];
    const window = new RequestWindow<string>({ size: 2, timeoutMs: 1000, clock, onTimeout: (seq, entry) => expired.push([seq, entry]) });
    window.add(1, 'a');
    assert.ok(window.hasRoom);
    clock.advance(400);
    window.add(2, 'b', 300); // shorter timeout: due at 700
    assert.ok(!window.hasRoom);
    assert.equal(window.take(99), undefined);
    clock.advance(350);
    assert.deepEqual(expired, [[2, 'b']]);
    assert.ok(window.hasRoom);
    clock.advance(300);
    assert.deepEqual(expired, [[2, 'b'], [1, 'a']]);
    assert.equal(window.inFlight, 0);
    assert.equal(clock.pending, 0);
  });

  it('takes answered entries out; its one sweep timer finds nothing and stops', () => {
    const clock = new ManualClock(1_000_000);
    const window = new RequestWindow<string>({ size: 10, timeoutMs: 1000, clock, onTimeout: () => assert.fail('no timeout expected') });
    for (let i = 1; i <= 10; i++) window.add(i, `m${i}`);
    for (let i = 1; i <= 10; i++) assert.equal(window.take(i), `m${i}`);
    assert.equal(clock.pending, 1, 'one timer for the whole window, not one per request');
    clock.advance(5000);
    assert.equal(clock.pending, 0);
  });

  it('drains every entry in sending order when the link drops', () => {
    const clock = new ManualClock(1_000_000);
    const window = new RequestWindow<string>({ size: 3, timeoutMs: 1000, clock, onTimeout: () => assert.fail('drained, not expired') });
    window.add(7, 'x');
    window.add(8, 'y');
    window.add(9, 'z');
    assert.deepEqual(window.drain(), [[7, 'x'], [8, 'y'], [9, 'z']]);
    assert.equal(window.inFlight, 0);
    clock.advance(2000);
  });

  it('resizes for congestion without dropping what is in flight', () => {
    const clock = new ManualClock(1_000_000);
    const window = new RequestWindow<number>({ size: 4, timeoutMs: 1000, clock, onTimeout: () => undefined });
    [1, 2, 3].forEach((n) => window.add(n, n));
    window.resize(2);
    assert.equal(window.inFlight, 3);
    assert.ok(!window.hasRoom);
    window.take(1);
    window.take(2);
    assert.ok(window.hasRoom);
    window.drain();
  });
});

// The send rate (RateController) has its own file: sessionRate.test.ts.
describe('windowForCongestion', () => {
  it('maps v5 congestion_state to a window', () => {
    assert.equal(windowForCongestion(10, 10, 0), 10);
    assert.equal(windowForCongestion(10, 4, 10), 5);
    assert.equal(windowForCongestion(10, 8, 85), 8);
    assert.equal(windowForCongestion(10, 8, 95), 4);
    assert.equal(windowForCongestion(10, 8, 100), 1);
  });
});

describe('Backoff', () => {
  it('grows exponentially to a cap, with bounded jitter', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 8000, jitter: 0.5, random: () => 1 });
    assert.deepEqual([1, 2, 3, 4, 5].map(() => backoff.next('dropped')), [1000, 2000, 4000, 8000, 8000]);
    const low = new Backoff({ initialMs: 1000, jitter: 0.5, random: () => 0 });
    assert.equal(low.next('dropped'), 500);
  });

  it('waits much longer after a refused bind, and resets after a good one', () => {
    const backoff = new Backoff({ random: () => 0.5 });
    const refused = backoff.next('bindRefused');
    assert.ok(refused >= 26_000, `bind refusal retried slowly, got ${refused}`);
    backoff.reset();
    assert.ok(backoff.next('dropped') <= 1000);
  });
});

describe('session state machine', () => {
  it('allows the documented path and refuses impossible moves', () => {
    const path: Array<[SessionEvent, SessionState]> = [['connect', 'connecting'], ['connected', 'binding'], ['bound', 'bound'],
      ['unbind', 'unbinding'], ['closed', 'closed']];
    let state: SessionState = 'closed';
    for (const [event, expected] of path) {
      const next = transition(state, event);
      assert.equal(next, expected, `${state} --${event}-->`);
      state = expected;
    }
    assert.equal(transition('closed', 'bound'), undefined);
    assert.equal(transition('unbinding', 'unbind'), undefined);
    assert.equal(transition('connecting', 'outbind'), 'binding');
    assert.ok(canSubmit('bound'));
    assert.ok(!canSubmit('binding'));
  });
});

describe('RequestWindow storage', () => {
  it('keeps a request that outlives its ring slot (overflow) and still matches, expires and drains it in order', () => {
    const clock = new ManualClock(1_000_000);
    const expired: number[] = [];
    const window = new RequestWindow<string>({ size: 2, timeoutMs: 1000, clock, onTimeout: (seq) => expired.push(seq) });
    window.add(1, 'stuck', 5000);
    // 64 slots for a window of 2: sequence 65 lands on the slot the stuck request still holds.
    for (let seq = 2; seq <= 70; seq++) {
      window.add(seq, `m${seq}`);
      assert.equal(window.take(seq), `m${seq}`);
    }
    window.add(65, 'collides');
    assert.ok(window.has(1) && window.has(65));
    assert.equal(window.inFlight, 2);
    assert.equal(window.take(65), 'collides');
    window.add(129, 'collides again');
    clock.advance(1000);
    assert.deepEqual(expired, [129]);
    window.add(193, 'third');
    assert.deepEqual(window.drain().map(([seq, entry]) => [seq, entry]), [[1, 'stuck'], [193, 'third']]);
    assert.equal(window.inFlight, 0);
  });

  it('works across the sequence-number wrap', () => {
    const clock = new ManualClock(1_000_000);
    const window = new RequestWindow<number>({ size: 10, timeoutMs: 1000, clock, onTimeout: () => assert.fail('no timeout') });
    const seqs = [0x7ffffffe, 0x7fffffff, 1, 2];
    seqs.forEach((seq) => window.add(seq, seq));
    for (const seq of seqs) assert.equal(window.take(seq), seq);
    assert.equal(window.inFlight, 0);
    window.drain();
  });
});
