/** When the retained state goes out again (src/mqtt/stateThresholds.ts): changes an operator cares about, judged against the last state published. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStateSnapshot } from '../../../src/mqtt/index.js';
import { StatePublisher } from '../../../src/mqtt/statePublisher.js';
import { operatorRelevantChange } from '../../../src/mqtt/stateThresholds.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { sampleSnapshot } from '../../fakes/agentHandlers.js';

const base = sampleSnapshot({ modem: { ...sampleSnapshot().modem, signalDbm: -80 }, lastLocation: { lat: 51.5, lon: -0.12, altitudeM: 30, accuracyM: 5, at: '2026-12-06T08:00:00.000Z' } });
const with_ = (patch: (s: AgentStateSnapshot) => Partial<AgentStateSnapshot>): AgentStateSnapshot => ({ ...base, ...patch(base) });

describe('operator-relevant state changes', () => {
  it('ignores uptime, the fix time, the window in use and a few dB of signal', () => {
    assert.equal(operatorRelevantChange(base, with_(() => ({ uptimeSeconds: 99_999 }))), false);
    assert.equal(operatorRelevantChange(base, with_((s) => ({ lastLocation: { ...s.lastLocation!, at: '2026-12-06T09:00:00.000Z', altitudeM: 31, accuracyM: 9 } }))), false);
    assert.equal(operatorRelevantChange(base, with_((s) => ({ smpp: { ...s.smpp, windowInUse: 7 } }))), false);
    assert.equal(operatorRelevantChange(base, with_((s) => ({ modem: { ...s.modem, signalDbm: -85 } }))), false, '5 dB');
  });

  it('publishes a signal move of 6 dB or a lost reading, a move of 100 m or a lost fix', () => {
    assert.equal(operatorRelevantChange(base, with_((s) => ({ modem: { ...s.modem, signalDbm: -86 } }))), true);
    assert.equal(operatorRelevantChange(base, with_((s) => ({ modem: { ...s.modem, signalDbm: null } }))), true);
    // 0.001° of latitude is ~111 m; 0.0005° ~56 m.
    assert.equal(operatorRelevantChange(base, with_((s) => ({ lastLocation: { ...s.lastLocation!, lat: 51.5005 } }))), false);
    assert.equal(operatorRelevantChange(base, with_((s) => ({ lastLocation: { ...s.lastLocation!, lat: 51.501 } }))), true);
    assert.equal(operatorRelevantChange(base, with_(() => ({ lastLocation: null }))), true);
  });

  it('publishes the age of the oldest waiting message only when it crosses a step (30 min, 1 h, 6 h, 1 day)', () => {
    const aged = (age: number | null): AgentStateSnapshot => with_((s) => ({ outbox: { ...s.outbox, oldestQueuedAgeSeconds: age } }));
    assert.equal(operatorRelevantChange(aged(null), aged(0)), false, 'a reading waiting to share an SMS is routine');
    assert.equal(operatorRelevantChange(aged(0), aged(905)), false, 'a reading sent at its kind\'s default delay (15 min) is on time');
    assert.equal(operatorRelevantChange(aged(1799), aged(1800)), true, 'twice the default delay');
    assert.equal(operatorRelevantChange(aged(1800), aged(3599)), false);
    assert.equal(operatorRelevantChange(aged(4000), aged(null)), true, 'a backlog cleared');
  });

  it('publishes queue counts when they cross a power of ten, queued ones also when they fall to zero; failed and expired at every change', () => {
    const counts = (patch: Partial<AgentStateSnapshot['outbox']['byState']>): AgentStateSnapshot => with_((s) => ({ outbox: { ...s.outbox, byState: { ...s.outbox.byState, ...patch } } }));
    assert.equal(operatorRelevantChange(counts({ queued: 0, delivered: 3 }), counts({ queued: 1, delivered: 9 })), false, 'a reading or two is routine');
    assert.equal(operatorRelevantChange(counts({ queued: 9 }), counts({ queued: 10 })), true, 'a backlog');
    assert.equal(operatorRelevantChange(counts({ delivered: 120 }), counts({ delivered: 990 })), false);
    assert.equal(operatorRelevantChange(counts({ queued: 10 }), counts({ queued: 9 })), true, 'back under ten');
    assert.equal(operatorRelevantChange(counts({ queued: 3 }), counts({ queued: 0 })), true, 'empty again: the retained state says so exactly');
    assert.equal(operatorRelevantChange(counts({ sending: 0 }), counts({ sending: 1 })), false);
    assert.equal(operatorRelevantChange(counts({ sending: 9, submitted: 9 }), counts({ sending: 10, submitted: 10 })), false, 'a window\'s worth in flight is routine');
    assert.equal(operatorRelevantChange(counts({ submitted: 99 }), counts({ submitted: 100 })), true, 'receipts not coming back');
    assert.equal(operatorRelevantChange(counts({ submitted: 1, delivered: 4 }), counts({ submitted: 0, delivered: 5 })), false, 'a receipt moving a report on is routine');
    assert.equal(operatorRelevantChange(counts({ failed: 0 }), counts({ failed: 1 })), true);
    assert.equal(operatorRelevantChange(counts({ expired: 4 }), counts({ expired: 5 })), true);
    const byPriority = (critical: number): AgentStateSnapshot => with_((s) => ({ outbox: { ...s.outbox, queuedByPriority: { ...s.outbox.queuedByPriority, critical } } }));
    assert.equal(operatorRelevantChange(byPriority(0), byPriority(4)), false);
    assert.equal(operatorRelevantChange(byPriority(40), byPriority(0)), true);
  });

  it('publishes any change of link, SIM, registration, operator or drops', () => {
    assert.equal(operatorRelevantChange(base, with_((s) => ({ smpp: { ...s.smpp, state: 'connecting' } }))), true);
    assert.equal(operatorRelevantChange(base, with_((s) => ({ modem: { ...s.modem, registration: 'roaming' } }))), true);
    assert.equal(operatorRelevantChange(base, with_((s) => ({ outbox: { ...s.outbox, drops: s.outbox.drops + 1 } }))), true);
  });

  it('judges against the state last published, so a slow drift adds up: 1 dB a minute goes out every 6 dB', () => {
    const clock = new ManualClock(1_000_000);
    const sent: Array<number | null> = [];
    const publisher = new StatePublisher(clock, 1000, 0, (snapshot) => {
      sent.push(snapshot.modem.signalDbm);
      return true;
    });
    for (let i = 0; i <= 12; i++) {
      publisher.update(with_((s) => ({ modem: { ...s.modem, signalDbm: -80 - i } })));
      clock.advance(60_000);
    }
    assert.deepEqual(sent, [-80, -86, -92]);
  });
});
