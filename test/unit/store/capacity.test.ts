import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { DroppedReport, Priority } from '../../../src/store/index.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());
function track(opened: TestStore): TestStore {
  current = opened;
  return opened;
}

function queuedPayloads(s: TestStore): string[] {
  return [...s.outbox.list({ state: 'queued' })].map((r) => String(r.payload));
}

describe('outbox caps, drop order and coalescing', () => {
  it('drops the oldest of the lowest priority first when the row cap is reached', () => {
    const announced: DroppedReport[] = [];
    const store = track(openTestStore({ outbox: { caps: { maxQueuedRows: 4 }, onDrop: (drops) => announced.push(...drops) } }));
    const plan: Array<[Priority, string]> = [
      ['normal', 'n1'],
      ['low', 'l1'],
      ['low', 'l2'],
      ['high', 'h1'],
    ];
    for (const [priority, payload] of plan) {
      store.outbox.enqueue({ kind: 'telemetry', priority, payload });
      store.clock.advance(1);
    }
    const first = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'n2' });
    assert.deepEqual(first.dropped.map((d) => [d.reason, d.priority]), [['cap-rows', 'low']]);
    assert.deepEqual(queuedPayloads(store), ['n1', 'l2', 'h1', 'n2']);
    store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'n3' }); // drops l2
    store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'n4' }); // no low left: oldest normal, n1
    assert.deepEqual(queuedPayloads(store), ['h1', 'n2', 'n3', 'n4']);
    const stats = store.outbox.stats();
    assert.equal(stats.drops.total, 3);
    assert.deepEqual(stats.drops.byReason, { 'cap-rows': 3 });
    assert.deepEqual(stats.drops.byPriority, { low: 2, normal: 1 });
    assert.equal(announced.length, 3, 'every drop reaches the listener');
  });

  it('never drops a more urgent report for a less urgent one: the newcomer is refused and counted', () => {
    const store = track(openTestStore({ outbox: { caps: { maxQueuedRows: 2 } } }));
    store.outbox.enqueueMany([
      { kind: 'alarm', priority: 'critical', payload: 'c1' },
      { kind: 'alarm', priority: 'critical', payload: 'c2' },
    ]);
    const s = store;
    assert.throws(() => s.outbox.enqueue({ kind: 'telemetry', priority: 'low', payload: 'l1' }), { code: 403 });
    const [refused] = s.outbox.enqueueMany([{ kind: 'telemetry', priority: 'high', payload: 'h1' }]);
    assert.equal(refused?.id, null);
    assert.deepEqual(refused?.dropped.map((d) => d.reason), ['rejected-full']);
    // A critical one still gets in, by dropping the oldest critical.
    s.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: 'c3' });
    assert.deepEqual(queuedPayloads(s), ['c2', 'c3']);
    assert.deepEqual(s.outbox.stats().drops.byReason, { 'rejected-full': 2, 'cap-rows': 1 });
  });

  it('enforces the byte cap, dropping as many old rows as the newcomer needs', () => {
    const store = track(openTestStore({ outbox: { caps: { maxQueuedBytes: 10 } } }));
    store.outbox.enqueueMany(['aaa', 'bbb', 'ccc'].map((payload) => ({ kind: 'telemetry', priority: 'low' as const, payload })));
    const result = store.outbox.enqueue({ kind: 'telemetry', priority: 'low', payload: 'dddddd' });
    assert.deepEqual(result.dropped.map((d) => d.reason), ['cap-bytes', 'cap-bytes']);
    assert.deepEqual(queuedPayloads(store), ['ccc', 'dddddd']);
    assert.deepEqual(store.outbox.stats().byState.queued, { rows: 2, bytes: 9 });
    const s = store;
    assert.throws(() => s.outbox.enqueue({ kind: 'telemetry', priority: 'critical', payload: 'x'.repeat(11) }), { code: 403 });
  });

  it('counts only queued rows against the caps: in-flight reports are never dropped', () => {
    const store = track(openTestStore({ outbox: { caps: { maxQueuedRows: 2 } } }));
    store.outbox.enqueueMany(['a', 'b'].map((payload) => ({ kind: 'telemetry', priority: 'low' as const, payload })));
    store.outbox.claim({ limit: 2, link: 'smpp' });
    store.outbox.enqueueMany(['c', 'd'].map((payload) => ({ kind: 'telemetry', priority: 'low' as const, payload })));
    assert.equal(store.outbox.stats().drops.total, 0);
    assert.equal(store.outbox.stats().byState.sending.rows, 2);
  });

  it('applies caps row by row inside one burst', () => {
    const store = track(openTestStore({ outbox: { caps: { maxQueuedRows: 3 } } }));
    const results = store.outbox.enqueueMany(['1', '2', '3', '4', '5'].map((payload) => ({ kind: 'telemetry', priority: 'normal' as const, payload })));
    assert.equal(results.filter((r) => r.id !== null).length, 5);
    assert.deepEqual(queuedPayloads(store), ['3', '4', '5']);
    assert.equal(store.outbox.stats().drops.total, 2);
  });

  it('logs every drop at debug with the ids, after the transaction committed (the agent summarises them at warn)', () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));
    const logger = pino({ level: 'debug' }, stream);
    const store = track(openTestStore({ outbox: { caps: { maxQueuedRows: 2 }, logger } }));
    store.outbox.enqueueMany(['a', 'b', 'c', 'd'].map((payload) => ({ kind: 'telemetry', priority: 'low' as const, payload })));
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        const drops = lines.filter((line) => line['event'] === 'outbox-drop');
        assert.equal(drops.length, 1, 'one line per enqueue call');
        assert.equal(drops[0]?.['level'], 20);
        assert.equal(drops[0]?.['count'], 2);
        assert.deepEqual(drops[0]?.['byReason'], { 'cap-rows': 2 });
        assert.deepEqual(drops[0]?.['ids'], [1, 2]);
        resolve();
      }),
    );
  });

  it('coalesces location reports to the newest N queued, counting each one dropped', () => {
    const store = track(openTestStore({ outbox: { kinds: { location: { coalesceKeepNewest: 2 } } } }));
    for (let i = 1; i <= 5; i++) {
      store.outbox.enqueue({ kind: 'location', priority: 'normal', payload: `fix${i}` });
      store.clock.advance(1000);
    }
    store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'other kinds untouched' });
    assert.deepEqual(queuedPayloads(store), ['fix4', 'fix5', 'other kinds untouched']);
    assert.deepEqual(store.outbox.stats().drops.byReason, { coalesced: 3 });
  });

  it('does not coalesce a location report that is already being sent', () => {
    const store = track(openTestStore({ outbox: { kinds: { location: { coalesceKeepNewest: 1 } } } }));
    store.outbox.enqueue({ kind: 'location', priority: 'normal', payload: 'fix1' });
    store.outbox.claim({ limit: 1, link: 'smpp' });
    store.outbox.enqueue({ kind: 'location', priority: 'normal', payload: 'fix2' });
    store.outbox.enqueue({ kind: 'location', priority: 'normal', payload: 'fix3' });
    assert.deepEqual(queuedPayloads(store), ['fix3']);
    assert.equal(store.outbox.stats().byState.sending.rows, 1);
  });
});
