import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MqttMirror, type PublishedState } from '../../src/mqtt/index.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { sampleSnapshot } from '../fakes/agentHandlers.js';

describe('the mirror publishes status, retained state and events to a real Mosquitto', () => {
  let broker: Mosquitto;
  before(async () => {
    broker = await Mosquitto.start();
  });
  after(async () => {
    await broker.stop();
  });

  it('publishes retained online + state on connect, and a late subscriber still sees both', async () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-001', stateMinIntervalMs: 100 });
    mirror.updateState(sampleSnapshot());
    mirror.start();
    await mirror.whenConnected(5000);
    const probe = await MqttProbe.connect(broker.url);
    try {
      await probe.subscribe('edge-sms/pi-001/#');
      const status = await probe.waitForTopic('edge-sms/pi-001/status');
      assert.equal(status.text, 'online');
      assert.equal(status.packet.retain, true, 'status is retained');
      const state = await probe.waitForTopic('edge-sms/pi-001/state');
      assert.equal(state.packet.retain, true, 'state is retained');
      const parsed = JSON.parse(state.text) as PublishedState;
      assert.equal(parsed.deviceId, 'pi-001');
      assert.deepEqual(parsed.smpp, sampleSnapshot().smpp);
      assert.equal(parsed.modem.signalDbm, -71);
      assert.equal(parsed.outbox.byState.queued, 3);
      assert.match(parsed.publishedAt, /^\d{4}-\d\d-\d\dT/);
    } finally {
      await probe.close();
      await mirror.stop();
    }
  });

  it('publishes state on change, at most once per interval, with the latest snapshot winning', async () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-002', stateMinIntervalMs: 300 });
    const probe = await MqttProbe.connect(broker.url);
    await probe.subscribe('edge-sms/pi-002/state');
    mirror.updateState(sampleSnapshot());
    mirror.start();
    await mirror.whenConnected(5000);
    try {
      await probe.waitForTopic('edge-sms/pi-002/state');
      probe.clear();
      // Ten changes in a burst: one publication at most now, and the trailing one carries the last.
      for (let signal = -90; signal < -80; signal++) {
        mirror.updateState(sampleSnapshot({ modem: { ...sampleSnapshot().modem, signalDbm: signal } }));
      }
      const last = await probe.waitForTopic('edge-sms/pi-002/state', (text) => (JSON.parse(text) as PublishedState).modem.signalDbm === -81, 3000);
      assert.ok(last);
      assert.ok(probe.messages.length <= 2, `burst of 10 changes gave ${probe.messages.length} publications`);
      // Only uptime changed: no publication.
      probe.clear();
      mirror.updateState({ ...sampleSnapshot({ modem: { ...sampleSnapshot().modem, signalDbm: -81 } }), uptimeSeconds: 99 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(probe.messages.length, 0, 'an uptime-only change is not a change');
    } finally {
      await probe.close();
      await mirror.stop();
    }
  });

  it('publishes events on events/<type>, not retained, and queues them while not connected', async () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-003' });
    const probe = await MqttProbe.connect(broker.url);
    await probe.subscribe('edge-sms/pi-003/events/+');
    // Before start: not connected, so these wait in the bounded queue.
    mirror.publishEvent({ type: 'outage-began', link: 'smpp' });
    mirror.publishEvent({ type: 'report-submitted', ids: ['r1'], link: 'smpp', priority: 'high', messageId: '7', refs: ['abc'] });
    assert.equal(mirror.status().eventsQueued, 2);
    mirror.start();
    await mirror.whenConnected(5000);
    try {
      const began = await probe.waitForTopic('edge-sms/pi-003/events/outage-began');
      assert.equal(began.packet.retain, false);
      assert.deepEqual({ ...(JSON.parse(began.text) as Record<string, unknown>), at: 'x' }, { type: 'outage-began', link: 'smpp', deviceId: 'pi-003', at: 'x' });
      await probe.waitForTopic('edge-sms/pi-003/events/report-submitted', (text) => text.includes('"refs":["abc"]'));
      mirror.publishEvent({ type: 'sms-received', from: '+3725550000', text: 'PING', via: 'modem' });
      await probe.waitForTopic('edge-sms/pi-003/events/sms-received', (text) => text.includes('PING'));
      assert.equal(mirror.status().eventsQueued, 0);
    } finally {
      await probe.close();
      await mirror.stop();
    }
    // A late subscriber sees no event: they are not retained.
    const late = await MqttProbe.connect(broker.url);
    await late.subscribe('edge-sms/pi-003/events/+');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(late.messages.length, 0);
    await late.close();
  });

  it('drops the oldest events beyond maxQueuedEvents and counts them', () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-004', maxQueuedEvents: 3 });
    for (let i = 0; i < 5; i++) mirror.publishEvent({ type: 'report-dropped', ids: [`${i}`], count: 1, reason: 'cap-rows' });
    assert.equal(mirror.status().eventsQueued, 3);
    assert.equal(mirror.status().eventsDropped, 2);
  });

  it('publishes retained offline on a clean stop', async () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-005' });
    mirror.start();
    await mirror.whenConnected(5000);
    await mirror.stop();
    const probe = await MqttProbe.connect(broker.url);
    try {
      await probe.subscribe('edge-sms/pi-005/status');
      const status = await probe.waitForTopic('edge-sms/pi-005/status');
      assert.equal(status.text, 'offline');
      assert.equal(status.packet.retain, true);
    } finally {
      await probe.close();
    }
  });

  it('publishes Home Assistant discovery configs, retained, when enabled', async () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-ha', homeAssistant: { enabled: true } });
    mirror.start();
    await mirror.whenConnected(5000);
    await mirror.stop();
    const probe = await MqttProbe.connect(broker.url);
    try {
      await probe.subscribe('homeassistant/+/edge_sms_pi-ha/+/config');
      const tracker = await probe.waitForTopic('homeassistant/device_tracker/edge_sms_pi-ha/location/config');
      assert.equal(tracker.packet.retain, true);
      assert.equal((JSON.parse(tracker.text) as { json_attributes_topic: string }).json_attributes_topic, 'edge-sms/pi-ha/state');
      await probe.waitForTopic('homeassistant/sensor/edge_sms_pi-ha/signal/config');
    } finally {
      await probe.close();
    }
  });

  it('connects over WebSockets too', async () => {
    const wsBroker = await Mosquitto.start({ websockets: true });
    const mirror = new MqttMirror({ url: wsBroker.wsUrl, deviceId: 'pi-ws' });
    try {
      mirror.start();
      await mirror.whenConnected(5000);
      const probe = await MqttProbe.connect(wsBroker.url);
      await probe.subscribe('edge-sms/pi-ws/status');
      assert.equal((await probe.waitForTopic('edge-sms/pi-ws/status')).text, 'online');
      await probe.close();
    } finally {
      await mirror.stop();
      await wsBroker.stop();
    }
  });
});
