import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Router, type RouterOptions } from '../../../src/agent/router/router.js';
import { chooseLink, type LinkStates } from '../../../src/agent/router/linkChoice.js';
import type { BuiltMessage, KindRouting } from '../../../src/agent/router/types.js';
import { decodeReport, reportPartCapacity } from '../../../src/report/index.js';
import { MemoryRouterStore } from '../../fakes/memoryRouterStore.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logger.js';

const minute = 60_000;

/** A link whose sends the test settles by hand. */
class HeldSender {
  readonly sent: BuiltMessage[] = [];
  private readonly settlers: Array<{ resolve: (refs: string[]) => void; reject: (error: Error) => void }> = [];
  send(message: BuiltMessage): Promise<readonly string[]> {
    this.sent.push(message);
    return new Promise((resolve, reject) => this.settlers.push({ resolve, reject }));
  }
  ack(index: number, refs: string[]): void {
    this.settlers[index]?.resolve(refs);
  }
  fail(index: number, error: Error): void {
    this.settlers[index]?.reject(error);
  }
}

const kinds: Record<string, KindRouting> = {
  telemetry: { maxDelayMs: 15 * minute, encoding: 'text', modemFallback: false },
  alarm: { maxDelayMs: 0, encoding: 'text', modemFallback: true },
  meter: { maxDelayMs: 0, encoding: 'binary', modemFallback: false },
};

function setup(links: Partial<LinkStates> = {}, window = 2) {
  const timers = new ManualClock(1_800_000_000_000);
  const store = new MemoryRouterStore(timers.now);
  const smpp = new HeldSender();
  const modem = new HeldSender();
  const state: { -readonly [K in keyof LinkStates]: LinkStates[K] } = { smppBound: true, smppDownSince: timers.now(), modemReady: true, ...links };
  const options: RouterOptions = {
    store,
    senders: { smpp, modem },
    links: () => state,
    kinds: (kind) => kinds[kind] ?? { maxDelayMs: 0, encoding: 'text', modemFallback: false },
    device: '42',
    destinations: { smpp: '+447700900000', modem: '+447700900001' },
    maxParts: 2,
    capacity: { text: reportPartCapacity('text', { split: 'udh8' }), binary: reportPartCapacity('binary', { split: 'udh8', portIn: 'udh' }) },
    fallbackAfterMs: 5 * minute,
    windows: { smpp: window, modem: 1 },
    classify: (error) => ({ errorClass: /throttled/.test(String(error)) ? 'throttled' : /invalid/.test(String(error)) ? 'permanent' : 'temporary', reason: String(error) }),
    clock: timers,
  };
  const router = new Router(options);
  return { timers, store, smpp, modem, state, router, options };
}

const reading = (t: number, time = 1_800_000_000) => JSON.stringify({ time, fields: { T: t } });
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('link choice', () => {
  it('SMPP while bound; the modem only after the fallback delay; else wait', () => {
    assert.deepEqual(chooseLink({ smppBound: true, smppDownSince: 0, modemReady: true }, 10, 100, true), { link: 'smpp' });
    assert.deepEqual(chooseLink({ smppBound: false, smppDownSince: 0, modemReady: true }, 10, 100, true), { link: 'none', retryAt: 100 });
    assert.deepEqual(chooseLink({ smppBound: false, smppDownSince: 0, modemReady: true }, 100, 100, true), { link: 'modem', fallbackOnly: true });
    assert.deepEqual(chooseLink({ smppBound: false, smppDownSince: 0, modemReady: false }, 100, 100, true), { link: 'none' });
    assert.deepEqual(chooseLink({ smppBound: false, smppDownSince: 0, modemReady: true }, 100, 100, false), { link: 'none' });
  });
});

describe('Router', () => {
  it('holds telemetry until its deadline, then packs it into one report carrying the next sequence number', async () => {
    const { timers, store, smpp, router } = setup();
    store.add('telemetry', reading(21.5));
    timers.advance(minute);
    store.add('telemetry', reading(21.6, 1_800_000_060));
    router.start();
    assert.equal(smpp.sent.length, 0, 'nothing is due yet');
    timers.advance(14 * minute);
    assert.equal(smpp.sent.length, 1);
    const message = smpp.sent[0];
    assert.ok(message !== undefined);
    assert.deepEqual(message.entryIds, [1, 2]);
    assert.equal(message.destination, '+447700900000');
    const decoded = decodeReport(message.payload);
    assert.equal(decoded.seq, message.seq);
    assert.equal(message.seq, 1000);
    assert.deepEqual(decoded.readings.map((r) => r.fields['T']), [21.5, 21.6]);
    smpp.ack(0, ['m-1']);
    await settle();
    assert.equal(store.messages.get(message.messageId)?.state, 'submitted');
    assert.equal(store.entries.get(1)?.state, 'submitted');
    await router.stop(1000);
  });

  it('sendHeldNow: held readings go at once, packed with a status reading queued right after; later ones wait again', async () => {
    const { timers, store, smpp, router } = setup();
    // More than the one SMS part a lone status reading would take (its top-up stops at one part).
    for (let i = 0; i < 16; i++) {
      store.add('telemetry', reading(100 + i, 1_800_000_000 + i));
      timers.advance(1000);
    }
    router.start();
    assert.equal(smpp.sent.length, 0, 'held by the 15 min delay');
    assert.equal(router.sendHeldNow(), 16);
    // The REPORT command queues its status reading in the same turn (the outbox enqueue kicks the router).
    const status = store.add('status', reading(1, 1_800_000_100));
    router.kick();
    const sentIds = smpp.sent.flatMap((m) => m.entryIds);
    assert.deepEqual([...sentIds].sort((x, y) => x - y), [...Array.from({ length: 16 }, (_, i) => i + 1), status], 'every held reading and the status went');
    assert.ok(smpp.sent[0]?.entryIds.includes(status), 'the status shares the first message');
    assert.ok(smpp.sent.length <= 2, `${smpp.sent.length} messages`);
    smpp.sent.forEach((_, index) => smpp.ack(index, [`m-${index}`]));
    await settle();

    // One-shot: a reading queued after the release waits out its kind's delay as usual.
    const sent = smpp.sent.length;
    timers.advance(1);
    const later = store.add('telemetry', reading(4, 1_800_000_200));
    router.kick();
    timers.advance(0);
    assert.equal(smpp.sent.length, sent, 'a new reading is held again');
    timers.advance(15 * minute);
    assert.deepEqual(smpp.sent[sent]?.entryIds, [later]);
    smpp.ack(sent, ['m-late']);
    await router.stop(1000);
  });

  it('sendHeldNow with nothing held counts none, and sends on the next tick when called alone', async () => {
    const { timers, store, smpp, router } = setup();
    router.start();
    assert.equal(router.sendHeldNow(), 0);
    store.add('telemetry', reading(5));
    assert.equal(router.sendHeldNow(), 1);
    assert.equal(smpp.sent.length, 0, 'not in the caller\'s turn');
    timers.advance(0);
    assert.deepEqual(smpp.sent.map((m) => m.entryIds), [[1]]);
    smpp.ack(0, ['m']);
    await router.stop(1000);
    assert.equal(timers.pending, 0, 'no timer left behind');
  });

  it('an entry written with several destinations goes to the first, and the others are named in a warning', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const { timers, store, smpp, options } = setup();
    const routed = new Router({ ...options, logger: createLogger({ level: 'warn', destination: sink }) });
    store.add('alarm', reading(1), 'critical', ['+447700900101', '+447700900102']);
    routed.start();
    assert.deepEqual(smpp.sent.map((m) => m.destination), ['+447700900101']);
    const warning = JSON.parse(lines[0] ?? '{}') as { id?: number; notReached?: string[] };
    assert.deepEqual([warning.id, warning.notReached], [1, ['+447700900102']]);
    smpp.fail(0, new Error('response timeout'));
    await settle();
    timers.advance(60_000);
    assert.equal(smpp.sent.length, 2, 'sent again after its back-off');
    assert.equal(lines.filter((line) => line.includes('several destinations')).length, 1, 'warned once, not on every look');
    smpp.ack(1, ['m']);
    await routed.stop(1000);
  });

  it('sends alarms at once, due alarms sharing one message, binary kinds in their own', async () => {
    const { store, smpp, router } = setup({}, 5);
    for (let i = 0; i < 5; i++) store.add('alarm', reading(i));
    store.add('meter', reading(1));
    router.start();
    assert.deepEqual(smpp.sent.map((m) => [m.format, m.entryIds.length]), [['report-text', 5], ['report-binary', 1]]);
    smpp.ack(0, ['a']);
    smpp.ack(1, ['b']);
    await router.stop(1000);
  });

  it('never has more than the window in flight; a completion frees a place', async () => {
    const { store, smpp, router } = setup({}, 2);
    for (let i = 0; i < 5; i++) store.add('sms', `text ${i}`, 'normal', ['+447700900999']);
    router.start();
    assert.equal(smpp.sent.length, 2, 'window of 2');
    smpp.ack(0, ['a']);
    await settle();
    assert.equal(smpp.sent.length, 3);
    assert.equal(router.inFlightCount('smpp'), 2);
    for (let i = 1; i < 5; i++) {
      smpp.ack(i, [`r${i}`]);
      await settle();
    }
    assert.deepEqual(smpp.sent.map((m) => m.payload), ['text 0', 'text 1', 'text 2', 'text 3', 'text 4']);
    await router.stop(1000);
  });

  it('re-sends a failed message exactly as built, after its back-off', async () => {
    const { timers, store, smpp, router } = setup();
    store.add('alarm', reading(1));
    router.start();
    smpp.fail(0, new Error('response timeout'));
    await settle();
    assert.equal(smpp.sent.length, 1, 'waits out the back-off');
    timers.advance(30_000);
    assert.equal(smpp.sent.length, 2);
    const built = (m: BuiltMessage | undefined) => m && { id: m.messageId, seq: m.seq, entries: m.entryIds, payload: m.payload, to: m.destination };
    assert.deepEqual(built(smpp.sent[1]), built(smpp.sent[0]), 'same message id, same payload: the centre drops the duplicate');
    smpp.ack(1, ['x']);
    await settle();
    assert.equal(store.messages.get(1)?.sends, 2);
    await router.stop(0);
  });

  it('gives up at once on a permanent failure', async () => {
    const { store, smpp, router } = setup();
    store.add('alarm', reading(1));
    router.start();
    smpp.fail(0, new Error('invalid destination'));
    await settle();
    assert.equal(store.entries.get(1)?.state, 'failed');
    assert.equal(smpp.sent.length, 1);
    await router.stop(0);
  });

  it('while SMPP is down, waits, then sends only fallback kinds by modem', async () => {
    const { timers, store, smpp, modem, state, router } = setup({ smppBound: false });
    store.add('telemetry', reading(1));
    store.add('alarm', reading(2), 'critical');
    store.add('sms', 'Hello from the device', 'high', ['+447700900999']);
    router.start();
    assert.equal(modem.sent.length, 0, 'not before the fallback delay');
    timers.advance(5 * minute);
    assert.equal(modem.sent.length, 1, 'one at a time on the modem');
    assert.equal(modem.sent[0]?.destination, '+447700900001');
    modem.ack(0, ['17']);
    await settle();
    assert.equal(modem.sent.length, 2);
    assert.deepEqual([modem.sent[1]?.format, modem.sent[1]?.destination, modem.sent[1]?.payload], ['sms', '+447700900999', 'Hello from the device']);
    modem.ack(1, ['18']);
    await settle();
    timers.advance(20 * minute);
    assert.equal(modem.sent.length, 2, 'telemetry waits for SMPP');
    state.smppBound = true;
    router.kick();
    assert.equal(smpp.sent.length, 1);
    assert.equal(smpp.sent[0]?.entryIds[0], 1);
    smpp.ack(0, ['m']);
    await router.stop(1000);
  });

  it('fails unreadable entries without blocking the rest', async () => {
    const { store, smpp, router } = setup();
    store.add('alarm', 'not json');
    store.add('alarm', reading(3));
    router.start();
    assert.equal(store.entries.get(1)?.state, 'failed');
    assert.deepEqual(smpp.sent.map((m) => m.entryIds), [[2]]);
    smpp.ack(0, ['m']);
    await router.stop(1000);
  });

  it('stop waits for messages in flight, within its grace time', async () => {
    const { timers, store, smpp, router } = setup();
    store.add('alarm', reading(1));
    router.start();
    const stopped = router.stop(2000);
    timers.advance(2000);
    assert.equal(await stopped, 1, 'one still unacknowledged: it stays `sending` and is recovered at the next start');
    smpp.ack(0, ['late']);
  });
});
