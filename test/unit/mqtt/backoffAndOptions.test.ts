import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff } from '../../../src/mqtt/backoff.js';
import { resolveMirrorOptions } from '../../../src/mqtt/index.js';
import { ErrorCode, hasErrorCode, type AgentError } from '../../../src/errors.js';

describe('reconnect back-off', () => {
  it('doubles from the first delay up to the ceiling, and starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    assert.deepEqual(Array.from({ length: 6 }, () => backoff.next()), [100, 200, 400, 800, 1000, 1000]);
    backoff.reset();
    assert.equal(backoff.next(), 100);
  });

  it('jitters within [base × (1 − jitter), base]', () => {
    const low = new Backoff({ initialMs: 1000, maxMs: 60_000, jitter: 0.5 }, () => 0);
    const high = new Backoff({ initialMs: 1000, maxMs: 60_000, jitter: 0.5 }, () => 1);
    assert.deepEqual([low.next(), low.next()], [500, 1000]);
    assert.deepEqual([high.next(), high.next()], [1000, 2000]);
  });
});

describe('mirror options', () => {
  const base = { url: 'mqtt://broker:1883', deviceId: 'pi-1' };

  function refusedKey(options: Parameters<typeof resolveMirrorOptions>[0]): string {
    try {
      resolveMirrorOptions(options);
    } catch (error) {
      assert.ok(hasErrorCode(error, ErrorCode.Config_Invalid), String(error));
      return String((error as AgentError).context['key']);
    }
    assert.fail('expected a refusal');
  }

  it('fills documented defaults and derives the client id from the device id', () => {
    const resolved = resolveMirrorOptions(base);
    assert.equal(resolved.clientId, 'edge-sms-pi-1');
    assert.equal(resolved.prefix, 'edge-sms');
    assert.equal(resolved.protocol, 'auto');
    assert.equal(resolved.stateMinIntervalMs, 1000);
    assert.equal(resolved.keepaliveSeconds, 30);
    assert.deepEqual(resolved.backoff, { initialMs: 1000, maxMs: 60_000, jitter: 0.5 });
    assert.equal(resolved.homeAssistant.enabled, false);
    assert.equal(resolved.maxPayloadBytes, 65_536);
    assert.equal(resolved.maxPacketBytes, 65_536 + 4096, 'room for the topic and MQTT 5 properties');
  });

  it('accepts the four URL schemes and refuses others, and credentials in the URL', () => {
    for (const url of ['mqtt://h', 'mqtts://h:8883', 'ws://h/mqtt', 'wss://h/mqtt']) resolveMirrorOptions({ ...base, url });
    assert.equal(refusedKey({ ...base, url: 'http://h' }), 'mqtt.url');
    assert.equal(refusedKey({ ...base, url: 'not a url' }), 'mqtt.url');
    assert.equal(refusedKey({ ...base, url: 'mqtt://user:pw@h' }), 'mqtt.url');
  });

  it('refuses impossible values with the key named', () => {
    assert.equal(refusedKey({ ...base, stateMinIntervalMs: 50 }), 'mqtt.stateMinIntervalMs');
    assert.equal(refusedKey({ ...base, keepaliveSeconds: 0 }), 'mqtt.keepaliveSeconds');
    assert.equal(refusedKey({ ...base, backoff: { initialMs: 5000, maxMs: 1000 } }), 'mqtt.backoff.maxMs');
    assert.equal(refusedKey({ ...base, password: 'x' }), 'mqtt.password');
    assert.equal(refusedKey({ ...base, tls: { certFile: '/x' } }), 'mqtt.tls');
    assert.equal(refusedKey({ ...base, tls: { caFile: '/nonexistent/ca.pem' } }), 'mqtt.tls.caFile');
    assert.equal(refusedKey({ ...base, groups: ['ok', 'bad/group'] }), 'mqtt.groups');
    assert.equal(refusedKey({ ...base, deviceId: 'all' }), 'deviceId');
    assert.equal(refusedKey({ ...base, maxPayloadBytes: 1023 }), 'mqtt.maxPayloadBytes');
    assert.equal(refusedKey({ ...base, maxPayloadBytes: 16 * 1024 * 1024 + 1 }), 'mqtt.maxPayloadBytes');
  });

  it('reads TLS files at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirror-tls-'));
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    writeFileSync(join(dir, 'cert.pem'), 'CERT');
    writeFileSync(join(dir, 'key.pem'), 'KEY');
    const resolved = resolveMirrorOptions({ ...base, url: 'mqtts://h', tls: { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } });
    assert.equal(resolved.tls.ca?.toString(), 'CA');
    assert.equal(resolved.tls.cert?.toString(), 'CERT');
    assert.equal(resolved.tls.key?.toString(), 'KEY');
    assert.equal(resolved.tls.rejectUnauthorized, true);
  });
});
