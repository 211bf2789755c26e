/**
 * The link drops while the window is full and more requests wait behind it: every request
 * settles, those resolved are exactly those the SMSC answered, and every other one fails with a
 * typed "not acknowledged" error (sent or not), so the outbox re-queues them. Nothing is
 * reported as sent that was not acknowledged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isNotAcknowledged, SmppSession, type PduOf } from '../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../src/errors.js';
import { sessionOptions, startSimulator } from '../helpers/simSetup.js';

describe('link dropped with a full window', () => {
  it('fails every unanswered request as not acknowledged and reports only answered ones', async () => {
    // bind + 12 submits answered; the 14th PDU received kills the link.
    const sim = await startSimulator({ faults: { dropAfterPdus: 14 } });
    const answeredIds = new Set<string>();
    sim.on('accepted', (message) => answeredIds.add(message.id));
    const session = new SmppSession(sessionOptions(sim.port, { window: 10 }));
    try {
    await session.connect();
    const closed = session.whenClosed();
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) =>
      session.submit({ destination_addr: `4477009000${String(i).padStart(2, '0')}`, short_message: Buffer.from(`m${i}`) })));
    await closed;
    const ok = outcomes.filter((o): o is PromiseFulfilledResult<PduOf<'submit_sm_resp'>> => o.status === 'fulfilled');
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(ok.length + failed.length, 40);
    assert.ok(ok.length >= 1 && ok.length <= 12, `answered before the drop: ${ok.length}`);
    for (const result of ok) assert.ok(answeredIds.has(result.value.message_id), 'a success is a message the SMSC accepted');
    for (const result of failed) {
      assert.ok(isNotAcknowledged(result.reason), `typed: not acknowledged: ${String(result.reason)}`);
      assert.ok(hasErrorCode(result.reason, ErrorCode.Smpp_ConnectionClosed));
    }
    const sentButUnanswered = failed.filter((r) => hasErrorCode(r.reason, ErrorCode.Smpp_ConnectionClosed) && r.reason.context['sent'] === true).length;
    const neverSent = failed.filter((r) => hasErrorCode(r.reason, ErrorCode.Smpp_ConnectionClosed) && r.reason.context['sent'] === false).length;
    assert.ok(sentButUnanswered >= 1 && sentButUnanswered <= 10, `at most one window was in flight: ${sentButUnanswered}`);
    assert.ok(neverSent >= 18, `the rest never left the queue: ${neverSent}`);
    assert.equal(session.state, 'closed');
    } finally {
      session.destroy();
      await sim.stop();
    }
  });
});
