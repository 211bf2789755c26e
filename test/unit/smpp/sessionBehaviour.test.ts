/**
 * Session behaviour on a real loopback socket with time under the test's control: window
 * back-pressure, response timeouts, the rate limit, enquire_link on idle and the dead link it
 * detects. No sleeping: the ManualClock moves time; the socket only carries bytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse, SmppSession, type Pdu } from '../../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { sessionOptions } from '../../helpers/simSetup.js';
import { startRawSmsc, type RawSmsc } from '../../helpers/rawSmsc.js';

/** Lets socket I/O happen (a few loop turns) without moving the manual clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 5));
}

function submitsSeen(smsc: RawSmsc): Pdu[] {
  return smsc.received.filter((pdu) => pdu.command === 'submit_sm');
}

describe('session with injected time', () => {
  it('holds requests beyond the window until a response frees a slot', async () => {
    const smsc = await startRawSmsc({ answerSubmits: false });
    const clock = new ManualClock(1_000_000);
    const session = new SmppSession(sessionOptions(smsc.port, { clock, window: 2 }));
    try {
      await session.connect();
      const results = Array.from({ length: 5 }, (_, i) => session.submit({ destination_addr: `4477009000${i}` }));
      await settle();
      assert.equal(submitsSeen(smsc).length, 2);
      assert.equal(session.inFlight, 2);
      assert.equal(session.queued, 3);
      smsc.send(createResponse(submitsSeen(smsc)[0]! as Pdu & { command: 'submit_sm' }, 0, { message_id: 'A' }));
      await settle();
      assert.equal(submitsSeen(smsc).length, 3, 'one answer, one more sent');
      assert.equal((await results[0]!).message_id, 'A');
      for (const pdu of submitsSeen(smsc).slice(1)) smsc.send(createResponse(pdu as Pdu & { command: 'submit_sm' }, 0, { message_id: `S${pdu.sequence_number}` }));
      await settle();
      for (const pdu of submitsSeen(smsc).slice(3)) smsc.send(createResponse(pdu as Pdu & { command: 'submit_sm' }, 0, { message_id: `S${pdu.sequence_number}` }));
      const all = await Promise.all(results);
      assert.deepEqual(all.map((r) => r.message_id).slice(1), ['S3', 'S4', 'S5', 'S6']);
      const sequences = submitsSeen(smsc).map((p) => p.sequence_number);
      assert.deepEqual(sequences, [2, 3, 4, 5, 6], 'bind was 1; one allocator per session');
    } finally {
      session.destroy();
      await smsc.close();
    }
  });

  it('fails an unanswered request after its timeout as not acknowledged', async () => {
    const smsc = await startRawSmsc({ answerSubmits: false });
    const clock = new ManualClock(1_000_000);
    const session = new SmppSession(sessionOptions(smsc.port, { clock, responseTimeoutMs: 5000, enquireLinkMs: 60_000 }));
    try {
      await session.connect();
      const pending = session.submit({ destination_addr: '447700900001' });
      await settle();
      clock.advance(4999);
      clock.advance(1);
      await assert.rejects(pending, (error: unknown) => hasErrorCode(error, ErrorCode.Smpp_ResponseTimeout) && error.context['sent'] === true);
      assert.equal(session.state, 'bound', 'one timeout does not kill the link');
    } finally {
      session.destroy();
      await smsc.close();
    }
  });

  it('never sends faster than the configured maximum rate', async () => {
    const smsc = await startRawSmsc();
    const clock = new ManualClock(1_000_000);
    const session = new SmppSession(sessionOptions(smsc.port, { clock, maxPerSecond: 10, window: 100 }));
    try {
      await session.connect();
      const all = Promise.all(Array.from({ length: 5 }, (_, i) => session.submit({ destination_addr: `4477009000${i}` })));
      await settle();
      assert.equal(submitsSeen(smsc).length, 1);
      clock.advance(99);
      await settle();
      assert.equal(submitsSeen(smsc).length, 1, 'not before 100 ms');
      // The even pace is a second plus the rate controller's guard (BASE_GUARD_MS, 10 ms) over R: 101 ms apart.
      clock.advance(2);
      await settle();
      assert.equal(submitsSeen(smsc).length, 2);
      clock.advance(400);
      await settle();
      assert.equal(submitsSeen(smsc).length, 5);
      await all;
    } finally {
      session.destroy();
      await smsc.close();
    }
  });

  it('sends enquire_link after idle time and drops a link that does not answer it', async () => {
    const smsc = await startRawSmsc({ answerEnquireLink: false });
    const clock = new ManualClock(1_000_000);
    const session = new SmppSession(sessionOptions(smsc.port, { clock, enquireLinkMs: 30_000, responseTimeoutMs: 10_000 }));
    try {
      await session.connect();
      const closed = new Promise<unknown>((resolve) => session.once('closed', resolve));
      clock.advance(29_999);
      await settle();
      assert.equal(smsc.received.filter((p) => p.command === 'enquire_link').length, 0);
      clock.advance(1);
      await settle();
      assert.equal(smsc.received.filter((p) => p.command === 'enquire_link').length, 1);
      clock.advance(10_000);
      const error = await closed;
      assert.ok(hasErrorCode(error, ErrorCode.Smpp_ResponseTimeout));
      assert.equal(session.state, 'closed');
    } finally {
      session.destroy();
      await smsc.close();
    }
  });

  it('keeps an answering link up with enquire_links only when idle', async () => {
    const smsc = await startRawSmsc();
    const clock = new ManualClock(1_000_000);
    const session = new SmppSession(sessionOptions(smsc.port, { clock, enquireLinkMs: 30_000, responseTimeoutMs: 10_000 }));
    try {
      await session.connect();
      for (let i = 0; i < 3; i++) {
        clock.advance(30_000);
        await settle();
      }
      assert.equal(smsc.received.filter((p) => p.command === 'enquire_link').length, 3);
      assert.equal(session.state, 'bound');
    } finally {
      await session.close();
      await smsc.close();
    }
  });

  it('closes gracefully: refuses new requests, lets the window drain, then unbinds', async () => {
    const smsc = await startRawSmsc({ answerSubmits: false });
    const clock = new ManualClock(1_000_000);
    const session = new SmppSession(sessionOptions(smsc.port, { clock, window: 2, drainTimeoutMs: 5000 }));
    try {
      await session.connect();
      const inFlight = [session.submit({ destination_addr: '1' }), session.submit({ destination_addr: '2' })];
      const queued = session.submit({ destination_addr: '3' });
      await settle();
      const closing = session.close();
      await assert.rejects(queued, (error: unknown) => hasErrorCode(error, ErrorCode.Smpp_Closing) && error.context['sent'] === false);
      await assert.rejects(session.submit({ destination_addr: '4' }), (error: unknown) => hasErrorCode(error, ErrorCode.Smpp_Closing) && error.context['sent'] === false);
      await settle();
      assert.equal(smsc.received.filter((p) => p.command === 'unbind').length, 0, 'no unbind while requests are in flight');
      for (const pdu of submitsSeen(smsc)) smsc.send(createResponse(pdu as Pdu & { command: 'submit_sm' }, 0, { message_id: `S${pdu.sequence_number}` }));
      assert.deepEqual((await Promise.all(inFlight)).map((r) => r.message_id), ['S2', 'S3']);
      await closing;
      assert.equal(smsc.received.at(-1)?.command, 'unbind');
      assert.equal(session.state, 'closed');
    } finally {
      session.destroy();
      await smsc.close();
    }
  });

  it('bounds the drain: unanswered requests fail as not acknowledged after drainTimeoutMs', async () => {
    const smsc = await startRawSmsc({ answerSubmits: false });
    const clock = new ManualClock(1_000_000);
    const session = new SmppSession(sessionOptions(smsc.port, { clock, drainTimeoutMs: 2000, responseTimeoutMs: 60_000, enquireLinkMs: 120_000 }));
    try {
      await session.connect();
      const stuck = session.submit({ destination_addr: '1' });
      await settle();
      const closing = session.close();
      clock.advance(2000);
      await closing;
      await assert.rejects(stuck, (error: unknown) => hasErrorCode(error, ErrorCode.Smpp_Closing) && error.context['sent'] === true);
      assert.ok(smsc.received.some((p) => p.command === 'unbind'));
    } finally {
      session.destroy();
      await smsc.close();
    }
  });

  it('close() while connecting leaves nothing open', async () => {
    const smsc = await startRawSmsc();
    const session = new SmppSession(sessionOptions(smsc.port));
    try {
      const connecting = session.connect();
      await session.close();
      await assert.rejects(connecting, (error: unknown) => hasErrorCode(error, ErrorCode.Smpp_Closing));
      assert.equal(session.state, 'closed');
    } finally {
      await smsc.close();
    }
  });
});
