/**
 * Refilling a full window in batches (src/smpp/session/refill.ts), through the Outbound queue
 * with a recording `send` and time under the test's control: what goes on the wire when, as
 * responses come back, the timer bounds a wait, and the link closes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPdu, createResponse, Outbound, resolveSessionOptions, SmppSession, type Pdu } from '../../../src/smpp/index.js';
import { REFILL_PAUSE_MS, REFILL_WAIT_MS } from '../../../src/smpp/session/refill.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { startRawSmsc, type RawSmsc } from '../../helpers/rawSmsc.js';
import { sessionOptions } from '../../helpers/simSetup.js';

interface Harness {
  readonly outbound: Outbound;
  readonly clock: ManualClock;
  /** Every submit_sm sent, in order. */
  readonly wire: Pdu[];
  /** Queues `n` submits; their promises settle into `settled`. */
  submit(n: number): void;
  /** Answers the oldest `n` unanswered submits on the wire. */
  answer(n: number): void;
  readonly settled: Array<'ok' | 'failed'>;
}

function harness(window: number, refillBatch?: number): Harness {
  const clock = new ManualClock(1000);
  const wire: Pdu[] = [];
  const settled: Array<'ok' | 'failed'> = [];
  const outbound = new Outbound({ window, refillBatch, responseTimeoutMs: 10_000, maxPerSecond: undefined, throttleRetries: 0, clock, send: (pdu) => wire.push(pdu) });
  let answered = 0;
  return {
    outbound, clock, wire, settled,
    submit: (n) => {
      for (let i = 0; i < n; i++) {
        outbound.request(createPdu('submit_sm', { destination_addr: `4477009${String(wire.length + i).padStart(5, '0')}` })).then(
          () => settled.push('ok'), () => settled.push('failed'));
      }
    },
    answer: (n) => {
      for (let i = 0; i < n; i++) {
        const request = wire[answered++]! as Pdu & { command: 'submit_sm' };
        assert.ok(outbound.response(createResponse(request, 0, { message_id: `M${request.sequence_number}` })));
      }
    },
  };
}

describe('refilling a full window in batches', () => {
  it('a window that is not full sends at once', () => {
    const h = harness(16);
    h.submit(3);
    assert.equal(h.wire.length, 3);
    h.answer(1);
    h.submit(1);
    assert.equal(h.wire.length, 4, 'room in the window: no waiting for a batch');
  });

  it('a full window waits for a batch of free slots (⌈window/8⌉), then sends them together', () => {
    const h = harness(16); // batch 2
    h.submit(20);
    assert.equal(h.wire.length, 16);
    assert.equal(h.outbound.queued, 4);
    h.answer(1);
    assert.equal(h.wire.length, 16, 'one free slot of a full window: waits for the batch');
    h.answer(1);
    assert.equal(h.wire.length, 18, 'two free: both go');
    h.answer(2);
    assert.equal(h.wire.length, 20);
    assert.equal(h.clock.pending, 2, 'the window sweep and the wait bound; no timer per request');
  });

  it('an explicit refillBatch sets the batch; 1 refills every slot as before', () => {
    const batched = harness(10, 5);
    batched.submit(20);
    batched.answer(4);
    assert.equal(batched.wire.length, 10);
    batched.answer(1);
    assert.equal(batched.wire.length, 15);

    const perSlot = harness(10, 1);
    perSlot.submit(20);
    for (let i = 1; i <= 5; i++) {
      perSlot.answer(1);
      assert.equal(perSlot.wire.length, 10 + i);
    }
  });

  it('window 1 is unchanged: each response lets the next request go', () => {
    const h = harness(1);
    h.submit(4);
    for (let i = 1; i <= 4; i++) {
      assert.equal(h.wire.length, i);
      h.answer(1);
    }
    assert.equal(h.outbound.inFlight, 0);
  });

  it('a wait lasts at most REFILL_WAIT_MS: then whatever room there is is used', () => {
    const h = harness(100); // batch 13
    h.submit(110);
    h.answer(5);
    assert.equal(h.wire.length, 100);
    h.clock.advance(REFILL_WAIT_MS - 0.5);
    assert.equal(h.wire.length, 100);
    h.clock.advance(0.5);
    assert.equal(h.wire.length, 105, 'an SMSC that answers nothing more until we write does not stall the link');
  });

  it('refills per slot for a while when timed waits only let a trickle through', () => {
    const h = harness(10); // batch 2
    h.submit(1000);
    // Nine timed waits in a row, each with one response: ~1 request per ms, a small window's pace.
    for (let i = 0; i < 9; i++) {
      h.answer(1);
      h.clock.advance(REFILL_WAIT_MS);
    }
    const before = h.wire.length;
    h.answer(1);
    assert.equal(h.wire.length, before + 1, 'paused: the freed slot is refilled at once');
    h.clock.advance(REFILL_PAUSE_MS);
    h.answer(1);
    const resumed = h.wire.length;
    assert.equal(resumed, before + 2, 'the slot freed as the pause ends is refilled, and the window is full again');
    h.answer(1);
    assert.equal(h.wire.length, resumed, 'after the pause, a full window waits for a batch again');
    h.answer(1);
    assert.equal(h.wire.length, resumed + 2);
  });

  it('a throttled request still goes back to the queue front and is sent again first', async () => {
    const clock = new ManualClock(1000);
    const wire: Pdu[] = [];
    const outbound = new Outbound({ window: 16, refillBatch: undefined, responseTimeoutMs: 10_000, maxPerSecond: undefined, throttleRetries: 1, clock, send: (pdu) => wire.push(pdu) });
    const results = Array.from({ length: 17 }, (_, i) => outbound.request(createPdu('submit_sm', { destination_addr: `44770090${String(i).padStart(4, '0')}` })));
    assert.equal(wire.length, 16);
    const first = wire[0]! as Pdu & { command: 'submit_sm' };
    const firstSequence = first.sequence_number;
    assert.ok(outbound.response(createResponse(first, 0x58))); // ESME_RTHROTTLED
    assert.equal(outbound.queued, 2);
    // The throttle taught a limit (what the SMSC accepted in the second before); the send log then holds the
    // next send until a second plus the guard after the last one. By 1.1 s both that and the refill wait allow it.
    clock.advance(1100);
    assert.equal(wire[16], first, 'the throttled request went first, ahead of the one queued behind it');
    assert.equal(first.sequence_number, firstSequence + 16, 'with a new sequence number');
    outbound.failAll('linkDropped');
    await Promise.allSettled(results);
  });

  it('stopping and failing the link end a wait: queued requests fail as not sent, in-flight as not acknowledged', async () => {
    const h = harness(16);
    h.submit(20);
    h.answer(1);
    assert.equal(h.wire.length, 16);
    h.outbound.stopAccepting();
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(h.settled, ['ok', 'failed', 'failed', 'failed', 'failed']);
    const drained = h.outbound.whenDrained(5000);
    h.answer(15);
    assert.equal(await drained, true, 'the window drains as responses come');
    assert.equal(h.wire.length, 16, 'nothing sent after stopAccepting');
    h.outbound.failAll('linkDropped');
    h.clock.advance(REFILL_WAIT_MS);
    assert.equal(h.wire.length, 16);
  });

  it('a link that drops while a full window waits fails everything, and the wait timer is gone', async () => {
    const h = harness(16);
    const outcomes = await (async () => {
      const pending = Array.from({ length: 18 }, () => h.outbound.request(createPdu('submit_sm', { destination_addr: '447700900001' })).then(
        () => 'answered', (error: unknown) => (hasErrorCode(error, ErrorCode.Smpp_ConnectionClosed) && error.context['sent'] === true ? 'sent' : 'not sent')));
      h.answer(1);
      assert.equal(h.wire.length, 16, 'waiting for the batch');
      h.outbound.failAll('linkDropped');
      return Promise.all(pending);
    })();
    assert.deepEqual(outcomes, ['answered', ...Array<string>(15).fill('sent'), 'not sent', 'not sent']);
    h.clock.advance(REFILL_WAIT_MS);
    assert.equal(h.wire.length, 16);
  });

  it('refillBatch is checked against the window once, at construction', () => {
    const base = { endpoint: { host: '127.0.0.1', port: 2775, tls: false, rejectUnauthorized: true }, systemId: 'a', password: 'b', window: 10 };
    assert.equal(resolveSessionOptions(base).refillBatch, undefined, 'default: ⌈window in force / 8⌉, worked out as the window changes');
    assert.equal(resolveSessionOptions({ ...base, refillBatch: 10 }).refillBatch, 10);
    for (const bad of [0, 11, 2.5]) {
      assert.throws(() => resolveSessionOptions({ ...base, refillBatch: bad }), (error: unknown) => hasErrorCode(error, ErrorCode.Config_Invalid));
    }
  });

  it('on a real socket: the session option reaches the window, and the wire shows the batches', async () => {
    const smsc = await startRawSmsc({ answerSubmits: false });
    try {
      await batchesOnTheWire(smsc);
    } finally {
      await smsc.close();
    }
  });
});

/** Lets socket I/O happen without moving the manual clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Window 16 against an SMSC that answers only when told: default batch (2), then refillBatch 1. */
async function batchesOnTheWire(smsc: RawSmsc): Promise<void> {
  const submits = (): Array<Pdu & { command: 'submit_sm' }> => smsc.received.filter((pdu): pdu is Pdu & { command: 'submit_sm' } => pdu.command === 'submit_sm');
  for (const [refillBatch, afterOne] of [[undefined, 16], [1, 17]] as const) {
    const clock = new ManualClock(1_000_000);
    const session = new SmppSession(sessionOptions(smsc.port, { clock, window: 16, ...(refillBatch === undefined ? {} : { refillBatch }) }));
    smsc.received.length = 0;
    try {
      await session.connect();
      // Without this the SMSC side's Nagle holds B until we acknowledge A, and a waiting window
      // writes nothing to carry that ACK: the stall the refill timer bounds (this clock never fires it).
      smsc.socket().setNoDelay(true);
      const results = Array.from({ length: 20 }, (_, i) => session.submit({ destination_addr: `4477009000${i}` }));
      await settle();
      assert.equal(submits().length, 16);
      smsc.send(createResponse(submits()[0]!, 0, { message_id: 'A' }));
      await settle();
      assert.equal(submits().length, afterOne, `refillBatch ${String(refillBatch)}: after one answer`);
      smsc.send(createResponse(submits()[1]!, 0, { message_id: 'B' }));
      await settle();
      assert.equal(submits().length, 18, 'two free slots: both refilled, whatever the batch');
      for (const pdu of submits().slice(2)) smsc.send(createResponse(pdu, 0, { message_id: `S${pdu.sequence_number}` }));
      await settle();
      for (const pdu of submits().slice(18)) smsc.send(createResponse(pdu, 0, { message_id: `S${pdu.sequence_number}` }));
      assert.equal((await Promise.all(results)).length, 20);
      await session.close();
      assert.equal(session.state, 'closed', 'graceful close: drained, unbound');
    } finally {
      session.destroy();
    }
  }
}
