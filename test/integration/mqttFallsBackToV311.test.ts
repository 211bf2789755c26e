import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listFleet, MqttMirror, sendFleetCommand } from '../../src/mqtt/index.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { V311OnlyBroker } from '../helpers/v311OnlyBroker.js';
import { FakeAgent, sampleSnapshot } from '../fakes/agentHandlers.js';

describe('MQTT 5 with 3.1.1 fallback', () => {
  it('retries with 3.1.1 at once when the broker refuses protocol 5, then works normally', async () => {
    const mosquitto = await Mosquitto.start();
    const old = await V311OnlyBroker.start(mosquitto.port);
    const mirror = new MqttMirror({ url: old.url, deviceId: 'pi-old', handlers: new FakeAgent(), backoff: { initialMs: 5000, maxMs: 5000 } });
    try {
      mirror.updateState(sampleSnapshot());
      const started = Date.now();
      mirror.start();
      // The back-off is 5 s: connecting well before that proves the fallback is immediate, not a retry.
      await mirror.whenConnected(3000);
      assert.ok(Date.now() - started < 3000);
      assert.equal(mirror.status().protocolVersion, 4);
      assert.equal(old.refusedV5.length, 1, 'MQTT 5 was tried first, once');
      // The fleet tools fall back the same way, and the whole path works on 3.1.1 (requestId correlation).
      const devices = await listFleet({ url: old.url, settleMs: 200 });
      assert.deepEqual(devices.map((d) => [d.id, d.online]), [['pi-old', true]]);
      let result;
      for (let i = 0; i < 10 && result === undefined; i++) {
        result = await sendFleetCommand({ url: old.url, target: { kind: 'device', deviceId: 'pi-old' }, name: 'get-state', payload: {}, timeoutMs: 500 }).catch(() => undefined);
      }
      assert.equal(result?.replies[0]?.status, 'ok');
    } finally {
      await mirror.stop();
      await old.stop();
      await mosquitto.stop();
    }
  });
});
