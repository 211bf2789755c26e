/**
 * An SMSC that stops answering: the request in flight times out (typed, not acknowledged), the
 * unanswered enquire_link marks the link dead, and the client reconnects and binds again once
 * the SMSC answers again.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPdu, isNotAcknowledged, SmppClient } from '../../src/smpp/index.js';
import { ErrorCode, hasErrorCode, type AgentError } from '../../src/errors.js';
import { nextEvent, sessionOptions, startSimulator } from '../helpers/simSetup.js';

describe('server stops answering', () => {
  it('times the request out, declares the link dead, and reconnects', async () => {
    const sim = await startSimulator();
    const client = new SmppClient({
      ...sessionOptions(sim.port, { responseTimeoutMs: 300, enquireLinkMs: 400 }),
      backoff: { initialMs: 50, jitter: 0 },
    });
    try {
      client.start();
      await client.waitBound(2000);
      const ok = await client.request(createPdu('submit_sm', { destination_addr: '447700900001' }));
      assert.equal(ok.command_status, 0);

      sim.setFaults({ stopAnswering: true });
      const started = Date.now();
      await assert.rejects(client.request(createPdu('submit_sm', { destination_addr: '447700900002' })), (error: unknown) => {
        assert.ok(hasErrorCode(error, ErrorCode.Smpp_ResponseTimeout));
        assert.ok(isNotAcknowledged(error));
        assert.equal(error.context['sent'], true);
        return true;
      });
      assert.ok(Date.now() - started >= 250, 'waited for the response timeout');

      const [error, retryIn] = await nextEvent<[AgentError | undefined, number]>(client, 'disconnected', 3000);
      assert.ok(hasErrorCode(error, ErrorCode.Smpp_ResponseTimeout), `dead link: ${String(error)}`);
      assert.match(error.message, /enquire_link not answered/);
      assert.equal(retryIn, 50);

      sim.setFaults({});
      await nextEvent(client, 'bound', 3000);
      const again = await client.request(createPdu('submit_sm', { destination_addr: '447700900003' }));
      assert.equal(again.command_status, 0);
    } finally {
      await client.stop();
      await sim.stop();
    }
  });
});
