/**
 * A wrong password: a clear, typed error naming the refusal, and retries on the slow bind-refusal
 * schedule (growing), never the fast reconnect one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommandStatus, SmppClient } from '../../src/smpp/index.js';
import { ErrorCode, hasErrorCode, type AgentError } from '../../src/errors.js';
import { sessionOptions, startSimulator } from '../helpers/simSetup.js';

describe('wrong password', () => {
  it('reports ESME_RINVPASWD clearly and retries slowly', async () => {
    const sim = await startSimulator();
    let binds = 0;
    sim.on('pdu', (pdu) => {
      if (pdu.command === 'bind_transceiver') binds++;
    });
    const client = new SmppClient({
      ...sessionOptions(sim.port, { password: 'wrong' }),
      backoff: { initialMs: 10, bindRefusedInitialMs: 200, jitter: 0 },
    });
    const failures: Array<[AgentError, number]> = [];
    client.on('bindFailed', (error, retryIn) => failures.push([error, retryIn]));
    client.on('disconnected', () => assert.fail('a refused bind is not a dropped link'));
    try {
      client.start();
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.ok(failures.length >= 2, `retried: ${failures.length}`);
      const [first] = failures[0]!;
      assert.ok(hasErrorCode(first, ErrorCode.Smpp_BindFailed));
      assert.equal(first.context['commandStatus'], CommandStatus.ESME_RINVPASWD);
      assert.match(first.message, /bind refused by the SMSC: ESME_RINVPASWD \(wrong password\)/);
      assert.deepEqual(failures.slice(0, 2).map(([, retryIn]) => retryIn), [200, 400], 'slow and growing');
      assert.ok(binds <= 3, `not hammered: ${binds} binds in 700 ms`);
    } finally {
      await client.stop();
      await sim.stop();
    }
  });
});
