import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStateSnapshot } from '../../../src/mqtt/index.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { StatePublisher } from '../../../src/mqtt/statePublisher.js';
import { sampleSnapshot } from '../../fakes/agentHandlers.js';

function withSignal(signalDbm: number): AgentStateSnapshot {
  return sampleSnapshot({ modem: { ...sampleSnapshot().modem, signalDbm } });
}

function setup(minIntervalMs = 1000, heartbeatMs = 0): { clock: ManualClock; sent: { at: number; signal: number | null }[]; online: { value: boolean }; publisher: StatePublisher } {
  const clock = new ManualClock(1_000_000);
  const sent: { at: number; signal: number | null }[] = [];
  const online = { value: true };
  const publisher = new StatePublisher(clock, minIntervalMs, heartbeatMs, (snapshot) => {
    if (!online.value) return false;
    sent.push({ at: clock.now(), signal: snapshot.modem.signalDbm });
    return true;
  });
  return { clock, sent, online, publisher };
}

describe('state publisher (rate limit on a manual clock)', () => {
  it('sends the first change at once and then at most once per interval, trailing edge with the latest', () => {
    const { clock, sent, publisher } = setup(1000);
    publisher.update(withSignal(-70));
    assert.deepEqual(sent, [{ at: 1_000_000, signal: -70 }]);
    for (let i = 1; i <= 5; i++) {
      clock.advance(100);
      publisher.update(withSignal(-70 - 2 * i));
    }
    assert.equal(sent.length, 1, 'held back inside the interval');
    clock.advance(499);
    assert.equal(sent.length, 1);
    clock.advance(1);
    assert.deepEqual(sent[1], { at: 1_001_000, signal: -80 });
    clock.advance(10_000);
    assert.equal(sent.length, 2, 'nothing more without a change');
    assert.equal(clock.pending, 0);
  });

  it('ignores snapshots that differ only in uptime', () => {
    const { clock, sent, publisher } = setup(1000);
    publisher.update(sampleSnapshot());
    clock.advance(5000);
    publisher.update({ ...sampleSnapshot(), uptimeSeconds: 5000 });
    clock.advance(5000);
    assert.equal(sent.length, 1);
    assert.equal(publisher.snapshot?.uptimeSeconds, 5000, 'but keeps it for the next publication');
  });

  it('keeps the latest while offline and sends it in full on reconnect, regardless of the interval', () => {
    const { clock, sent, online, publisher } = setup(1000);
    publisher.update(withSignal(-70));
    online.value = false;
    clock.advance(2000);
    publisher.update(withSignal(-90));
    publisher.update(withSignal(-91));
    clock.advance(2000);
    assert.equal(sent.length, 1);
    online.value = true;
    publisher.publishNow();
    assert.deepEqual(sent.at(-1), { at: 1_004_000, signal: -91 });
    publisher.publishNow();
    assert.equal(sent.length, 3, 'every reconnect republishes, even without a change');
  });

  it('republishes unchanged state every heartbeat so "last seen" stays fresh', () => {
    const { clock, sent, publisher } = setup(1000, 60_000);
    publisher.update(withSignal(-70));
    clock.advance(59_999);
    assert.equal(sent.length, 1);
    clock.advance(1);
    assert.equal(sent.length, 2);
    clock.advance(60_000);
    assert.equal(sent.length, 3);
    publisher.stop();
    assert.equal(clock.pending, 0, 'stop leaves no timer behind');
  });

  it('applies a new minimum interval to a publication already waiting', () => {
    const { clock, sent, publisher } = setup(10_000);
    publisher.update(withSignal(-70));
    clock.advance(100);
    publisher.update(withSignal(-77));
    publisher.setMinInterval(500);
    clock.advance(400);
    assert.deepEqual(sent.at(-1), { at: 1_000_500, signal: -77 });
  });
});
