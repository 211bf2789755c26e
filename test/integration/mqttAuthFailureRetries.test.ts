import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, hasErrorCode, type AgentError } from '../../src/errors.js';
import { listFleet, MqttMirror } from '../../src/mqtt/index.js';
import { Mosquitto } from '../helpers/mosquitto.js';

describe('a broker with a password file', () => {
  let broker: Mosquitto;
  before(async () => {
    broker = await Mosquitto.start({ users: { 'pi-auth': 'right-password', fleet: 'fleet-password' } });
  });
  after(async () => {
    await broker.stop();
  });

  it('accepts the right credentials', async () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-auth', username: 'pi-auth', password: 'right-password' });
    try {
      mirror.start();
      await mirror.whenConnected(5000);
      const devices = await listFleet({ url: broker.url, username: 'fleet', password: 'fleet-password', settleMs: 200 });
      assert.deepEqual(devices.map((d) => [d.id, d.online]), [['pi-auth', true]]);
    } finally {
      await mirror.stop();
    }
  });

  it('wrong credentials: a clear Mqtt_Auth error, retried with growing back-off, never a crash', async () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-auth', username: 'pi-auth', password: 'wrong', backoff: { initialMs: 40, maxMs: 320, jitter: 0 } });
    const errors: { at: number; error: AgentError }[] = [];
    mirror.on('error', (error) => errors.push({ at: performance.now(), error }));
    try {
      mirror.start();
      await new Promise((resolve) => setTimeout(resolve, 1200));
      assert.ok(errors.length >= 4, `expected retries, saw ${errors.length} attempts`);
      for (const { error } of errors) {
        assert.ok(hasErrorCode(error, ErrorCode.Mqtt_Auth), error.message);
        assert.match(error.message, /refused the credentials/);
        assert.match(error.message, /mqtt\.username/);
        assert.doesNotMatch(error.message, /wrong/, 'the password never appears');
      }
      // 40, 80, 160, 320 ms: each wait at least as long as the one before.
      const gaps = errors.slice(1).map((e, i) => e.at - (errors[i]?.at ?? 0));
      for (let i = 1; i < Math.min(gaps.length, 3); i++) assert.ok((gaps[i] ?? 0) >= (gaps[i - 1] ?? 0) * 1.5, `gaps grow: ${gaps.map(Math.round).join(', ')}`);
      assert.equal(mirror.status().connection === 'connected', false);
      assert.ok(hasErrorCode(mirror.status().lastError, ErrorCode.Mqtt_Auth));
    } finally {
      await mirror.stop();
    }
  });

  it('an MQTT 3.1.1 connection with wrong credentials is the same Mqtt_Auth error', async () => {
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-auth', username: 'pi-auth', password: 'wrong', protocol: 4, backoff: { initialMs: 1000, maxMs: 1000 } });
    const refused = new Promise<AgentError>((resolve) => mirror.on('error', resolve));
    try {
      mirror.start();
      const error = await refused;
      assert.ok(hasErrorCode(error, ErrorCode.Mqtt_Auth), error.message);
      assert.equal(error.context['reasonCode'], 5);
      assert.equal(error.context['protocolVersion'], 4);
    } finally {
      await mirror.stop();
    }
  });

  it('the fleet tools report refused credentials as Mqtt_Auth', async () => {
    await assert.rejects(listFleet({ url: broker.url, username: 'fleet', password: 'nope' }), (error: unknown) => hasErrorCode(error, ErrorCode.Mqtt_Auth));
    await assert.rejects(listFleet({ url: broker.url }), (error: unknown) => hasErrorCode(error, ErrorCode.Mqtt_Auth));
  });
});
