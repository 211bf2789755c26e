import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { agentConfigSchema, checkUrls, envName, loadConfig, redactConfig } from '../../../src/agent/config/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import type { Schema } from '../../../src/agent/config/schema.js';

const examplePath = new URL('../../../firmware-config/agent/config.example.yaml', import.meta.url).pathname;
const minimal = 'device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000" }\n';

function rejects(text: string, code: number, pattern: RegExp, env: NodeJS.ProcessEnv = {}): void {
  assert.throws(
    () => loadConfig({ text, env }),
    (error: unknown) => hasErrorCode(error, code as never) && pattern.test(error.message),
  );
}

describe('agent config', () => {
  it('loads the shipped example', () => {
    const config = loadConfig({ file: examplePath, env: {} });
    assert.equal(config.device.id, 'pi-0042');
    assert.equal(config.modem.profile, 'simcom-sim7600');
    assert.equal(config.reports.kinds['alarm']?.priority, 'critical');
  });

  it('the example mentions every key the schema knows', () => {
    const text = readFileSync(examplePath, 'utf8');
    const missing: string[] = [];
    const walk = (schema: Schema<unknown>, path: string): void => {
      if (schema.fields === undefined) {
        const key = path.split('.').at(-1) ?? '';
        if (!new RegExp(`^\\s*#?\\s*${key}:`, 'm').test(text)) missing.push(path);
        return;
      }
      for (const [key, field] of Object.entries(schema.fields)) walk(field, path === '' ? key : `${path}.${key}`);
    };
    walk(agentConfigSchema, '');
    assert.deepEqual(missing, []);
  });

  it('fills defaults, and keeps built-in policies of standard kinds for keys the file leaves out', () => {
    const config = loadConfig({ text: `${minimal}reports: { kinds: { alarm: { ttlS: 60 }, pump: { encoding: binary } } }`, env: {} });
    assert.equal(config.smpp.enquireLinkS, 30);
    assert.deepEqual(config.reports.kinds['alarm'], {
      priority: 'critical', ttlS: 60, maxDelayS: 0, maxAttempts: 20, encoding: 'text', receipts: true, modemFallback: true, coalesce: 0,
    });
    assert.equal(config.reports.kinds['pump']?.encoding, 'binary');
    assert.equal(config.reports.kinds['pump']?.priority, 'normal');
    assert.equal(config.reports.kinds['location']?.coalesce, 10);
  });

  it('takes EDGE_SMS_* overrides, typed by the key', () => {
    const config = loadConfig({
      text: minimal,
      env: { EDGE_SMS_SMPP_URL: 'smpps://a:b@smsc.example:3550', EDGE_SMS_SMPP_RESPONSE_TIMEOUT_MS: '5000', EDGE_SMS_MQTT_ENABLED: 'false', EDGE_SMS_DEVICE_GROUPS: 'a, b', EDGE_SMS_DB: '/tmp/x.db', EDGE_SMS_CONFIG: '/ignored', PATH: '/bin' },
    });
    assert.equal(config.smpp.url, 'smpps://a:b@smsc.example:3550');
    assert.equal(config.smpp.responseTimeoutMs, 5000);
    assert.equal(config.mqtt.enabled, false);
    assert.deepEqual(config.device.groups, ['a', 'b']);
    assert.equal(config.store.path, '/tmp/x.db');
    assert.equal(envName('smpp.responseTimeoutMs'), 'EDGE_SMS_SMPP_RESPONSE_TIMEOUT_MS');
  });

  it('names the key, the value and the fix', () => {
    rejects('device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234", enquireLinkS: 0 }', ErrorCode.Config_Invalid, /^smpp\.enquireLinkS: must be an integer 1\.\.3600 \(s\), got 0$/);
    rejects('device: { id: "bad id!" }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234" }', ErrorCode.Config_Invalid, /^device\.id: must be 1-64 characters/);
    rejects('device: { id: all }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234" }', ErrorCode.Config_Invalid, /^device\.id: .*not 'all' or 'group'/);
    rejects(`${minimal}mqtt: { prefix: "edge/#" }`, ErrorCode.Config_Invalid, /^mqtt\.prefix: must be topic levels/);
    rejects(`${minimal}modem: { profile: SIM7600 }`, ErrorCode.Config_Invalid, /modem\.profile: must be a profile name/);
    rejects('smpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234" }', ErrorCode.Config_Invalid, /^device\.id: is required, got nothing$/);
    rejects(`${minimal}log: { level: loud }`, ErrorCode.Config_Invalid, /log\.level: must be one of fatal, error/);
    rejects(minimal, ErrorCode.Config_Invalid, /smpp\.maxRate: must be a number/, { EDGE_SMS_SMPP_MAX_RATE: 'fast' });
  });

  it('refuses unknown keys, with a suggestion for a typo', () => {
    rejects(`${minimal}mqtt: { prefx: x }`, ErrorCode.Config_UnknownKey, /^mqtt\.prefx: unknown key \(did you mean prefix\?\)$/);
    rejects(`${minimal}colour: blue`, ErrorCode.Config_UnknownKey, /^colour: unknown key \(known keys here: device, smpp/);
    rejects(minimal, ErrorCode.Config_UnknownKey, /EDGE_SMS_SMPP_PASWORD is not a config key/, { EDGE_SMS_SMPP_PASWORD: 'x' });
  });

  it('reports YAML errors with their line', () => {
    rejects('device:\n  id: [unclosed\n', ErrorCode.Config_Parse, /YAML error at line \d+/);
    rejects('- a\n- b\n', ErrorCode.Config_Parse, /top level must be a mapping/);
    rejects(`${minimal}device: { id: again }`, ErrorCode.Config_Parse, /Map keys must be unique/);
  });

  it('says how to fix a missing file', () => {
    assert.throws(() => loadConfig({ file: '/nonexistent/config.yaml', env: {} }), (error: unknown) => hasErrorCode(error, ErrorCode.Config_FileNotFound) && /ENOENT.*agent\/config\.example\.yaml/.test(error.message));
  });

  it('takes the SMPP reconnect back-off: defaults 1 s and 30 s, from the file or the environment, checked', () => {
    const defaults = loadConfig({ text: minimal, env: {} });
    assert.deepEqual([defaults.smpp.reconnectMinS, defaults.smpp.reconnectMaxS], [1, 30]);
    const given = loadConfig({ text: `device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234", reconnectMinS: 0.5, reconnectMaxS: 10 }`, env: { EDGE_SMS_SMPP_RECONNECT_MAX_S: '15' } });
    assert.deepEqual([given.smpp.reconnectMinS, given.smpp.reconnectMaxS], [0.5, 15]);
    rejects(`device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234", reconnectMaxS: 0 }`, ErrorCode.Config_Invalid, /^smpp\.reconnectMaxS: must be a number 1\.\.3600 \(s\), got 0$/);
    rejects(`device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234", reconnectMinS: 0 }`, ErrorCode.Config_Invalid, /^smpp\.reconnectMinS: must be a number 0\.1\.\.300 \(s\), got 0$/);
    rejects(minimal, ErrorCode.Config_Invalid, /^smpp\.reconnectMinS: must be a number .*got "soon"$/, { EDGE_SMS_SMPP_RECONNECT_MIN_S: 'soon' });
    rejects(`device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234", reconnectMinS: 60, reconnectMaxS: 30 }`, ErrorCode.Config_Invalid, /^smpp\.reconnectMaxS: must be at least smpp\.reconnectMinS \(60 s\): raise it or lower reconnectMinS; got 30$/);
  });

  it('refuses combinations that cannot work', () => {
    rejects('device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+1234", responseTimeoutMs: 40000, enquireLinkS: 30 }', ErrorCode.Config_Invalid, /must be shorter than smpp\.enquireLinkS/);
    rejects(`${minimal}modem: { enabled: false }`, ErrorCode.Config_Invalid, /location comes from the modem/);
  });

  it('refuses before the agent starts what a link would refuse later: the SMPP URL checked, none made up, no credentials in mqtt.url', () => {
    const device = 'device: { id: pi-1 }\n';
    const rejects = (text: string, code: number, pattern: RegExp): void => {
      assert.throws(() => checkUrls(loadConfig({ text, env: {} })), (error: unknown) => hasErrorCode(error, code as ErrorCode) && pattern.test(error.message));
    };
    rejects(`${device}smpp: { destination: "+1234" }`, ErrorCode.Config_Invalid, /^smpp\.url: is required while smpp\.enabled is true: set smpp\.url \(or EDGE_SMS_SMPP_URL\) to smpp:\/\/.*, or set smpp\.enabled: false$/);
    rejects(`${device}smpp: { destination: "+1234", url: "smpp://a:Secr3t@h:1?window=0" }`, ErrorCode.Config_Invalid, /^smpp\.url: window must be an integer 1\.\.1000, got '0'; fix the URL, e\.g\. smpp:\/\//);
    rejects(`${device}smpp: { destination: "+1234", url: "smpp://a:Secr3t@h:1?bind=foo" }`, ErrorCode.Config_Invalid, /^smpp\.url: bind must be tx, rx or trx, got 'foo'/);
    assert.throws(() => checkUrls(loadConfig({ text: `${device}smpp: { destination: "+1234", url: "smpp://a:Secr3t@h:1?bind=foo" }`, env: {} })), (error: unknown) => !JSON.stringify(error).includes('Secr3t') && !String(error).includes('Secr3t'));
    rejects(`${minimal}mqtt: { url: "mqtt://u:Secr3t@broker:1883" }`, ErrorCode.Config_Invalid, /^mqtt\.url: put credentials in mqtt\.username \/ mqtt\.password, not in the URL$/);
    // Disabled links need no URL.
    assert.equal(loadConfig({ text: `${device}smpp: { enabled: false, destination: "+1234" }\nmodem: { enabled: true }`, env: {} }).smpp.url, undefined);
  });

  it('never shows secrets in its redacted form', () => {
    const config = loadConfig({ text: `${minimal}modem: { pin: "1234" }\nmqtt: { enabled: false, url: "mqtts://u:topsecret@broker:8883", password: hunter2 }`, env: { EDGE_SMS_SMPP_URL: 'smpp://edge:s3cret@smsc:2775?bind=trx' } });
    const text = JSON.stringify(redactConfig(config));
    for (const secret of ['1234', 'topsecret', 'hunter2', 's3cret']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.match(text, /smpp:\/\/edge:\[redacted\]@smsc:2775\?bind=trx/);
  });
});
