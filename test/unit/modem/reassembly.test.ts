import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Reassembler } from '../../../src/modem/driver/reassembly.js';
import type { DecodedDeliver } from '../../../src/modem/driver/smsCodec.js';
import type { ReceivedSms } from '../../../src/modem/driver/types.js';
import { ManualClock } from '../../fakes/manualClock.js';

function part(sender: string, reference: number, total: number, sequence: number, text: string): DecodedDeliver {
  return { kind: 'deliver', sender, smsc: undefined, timestamp: '2024-01-01T00:00:00+00:00', text, dataHex: undefined, concat: { reference, total, sequence }, messageClass: undefined };
}

describe('Reassembler', () => {
  it('joins parts arriving out of order and interleaved with another sender, keyed by sender/ref/total', () => {
    const clock = new ManualClock();
    const out: ReceivedSms[] = [];
    const r = new Reassembler(clock, 60_000, (sms) => out.push(sms));
    r.add(part('+1', 7, 3, 3, 'C'), { memory: 'SM', index: 3 });
    r.add(part('+2', 7, 2, 1, 'x'));
    r.add(part('+1', 7, 3, 1, 'A'), { memory: 'SM', index: 1 });
    r.add(part('+1', 7, 3, 2, 'B'), { memory: 'SM', index: 2 });
    assert.equal(out.length, 1);
    assert.equal(out[0]?.text, 'ABC');
    assert.deepEqual(out[0]?.stored.map((s) => s.index), [1, 2, 3]);
    assert.equal(r.pending, 1);
  });

  it('hands out a partial message when the timeout passes, and keeps the newest copy of a duplicate part', () => {
    const clock = new ManualClock();
    const out: ReceivedSms[] = [];
    const r = new Reassembler(clock, 10_000, (sms) => out.push(sms));
    r.add(part('+1', 9, 2, 1, 'old'));
    r.add(part('+1', 9, 2, 1, 'new'));
    clock.advance(9_999);
    assert.equal(out.length, 0);
    clock.advance(1);
    assert.deepEqual(out.map((m) => [m.text, m.complete, m.parts]), [['new', false, 2]]);
    assert.equal(clock.pending, 0);
  });

  it('on flush keeps stored partials on the modem for the next start, and hands out direct ones', () => {
    const clock = new ManualClock();
    const out: ReceivedSms[] = [];
    const r = new Reassembler(clock, 60_000, (sms) => out.push(sms));
    r.add(part('+1', 1, 2, 1, 'stored'), { memory: 'SM', index: 4 });
    r.add(part('+2', 2, 2, 1, 'direct'));
    r.flush();
    assert.deepEqual(out.map((m) => [m.sender, m.complete]), [['+2', false]]);
    assert.equal(r.pending, 0);
    assert.equal(clock.pending, 0);
  });

  it('caps waiting messages per sender, in total and in bytes: the oldest is handed out incomplete, its timer cleared', () => {
    const clock = new ManualClock();
    const out: ReceivedSms[] = [];
    const r = new Reassembler(clock, 60_000, (sms) => out.push(sms), { maxMessages: 4, maxPerSender: 2, maxBytes: 1000 });
    for (let ref = 1; ref <= 3; ref++) r.add(part('+1', ref, 3, 1, `one-${ref}`));
    assert.deepEqual(out.map((m) => [m.text, m.complete, m.received, m.parts]), [['one-1', false, 1, 3]], "the sender's oldest went");
    r.add(part('+2', 1, 3, 1, 'two'));
    r.add(part('+3', 1, 3, 1, 'three'));
    assert.equal(r.pending, 4);
    r.add(part('+4', 1, 3, 1, 'four'));
    assert.equal(out.at(-1)?.text, 'one-2', 'the oldest overall went');
    assert.equal(r.pending, 4);
    r.add(part('+5', 1, 3, 1, 'x'.repeat(990)));
    assert.ok(out.length >= 4, 'bytes over the cap push the oldest out');
    assert.equal(clock.pending, r.pending, 'a timer per waiting message, no more');
    // The newest messages still complete.
    r.add(part('+5', 1, 3, 2, 'y'));
    r.add(part('+5', 1, 3, 3, 'z'));
    assert.equal(out.at(-1)?.complete, true);
  });
});
