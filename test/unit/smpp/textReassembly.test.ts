import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../fakes/manualClock.js';
import { Reassembler, splitText, parseUdh, decodeText, type Fragment } from '../../../src/smpp/index.js';


const frag = (sequence: number, payload: string, over: Partial<Fragment<string>> = {}): Fragment<string> => ({
  source: '+4915112345678',
  reference: 7,
  total: 3,
  sequence,
  payload,
  ...over,
});

describe('Reassembler', () => {
  it('completes a message whose parts arrive out of order', () => {
    const r = new Reassembler<string>({ timeoutMs: 60_000 });
    assert.equal(r.add(frag(3, 'C')), undefined);
    assert.equal(r.add(frag(1, 'A')), undefined);
    assert.equal(r.size, 1);
    assert.deepEqual(r.add(frag(2, 'B')), { source: '+4915112345678', reference: 7, total: 3, parts: ['A', 'B', 'C'] });
    assert.equal(r.size, 0);
  });

  it('ignores duplicates (the first copy wins) and counts them', () => {
    const clock = new ManualClock(1_000_000);
    const r = new Reassembler<string>({ timeoutMs: 60_000, now: clock.now });
    r.add(frag(1, 'A'));
    assert.equal(r.add(frag(1, 'A-again')), undefined);
    r.add(frag(2, 'B'));
    assert.deepEqual(r.add(frag(3, 'C'))?.parts, ['A', 'B', 'C']);
    assert.equal(r.stats.duplicates, 1);
    // A late duplicate soon after completion is recognised, not taken for a new message…
    assert.equal(r.add(frag(2, 'B')), undefined);
    assert.equal(r.size, 0);
    assert.equal(r.stats.duplicates, 2);
    // …but after the timeout the reference may be reused by the sender.
    clock.advance(60_000);
    assert.equal(r.add(frag(2, 'B')), undefined);
    assert.equal(r.size, 1);
  });

  it('keeps messages with the same reference apart by sender, recipient and total', () => {
    const r = new Reassembler<string>({ timeoutMs: 60_000 });
    r.add(frag(1, 'x1', { total: 2 }));
    r.add(frag(1, 'y1', { source: 'OTHER', total: 2 }));
    r.add(frag(1, 'z1', { destination: '100', total: 2 }));
    r.add(frag(1, 'w1', { total: 3 })); // same ref, different total: another message
    assert.equal(r.size, 4);
    assert.deepEqual(r.add(frag(2, 'y2', { source: 'OTHER', total: 2 }))?.parts, ['y1', 'y2']);
    assert.deepEqual(r.add(frag(2, 'x2', { total: 2 }))?.parts, ['x1', 'x2']);
    assert.deepEqual(r.add(frag(2, 'z2', { destination: '100', total: 2 })), {
      source: '+4915112345678', destination: '100', reference: 7, total: 2, parts: ['z1', 'z2'],
    });
  });

  it('passes single-part messages straight through and rejects impossible sequences', () => {
    const r = new Reassembler<string>({ timeoutMs: 1000 });
    assert.deepEqual(r.add(frag(1, 'only', { total: 1 }))?.parts, ['only']);
    assert.equal(r.add(frag(4, 'X')), undefined);
    assert.equal(r.add(frag(0, 'X')), undefined);
    assert.equal(r.add(frag(1, 'X', { total: 0 })), undefined);
    assert.equal(r.stats.invalid, 3);
    assert.equal(r.size, 0);
  });

  it('expires partial messages after the timeout, on an injected clock', () => {
    const clock = new ManualClock(1_000_000);
    const r = new Reassembler<string>({ timeoutMs: 30_000, now: clock.now });
    r.add(frag(1, 'A'));
    clock.advance(10_000);
    r.add(frag(1, 'other', { reference: 8 }));
    clock.advance(19_999);
    assert.deepEqual(r.expire(), []);
    clock.advance(1);
    const expired = r.expire();
    assert.equal(expired.length, 1);
    assert.deepEqual(expired[0], {
      source: '+4915112345678', reference: 7, total: 3, parts: ['A', undefined, undefined], received: 1,
      firstSeenAt: 1_000_000, reason: 'timeout',
    });
    assert.equal(r.size, 1);
    clock.advance(10_000);
    assert.equal(r.expire()[0]?.reference, 8);
    assert.equal(r.size, 0);
  });

  it('bounds memory: beyond maxPending the oldest message is evicted and reported', () => {
    const r = new Reassembler<string>({ timeoutMs: 60_000, maxPending: 100 });
    for (let ref = 0; ref < 250; ref++) r.add(frag(1, `m${ref}`, { reference: ref }));
    assert.equal(r.size, 100);
    assert.equal(r.stats.evicted, 150);
    const reported = r.expire();
    assert.equal(reported.length, 100); // the report list is capped too
    assert.ok(reported.every((p) => p.reason === 'evicted'));
    assert.equal(reported[reported.length - 1]?.reference, 149);
    // The newest 100 are still being waited for.
    assert.deepEqual(r.add(frag(2, 'b', { reference: 249 })), undefined);
  });

  it('reassembles what splitText produced, UDH parsed back', () => {
    const text = 'Ω€😀'.repeat(60);
    const split = splitText(text, { method: 'udh8', reference: 200 });
    const r = new Reassembler<string>({ timeoutMs: 1000 });
    let whole: string | undefined;
    for (const part of [...split.parts].reverse()) {
      const udh = parseUdh(part.shortMessage);
      const c = udh.concat;
      assert.ok(c);
      const done = r.add({ source: 'S', reference: c.reference, total: c.total, sequence: c.sequence, payload: decodeText(part.shortMessage.subarray(udh.headerLength), split.encoding) });
      if (done) whole = done.parts.join('');
    }
    assert.equal(whole, text);
  });
});
