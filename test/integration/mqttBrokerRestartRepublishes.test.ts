import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MqttMirror, type PublishedState } from '../../src/mqtt/index.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { FakeAgent, sampleSnapshot } from '../fakes/agentHandlers.js';

describe('broker restart in the middle', () => {
  it('the mirror keeps taking state and events without blocking, reconnects with back-off, and republishes everything', async () => {
    // No persistence: the restarted broker has lost every retained message, so what the probe sees afterwards was republished.
    const broker = await Mosquitto.start();
    const agent = new FakeAgent();
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-restart', handlers: agent, stateMinIntervalMs: 100, backoff: { initialMs: 50, maxMs: 400 } });
    let disconnects = 0;
    mirror.on('disconnected', () => disconnects++);
    try {
      mirror.updateState(sampleSnapshot());
      mirror.start();
      await mirror.whenConnected(5000);

      await broker.halt();
      // Until the client has seen the socket close, a publish still goes to the old socket (and mqtt.js
      // re-sends it at QoS 1 on reconnect): wait for the drop so what follows is "while away" for sure.
      for (let i = 0; i < 200 && mirror.status().connection === 'connected'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.notEqual(mirror.status().connection, 'connected', 'the mirror saw the broker go');
      // While the broker is away: calls return at once, the newest state is kept, events wait.
      const began = performance.now();
      for (let i = 0; i < 100; i++) mirror.updateState(sampleSnapshot({ smpp: { ...sampleSnapshot().smpp, state: 'connecting', windowInUse: i } }));
      mirror.publishEvent({ type: 'outage-began', link: 'mqtt' });
      // A reconnect attempt takes at least the back-off (50 ms) plus a TCP refusal; returning well within
      // that, even on a loaded machine, shows nothing waited for the broker.
      assert.ok(performance.now() - began < 250, 'updateState/publishEvent do not wait for the broker');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.notEqual(mirror.status().connection, 'connected');
      assert.equal(mirror.status().eventsQueued, 1);

      await broker.launch();
      await mirror.whenConnected(5000);
      assert.equal(disconnects, 1);
      const probe = await MqttProbe.connect(broker.url);
      try {
        await probe.subscribe('edge-sms/pi-restart/status', 'edge-sms/pi-restart/state');
        assert.equal((await probe.waitForTopic('edge-sms/pi-restart/status')).text, 'online');
        const state = JSON.parse((await probe.waitForTopic('edge-sms/pi-restart/state')).text) as PublishedState;
        assert.equal(state.smpp.state, 'connecting');
        assert.equal(state.smpp.windowInUse, 99, 'the latest snapshot taken during the outage');
        for (let i = 0; i < 40 && mirror.status().eventsQueued > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
        assert.equal(mirror.status().eventsQueued, 0, 'queued event flushed');
        // Commands work again: the subscriptions were renewed on the new connection.
        await probe.subscribe('edge-sms/pi-restart/cmd/get-state/response');
        let reply;
        for (let i = 0; i < 20 && reply === undefined; i++) {
          await probe.client.publishAsync('edge-sms/pi-restart/cmd/get-state', JSON.stringify({ requestId: `after-${i}` }), { qos: 1 });
          reply = await probe.waitForTopic('edge-sms/pi-restart/cmd/get-state/response', undefined, 250).catch(() => undefined);
        }
        assert.ok(reply, 'a command after the restart is answered');
      } finally {
        await probe.close();
      }
    } finally {
      await mirror.stop();
      await broker.stop();
    }
  });
});
