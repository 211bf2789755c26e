import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { MqttMirror } from '../../src/mqtt/index.js';
import { ErrorCode, hasErrorCode, type AgentError } from '../../src/errors.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { makeTestPki, type TestPki } from '../helpers/testCertificates.js';

describe('mqtts:// with a private CA and client certificates', () => {
  let pki: TestPki;
  let broker: Mosquitto;
  before(async () => {
    pki = makeTestPki();
    broker = await Mosquitto.start({ tls: { caFile: pki.caCert, certFile: pki.serverCert, keyFile: pki.serverKey, requireClientCert: true } });
  });
  after(async () => {
    await broker.stop();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('connects with the CA and a client certificate, and publishes as usual', async () => {
    const mirror = new MqttMirror({ url: broker.tlsUrl, deviceId: 'pi-tls', tls: { caFile: pki.caCert, certFile: pki.clientCert, keyFile: pki.clientKey } });
    try {
      mirror.start();
      await mirror.whenConnected(5000);
      const probe = await MqttProbe.connect(broker.url);
      await probe.subscribe('edge-sms/pi-tls/status');
      assert.equal((await probe.waitForTopic('edge-sms/pi-tls/status')).text, 'online');
      await probe.close();
    } finally {
      await mirror.stop();
    }
  });

  it('without a client certificate the broker refuses, and the mirror reports it and keeps retrying', async () => {
    const mirror = new MqttMirror({ url: broker.tlsUrl, deviceId: 'pi-nocert', tls: { caFile: pki.caCert }, backoff: { initialMs: 50, maxMs: 100 } });
    const errors: AgentError[] = [];
    mirror.on('error', (error) => errors.push(error));
    try {
      mirror.start();
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.ok(errors.length >= 2, `retried: ${errors.length}`);
      assert.ok(errors.every((error) => hasErrorCode(error, ErrorCode.Mqtt_Connect)));
      assert.notEqual(mirror.status().connection, 'connected');
    } finally {
      await mirror.stop();
    }
  });

  it('refuses a broker certificate from an unknown CA', async () => {
    const mirror = new MqttMirror({ url: broker.tlsUrl, deviceId: 'pi-noca', tls: { certFile: pki.clientCert, keyFile: pki.clientKey }, backoff: { initialMs: 50, maxMs: 100 } });
    const errors: AgentError[] = [];
    mirror.on('error', (error) => errors.push(error));
    try {
      mirror.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(errors.length >= 1);
      assert.match(errors[0]?.message ?? '', /certificate/i);
    } finally {
      await mirror.stop();
    }
  });
});
