/**
 * `smpp.reconnectMinS` / `smpp.reconnectMaxS` reach the SMPP client: with a short maximum the link
 * is bound again soon after the SMSC returns from an outage, instead of after the exponential
 * back-off has grown (1, 2, 4 s… with the old fixed schedule, the next try would be seconds away).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/agent/config/index.js';
import { SmppLink, reconnectBackoff } from '../../src/agent/runtime/smppLink.js';
import { silentLogger } from '../../src/logger.js';
import type { MirrorEvent } from '../../src/mqtt/index.js';
import { CommandStatus } from '../../src/smpp/index.js';
import { account, startSimulator } from '../helpers/simSetup.js';

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SMPP reconnect back-off from the config', () => {
  it('maps the keys to the client back-off', () => {
    const config = loadConfig({ text: 'device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000", reconnectMinS: 0.5, reconnectMaxS: 20 }\n', env: {} });
    assert.deepEqual(reconnectBackoff(config), { initialMs: 500, maxMs: 20_000 });
  });

  it('rebinds within reconnectMaxS of the SMSC coming back after an outage', async () => {
    const events: MirrorEvent[] = [];
    let sim = await startSimulator();
    const port = sim.port;
    const config = loadConfig({
      text: [
        'device: { id: pi-1 }',
        `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${port}?bind=trx", destination: "+447700900000", reconnectMinS: 0.1, reconnectMaxS: 1 }`,
      ].join('\n'),
      env: {},
    });
    const link = new SmppLink(config, silentLogger(), { inbound: () => CommandStatus.ESME_ROK, event: (event) => events.push(event), changed: () => undefined });
    try {
      link.start();
      await until(() => link.session !== undefined, 5000, 'the first bind');
      await sim.stop();
      await until(() => events.some((event) => event.type === 'outage-began'), 5000, 'the outage');
      // Long enough that the default 1 s, 2 s, 4 s… schedule would have its next try about 2 s away.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      sim = await startSimulator({ port });
      const back = Date.now();
      await until(() => link.session !== undefined, 3000, 'the rebind');
      const took = Date.now() - back;
      assert.ok(took < 1500, `bound ${took} ms after the SMSC returned (cap 1 s + connect and bind)`);
      assert.ok(events.some((event) => event.type === 'outage-ended'));
    } finally {
      await link.stop();
      await sim.stop();
    }
  });
});
