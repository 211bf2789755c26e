/**
 * An SMSC that throttles (ESME_RTHROTTLED beyond N accepted submits in any one second per bind):
 * a session with no maximum of its own learns N from the first throttled answer, holds just
 * under it, sends the throttled submits again, and every message gets through exactly once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SmppSession } from '../../src/smpp/index.js';
import { sessionOptions, startSimulator } from '../helpers/simSetup.js';

describe('throttling', () => {
  it('learns the account limit, holds just under it and loses nothing', async () => {
    const sim = await startSimulator({ throttlePerSecond: 100, throttleWindow: 'sliding' });
    const accepted = new Map<string, number>();
    sim.on('accepted', (message) => accepted.set(message.destinationAddr, (accepted.get(message.destinationAddr) ?? 0) + 1));
    const lessons: Array<{ lesson: string | undefined; learned: number | undefined }> = [];
    const session = new SmppSession(sessionOptions(sim.port, { window: 20, throttleRetries: 50 }));
    session.on('throttle', ({ lesson, learned }) => lessons.push({ lesson, learned }));
    try {
      await session.connect();
      assert.equal(session.currentRate, Infinity, 'no limit of its own to start with');
      const count = 300;
      const results = await Promise.all(Array.from({ length: count }, (_, i) =>
        session.submit({ destination_addr: `4477${String(i).padStart(8, '0')}`, short_message: Buffer.from(`n${i}`) })));
      assert.equal(results.length, count);
      assert.ok(results.every((r) => r.command_status === 0));
      assert.equal(accepted.size, count, 'every message accepted');
      assert.ok([...accepted.values()].every((n) => n === 1), 'none accepted twice');
      assert.equal(lessons[0]?.lesson, 'learned', 'the first throttled answer teaches the limit');
      const learned = lessons[0]?.learned ?? 0;
      // Read off the SMSC's answers from our side of the link: the submits it accepted in the second before it refused.
      assert.ok(learned >= 80 && learned <= 100, `learned ${learned}/s of the SMSC's 100`);
      assert.ok(session.currentRate < 100, `holds just under the limit: ${session.currentRate}/s`);
      // The first burst (a window of 20 in flight) meets the limit; after that the pace keeps under it.
      assert.ok(lessons.length <= 40, `throttled answers: ${lessons.length}`);
    } finally {
      await session.close();
      await sim.stop();
    }
  });
});
