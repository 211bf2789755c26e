/**
 * Remote set-config: the YAML key names, the old names as deprecated aliases, and nothing that
 * touches a secret, a URL or the command policy, or that would reveal a secret (trace logging).
 * The README's key list is the same list.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deprecatedConfigKeys, safeConfigKeys, validateCommand } from '../../../src/mqtt/index.js';
import { isAgentError } from '../../../src/errors.js';

function refused(values: Record<string, unknown>): { code: unknown; field: unknown; message: string } {
  try {
    validateCommand('set-config', { values });
  } catch (error) {
    assert.ok(isAgentError(error));
    return { code: error.context['replyCode'], field: error.context['field'], message: error.message };
  }
  assert.fail(`accepted ${JSON.stringify(values)}`);
}

describe('remote set-config safety', () => {
  it('refuses secrets, URLs, certificates, the command policy, local doors and identity by name', () => {
    const unsafe = [
      'smpp.url', 'smpp.caFile', 'mqtt.url', 'mqtt.username', 'mqtt.password', 'mqtt.caFile', 'mqtt.certFile', 'mqtt.keyFile', 'modem.pin',
      'commands.allow', 'commands.pin', 'commands.key', 'commands.keyFile', 'commands.unsigned', 'commands.maxFailures', 'commands.lockoutS',
      'api.listen', 'store.path', 'device.id',
    ];
    for (const key of unsafe) {
      const refusal = refused({ 'location.pollS': 60, [key]: 'x' });
      assert.equal(refusal.field, `values.${key}`, key);
      assert.match(refusal.message, /cannot be changed remotely/, key);
    }
    assert.match(refused({ 'smpp.systemType': 'x' }).message, /unknown field/);
  });

  it('never turns trace on: debug is the most', () => {
    assert.match(refused({ 'log.level': 'trace' }).message, /trace cannot be set remotely/);
    assert.deepEqual(validateCommand('set-config', { values: { 'log.level': 'debug' } }), { values: { 'log.level': 'debug' } });
  });

  it('takes the YAML key names, and the old names as deprecated aliases (named in the reply)', () => {
    assert.deepEqual(validateCommand('set-config', { values: { 'location.pollS': 30, 'modem.fallbackAfterS': 5 } }), { values: { 'location.pollS': 30, 'modem.fallbackAfterS': 5 } });
    assert.deepEqual(validateCommand('set-config', { values: { 'router.modemFallbackAfterSeconds': 5, 'gnss.intervalSeconds': 30 } }), {
      values: { 'modem.fallbackAfterS': 5, 'location.pollS': 30 },
      deprecated: { 'router.modemFallbackAfterSeconds': 'modem.fallbackAfterS', 'gnss.intervalSeconds': 'location.pollS' },
    });
    for (const [old, current] of Object.entries(deprecatedConfigKeys)) assert.ok(safeConfigKeys.includes(current), `${old} → ${current}`);
    assert.match(refused({ 'gnss.intervalSeconds': 30, 'location.pollS': 30 }).message, /give location\.pollS only/);
    assert.match(refused({ 'gnss.intervalSeconds': 1 }).message, /location\.pollS/);
  });

  it('the README documents exactly these keys', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = /### Remote set-config[\s\S]*?(?=\n#{2,3} )/.exec(readme)?.[0] ?? '';
    assert.ok(section !== '', 'README has a "Remote set-config" section');
    const listed = [...section.matchAll(/^\| `([a-z]+\.[A-Za-z]+)` \|/gm)].map((match) => match[1]);
    assert.deepEqual(listed, safeConfigKeys);
  });
});
