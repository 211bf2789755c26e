import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { perDestination } from '../../../src/store/index.js';
import { parseReadingInput } from '../../../src/agent/readingInput.js';
import { Ingest } from '../../../src/agent/runtime/ingest.js';
import { loadConfig } from '../../../src/agent/config/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import { AgentCommands, type AgentControl } from '../../../src/agent/runtime/commands.js';
import { createLogger } from '../../../src/logger.js';
import { openTestStore } from '../store/_helpers.js';

describe('readings to several destinations', () => {
  it('perDestination: one entry per distinct number; none or one stays as it is', () => {
    const base = { kind: 'telemetry', priority: 'high' as const, payload: '{"time":1,"fields":{"T":1}}', ttlMs: 60_000 };
    assert.deepEqual(perDestination(base), [base]);
    assert.deepEqual(perDestination({ ...base, destinations: ['+441'] }), [{ ...base, destinations: ['+441'] }]);
    assert.deepEqual(perDestination({ ...base, destinations: ['+441', '+442', '+441'] }), [
      { ...base, destinations: ['+441'] },
      { ...base, destinations: ['+442'] },
    ]);
  });

  it('the ingest input takes `to`: 1..10 numbers, each named when wrong', () => {
    assert.deepEqual(parseReadingInput({ kind: 'telemetry', data: { T: 1 }, to: ['+447700900001', '447700900002'] }).to, ['+447700900001', '447700900002']);
    const refuses = (to: unknown, field: string, pattern: RegExp): void => {
      assert.throws(() => parseReadingInput({ kind: 'telemetry', data: { T: 1 }, to }), (error: unknown) => hasErrorCode(error, ErrorCode.Store_InvalidInput) && error.context['field'] === field && pattern.test(error.message));
    };
    refuses([], 'to', /1\.\.10 numbers/);
    refuses('+447700900001', 'to', /must be a list/);
    refuses(Array.from({ length: 11 }, (_, i) => `+44770090000${i}`), 'to', /1\.\.10/);
    refuses(['+447700900001', 'EDGE'], 'to[1]', /to\[1\] must be a number/);
  });

  it('Ingest writes one outbox entry per number, in one go, each with its own state', () => {
    const store = openTestStore();
    try {
      const config = loadConfig({ text: 'device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000" }\n', env: {} });
      let kicks = 0;
      const ingest = new Ingest(store.outbox, config, store.clock.now, () => kicks++);
      const result = ingest.reading({ kind: 'telemetry', data: { T: 1 }, to: ['+447700900001', '+447700900002'] });
      assert.equal(result.ids.length, 2);
      assert.equal(result.id, result.ids[0]);
      assert.equal(kicks, 1, 'the router is told once');
      const entries = result.ids.map((id) => store.outbox.get(id));
      assert.deepEqual(entries.map((entry) => entry?.destinations), [['+447700900001'], ['+447700900002']]);
      assert.deepEqual(entries.map((entry) => entry?.state), ['queued', 'queued']);
      assert.equal(entries[0]?.payload, entries[1]?.payload, 'the same reading');
      assert.deepEqual(ingest.reading({ kind: 'telemetry', data: { T: 2 } }).ids.length, 1);
    } finally {
      store.cleanup();
    }
  });

  it('the MQTT report command with `to` queues an entry per number and answers every id', async () => {
    const store = openTestStore();
    try {
      const config = loadConfig({ text: 'device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000" }\n', env: {} });
      const ingest = new Ingest(store.outbox, config, store.clock.now, () => undefined);
      const commands = new AgentCommands({} as AgentControl, ingest, store, createLogger({ level: 'silent' }));
      const many = await commands.report({ kind: 'alarm', data: { door: true }, priority: 'high', to: ['+447700900001', '+447700900002'] });
      assert.deepEqual(many.ids?.map((id) => store.outbox.get(Number(id))?.destinations), [['+447700900001'], ['+447700900002']]);
      assert.equal(many.id, many.ids?.[0]);
      const one = await commands.report({ kind: 'alarm', data: { door: false }, priority: 'high' });
      assert.equal(one.ids, undefined, 'one entry: just its id');
      assert.deepEqual(store.outbox.get(Number(one.id))?.destinations, []);
    } finally {
      store.cleanup();
    }
  });

  // A full outbox (every slot taken by more urgent reports) refuses in the same way whatever the door
  // and however many numbers: `id: null` from Ingest, Store_Full from the MQTT commands. A single
  // number used to throw from outbox.enqueue, which the local API answered with 500, not 507.
  it('a full outbox refuses one number, several numbers and a plain SMS alike, and names the numbers refused', async () => {
    const store = openTestStore({ outbox: { caps: { maxQueuedRows: 2, maxQueuedBytes: 1 << 20 } } });
    try {
      const config = loadConfig({ text: 'device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000" }\n', env: {} });
      const ingest = new Ingest(store.outbox, config, store.clock.now, () => undefined);
      const commands = new AgentCommands({} as AgentControl, ingest, store, createLogger({ level: 'silent' }));
      assert.equal(ingest.reading({ kind: 'alarm', priority: 'critical', data: { door: true } }).ids.length, 1);
      assert.equal(ingest.reading({ kind: 'alarm', priority: 'critical', data: { door: false } }).ids.length, 1);

      const one = ingest.reading({ kind: 'telemetry', priority: 'normal', data: { T: 1 } });
      assert.deepEqual({ id: one.id, ids: one.ids, refusedTo: one.refusedTo }, { id: null, ids: [], refusedTo: [] });
      assert.equal(one.dropped[0]?.reason, 'rejected-full');
      const several = ingest.reading({ kind: 'telemetry', priority: 'normal', data: { T: 2 }, to: ['+447700900001', '+447700900002'] });
      assert.deepEqual({ id: several.id, refusedTo: several.refusedTo }, { id: null, refusedTo: ['+447700900001', '+447700900002'] });
      assert.equal(ingest.sms('+447700900003', 'hello', 'normal').id, null);

      const isFull = (error: unknown): boolean => hasErrorCode(error, ErrorCode.Store_Full);
      await assert.rejects(async () => commands.report({ kind: 'telemetry', data: { T: 3 }, priority: 'normal' }), isFull);
      await assert.rejects(async () => commands.report({ kind: 'telemetry', data: { T: 4 }, priority: 'normal', to: ['+447700900001', '+447700900002'] }), isFull);
      await assert.rejects(async () => commands.sendSms({ to: '+447700900003', text: 'hello', priority: 'normal', via: 'auto' }), isFull);
      assert.equal(store.outbox.stats().byState.queued.rows, 2, 'nothing more urgent was pushed out');
    } finally {
      store.cleanup();
    }
  });

  it('copies of one reading never push each other out: at the cap the copy that does not fit is refused', () => {
    const store = openTestStore({ outbox: { caps: { maxQueuedRows: 3, maxQueuedBytes: 1 << 20 }, kinds: { status: { ttlMs: 60_000, coalesceKeepNewest: 1 } } } });
    try {
      const config = loadConfig({ text: 'device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000" }\n', env: {} });
      const ingest = new Ingest(store.outbox, config, store.clock.now, () => undefined);
      ingest.reading({ kind: 'alarm', priority: 'critical', data: { door: true } });
      ingest.reading({ kind: 'alarm', priority: 'critical', data: { door: false } });
      // Room for one more: the first copy takes it; the second may not evict its sibling (same priority, oldest).
      const result = ingest.reading({ kind: 'telemetry', priority: 'normal', data: { T: 1 }, to: ['+447700900001', '+447700900002'] });
      assert.equal(result.ids.length, 1);
      assert.deepEqual(result.refusedTo, ['+447700900002']);
      assert.equal(store.outbox.get(result.ids[0]!)?.state, 'queued', 'the queued copy is still there');
      assert.deepEqual(result.dropped.map((drop) => drop.reason), ['rejected-full']);

      // Coalescing (keep the newest status) keeps every copy of the newest reading, one per number.
      store.clock.advance(1);
      assert.equal(store.outbox.purge({ state: 'queued', olderThanMs: 0 }), 3);
      const status = ingest.reading({ kind: 'status', priority: 'normal', data: { q: 1 }, to: ['+447700900001', '+447700900002'] });
      assert.deepEqual(status.ids.map((id) => store.outbox.get(id)?.state), ['queued', 'queued']);
      const newer = ingest.reading({ kind: 'status', priority: 'normal', data: { q: 2 }, to: ['+447700900001', '+447700900002'] });
      assert.deepEqual([...status.ids, ...newer.ids].map((id) => store.outbox.get(id)?.state ?? 'gone'), ['gone', 'gone', 'queued', 'queued']);
    } finally {
      store.cleanup();
    }
  });
});
