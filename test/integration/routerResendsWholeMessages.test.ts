/**
 * Router + the real SQLite outbox: readings are packed into report messages kept as built; a
 * failed message and a message cut off by a crash go out again byte for byte with the same
 * sequence number, so the centre's duplicate check removes them; a message that lost a reading
 * to expiry is released and the rest is packed anew.
 */
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.js';
import { Router } from '../../src/agent/router/router.js';
import { OutboxRouterStore } from '../../src/agent/router/outboxRouterStore.js';
import type { BuiltMessage } from '../../src/agent/router/types.js';
import { classifySendError } from '../../src/agent/router/classify.js';
import { decodeReport, reportPartCapacity, SequenceTracker } from '../../src/report/index.js';
import { AgentError, ErrorCode } from '../../src/errors.js';
import { ManualClock } from '../fakes/manualClock.js';

const minute = 60_000;

class ScriptedSmsc {
  readonly received: BuiltMessage[] = [];
  outcome: 'ack' | 'timeout' | 'hang' = 'ack';
  send(message: BuiltMessage): Promise<readonly string[]> {
    this.received.push(message);
    if (this.outcome === 'hang') return new Promise(() => undefined);
    if (this.outcome === 'timeout') return Promise.reject(new AgentError('no submit_sm_resp', ErrorCode.Smpp_ResponseTimeout));
    return Promise.resolve([`id-${this.received.length}`]);
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(path: string, timers: ManualClock, recover = false): Store {
  return openStore({
    path,
    synchronous: 'normal',
    recoverSending: recover,
    outbox: { clock: timers, random: () => 0.5, kinds: { telemetry: { ttlMs: 60 * minute } } },
  });
}

function makeRouter(store: Store, timers: ManualClock, smsc: ScriptedSmsc, link = { bound: true }): Router {
  return new Router({
    store: new OutboxRouterStore(store.outbox),
    senders: { smpp: smsc },
    links: () => ({ smppBound: link.bound, smppDownSince: 0, modemReady: false }),
    kinds: () => ({ maxDelayMs: 0, encoding: 'text', modemFallback: false }),
    device: '42',
    destinations: { smpp: '+447700900000', modem: '+447700900000' },
    maxParts: 4,
    capacity: { text: reportPartCapacity('text', { split: 'udh8' }), binary: reportPartCapacity('binary', { split: 'udh8' }) },
    fallbackAfterMs: 5 * minute,
    windows: { smpp: 10, modem: 1 },
    classify: classifySendError,
    clock: timers,
  });
}

const reading = (i: number) => ({ kind: 'telemetry', priority: 'normal' as const, payload: JSON.stringify({ time: 1_800_000_000 + i, fields: { T: i } }) });
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'esa-router-'));
  dirs.push(dir);
  return join(dir, 'agent.db');
}

describe('router over the SQLite outbox', () => {
  it('re-sends a failed message as built, and the centre keeps one copy', async () => {
    const timers = new ManualClock(1_800_000_000_000);
    const store = open(tempDb(), timers);
    const smsc = new ScriptedSmsc();
    const router = makeRouter(store, timers, smsc);
    store.outbox.enqueueMany([reading(1), reading(2), reading(3)]);
    smsc.outcome = 'timeout';
    router.start();
    await settle();
    assert.equal(smsc.received.length, 1);
    assert.equal(store.outbox.stats().byState.queued.rows, 3, 'back in the queue, bound to their message');
    smsc.outcome = 'ack';
    timers.advance(10 * minute);
    await settle();
    assert.equal(smsc.received.length, 2);
    const [first, second] = smsc.received;
    assert.deepEqual([second?.seq, second?.payload], [first?.seq, first?.payload]);
    const centre = new SequenceTracker();
    const verdicts = smsc.received.map((m) => centre.accept('42', decodeReport(m.payload).seq).kind);
    assert.deepEqual(verdicts, ['new', 'duplicate']);
    assert.equal(store.outbox.stats().byState.submitted.rows, 3);
    await router.stop(1000);
    store.close();
  });

  it('after a crash mid-send, re-sends the same message from the reopened database', async () => {
    const path = tempDb();
    const timers = new ManualClock(1_800_000_000_000);
    let store = open(path, timers);
    const smsc = new ScriptedSmsc();
    smsc.outcome = 'hang';
    let router = makeRouter(store, timers, smsc);
    store.outbox.enqueueMany([reading(1), reading(2)]);
    router.start();
    assert.equal(smsc.received.length, 1);
    store.close(); // the process dies here: no response was recorded

    store = open(path, timers, true);
    assert.equal(store.recovered, 2);
    smsc.outcome = 'ack';
    router = makeRouter(store, timers, smsc);
    router.start();
    await settle();
    assert.equal(smsc.received.length, 2);
    assert.deepEqual([smsc.received[1]?.seq, smsc.received[1]?.payload], [smsc.received[0]?.seq, smsc.received[0]?.payload]);
    await router.stop(1000);
    store.close();
  });

  it('releases a message that lost a reading to expiry and packs the rest with a new number', async () => {
    const timers = new ManualClock(1_800_000_000_000);
    const store = open(tempDb(), timers);
    const smsc = new ScriptedSmsc();
    const link = { bound: true };
    const router = makeRouter(store, timers, smsc, link);
    store.outbox.enqueue({ ...reading(1), ttlMs: 2 * minute });
    store.outbox.enqueue(reading(2));
    smsc.outcome = 'timeout';
    router.start();
    await settle();
    link.bound = false; // the SMSC is away while reading 1 expires
    smsc.outcome = 'ack';
    timers.advance(10 * minute);
    store.outbox.sweep();
    link.bound = true;
    router.kick();
    await settle();
    const last = smsc.received.at(-1);
    assert.ok(last !== undefined && last !== smsc.received[0]);
    assert.notEqual(last.seq, smsc.received[0]?.seq);
    assert.deepEqual(decodeReport(last.payload).readings.map((r) => r.fields['T']), [2]);
    assert.equal(store.outbox.stats().byState.expired.rows, 1);
    await router.stop(1000);
    store.close();
  });
});
