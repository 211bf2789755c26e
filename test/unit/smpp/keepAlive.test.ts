/**
 * Liveness counts whole PDUs: bytes trickling in do not hold off enquire_link, and a PDU that
 * begins but does not complete within the response timeout makes the link dead.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeepAlive } from '../../../src/smpp/session/keepAlive.js';
import { ManualClock } from '../../fakes/manualClock.js';

function setup(idleMs: number, stallMs: number): { clock: ManualClock; keepAlive: KeepAlive; enquiries: number[]; deaths: string[] } {
  const clock = new ManualClock();
  const enquiries: number[] = [];
  const deaths: string[] = [];
  const keepAlive = new KeepAlive(clock, idleMs, () => {
    enquiries.push(clock.now());
    return new Promise(() => undefined); // never answered within these tests
  }, (reason) => deaths.push(reason), stallMs);
  keepAlive.start();
  return { clock, keepAlive, enquiries, deaths };
}

describe('KeepAlive', () => {
  it('sends enquire_link after the idle time even while bytes of an unfinished PDU trickle in', () => {
    const { clock, keepAlive, enquiries, deaths } = setup(2000, 100_000);
    for (let t = 0; t < 2500; t += 500) {
      clock.advance(500);
      keepAlive.progress(false, true); // a byte, no PDU finished
    }
    assert.deepEqual(enquiries, [2000]);
    assert.deepEqual(deaths, []);
    keepAlive.stop();
  });

  it('a whole PDU holds off enquire_link', () => {
    const { clock, keepAlive, enquiries } = setup(2000, 1000);
    for (let t = 0; t < 6000; t += 500) {
      clock.advance(500);
      keepAlive.progress(true, false);
    }
    assert.deepEqual(enquiries, []);
    keepAlive.stop();
  });

  it('a PDU that does not complete within the stall time is a dead link', () => {
    const { clock, keepAlive, deaths } = setup(30_000, 1000);
    clock.advance(100);
    keepAlive.progress(false, true);
    clock.advance(600);
    keepAlive.progress(false, true); // more bytes of the same PDU: its clock keeps running
    assert.deepEqual(deaths, []);
    clock.advance(400);
    assert.deepEqual(deaths, ['stalled']);
    keepAlive.stop();
  });

  it('PDUs completing in time, each split across reads, are alive', () => {
    const { clock, keepAlive, deaths } = setup(30_000, 1000);
    for (let i = 0; i < 20; i++) {
      clock.advance(600);
      keepAlive.progress(true, true); // one PDU finished, the next begun
    }
    clock.advance(600);
    keepAlive.progress(true, false);
    clock.advance(5000);
    assert.deepEqual(deaths, []);
    keepAlive.stop();
  });
});
