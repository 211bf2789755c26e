/**
 * An SMSC that throttles (ESME_RTHROTTLED beyond N submits/s per bind): the session's rate falls,
 * throttled submits are sent again, every message gets through exactly once, and the rate
 * climbs back step by step once the SMSC stops complaining.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SmppSession } from '../../src/smpp/index.js';
import { sessionOptions, startSimulator } from '../helpers/simSetup.js';

describe('throttling', () => {
  it('slows down, loses nothing, and recovers', async () => {
    const sim = await startSimulator({ throttlePerSecond: 100 });
    const accepted = new Map<string, number>();
    sim.on('accepted', (message) => accepted.set(message.destinationAddr, (accepted.get(message.destinationAddr) ?? 0) + 1));
    let throttledAnswers = 0;
    const session = new SmppSession(sessionOptions(sim.port, { window: 20, throttleRetries: 50 }));
    const rates: number[] = [];
    session.on('throttle', ({ rate }) => {
      throttledAnswers++;
      rates.push(rate);
    });
    try {
      await session.connect();
      const count = 300;
      const results = await Promise.all(Array.from({ length: count }, (_, i) =>
        session.submit({ destination_addr: `4477${String(i).padStart(8, '0')}`, short_message: Buffer.from(`n${i}`) })));
      assert.equal(results.length, count);
      assert.ok(results.every((r) => r.command_status === 0));
      assert.equal(accepted.size, count, 'every message accepted');
      assert.ok([...accepted.values()].every((n) => n === 1), 'none accepted twice');
      assert.ok(throttledAnswers >= 1, 'the SMSC did throttle');
      const lowest = Math.min(...rates);
      assert.ok(lowest < 100, `rate cut below the SMSC limit: ${lowest}`);
      // Quiet now: each recovery step raises the allowed rate.
      const start = session.currentRate;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await session.submit({ destination_addr: '447700900999' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await session.submit({ destination_addr: '447700900998' });
      assert.ok(session.currentRate > start, `recovering: ${start} → ${session.currentRate}`);
    } finally {
      await session.close();
      await sim.stop();
    }
  });
});
