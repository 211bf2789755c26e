import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { listProfiles, loadProfile, defaultProfileDir } from '../../../src/modem/profile/index.js';
import { AgentError, ErrorCode } from '../../../src/errors.js';

const required = ['simcom-sim800', 'simcom-sim7000', 'simcom-sim7600', 'quectel-ec25', 'quectel-bg96', 'ublox-sara-r4', 'generic-3gpp'];

function withBroken(mutate: (doc: Record<string, unknown>) => void): AgentError {
  const dir = mkdtempSync(join(tmpdir(), 'profile-'));
  try {
    const doc = parse(readFileSync(join(defaultProfileDir, 'simcom-sim7600.yaml'), 'utf8')) as Record<string, unknown>;
    mutate(doc);
    writeFileSync(join(dir, 'simcom-sim7600.yaml'), stringify(doc));
    try {
      loadProfile('simcom-sim7600', dir);
    } catch (error) {
      assert.ok(error instanceof AgentError);
      assert.equal(error.code, ErrorCode.Modem_InvalidProfile);
      return error;
    }
    throw new Error('expected the profile to be refused');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('modem profiles (firmware-config/)', () => {
  it('ships one file per required family', () => {
    for (const name of required) assert.ok(listProfiles().includes(name), `${name} missing`);
  });

  it('loads and validates every file in firmware-config/', () => {
    for (const name of listProfiles()) {
      const profile = loadProfile(name);
      assert.equal(profile.name, name);
      assert.ok(profile.init.every((c) => /^AT/i.test(c)));
      assert.ok(profile.health.pollIntervalMs > profile.timeouts.commandMs);
      assert.ok(Object.isFrozen(profile));
    }
  });

  it('keeps family facts as data: SIM800 never asks for stored status reports, Quectel treats 516 as no fix', () => {
    assert.ok(loadProfile('simcom-sim800').sms.cnmi.every((c) => c.split(',')[3] !== '2'));
    assert.deepEqual(loadProfile('quectel-ec25').gnss.noFixErrors, [516]);
    assert.equal(loadProfile('simcom-sim7600').gnss.parser, 'simcom-cgpsinfo');
    assert.ok(loadProfile('simcom-sim7000').registration.commands.includes('CEREG'));
  });

  it('refuses a bad value naming file, key, value and fix', () => {
    const error = withBroken((doc) => ((doc['timeouts'] as Record<string, unknown>)['commandMs'] = -1));
    assert.match(error.message, /simcom-sim7600\.yaml: timeouts\.commandMs: must be an integer 100\.\.600000, got -1/);
    assert.equal(error.context['key'], 'timeouts.commandMs');
    assert.equal(error.context['value'], -1);
    assert.match(String(error.context['fix']), /timeouts\.commandMs/);
  });

  it('refuses unknown keys (typos), bad enums, bad commands and impossible combinations', () => {
    assert.match(withBroken((doc) => ((doc['sms'] as Record<string, unknown>)['statusReport'] = true)).message, /sms\.statusReport: is not a known key/);
    assert.match(withBroken((doc) => ((doc['gnss'] as Record<string, unknown>)['parser'] = 'nmea')).message, /gnss\.parser: must be one of/);
    assert.match(withBroken((doc) => (doc['init'] = ['ATE0', 'CMEE=1'])).message, /init\[1\]: must be one AT command/);
    assert.match(withBroken((doc) => (doc['baudRate'] = 115201)).message, /baudRate: must be one of/);
    assert.match(withBroken((doc) => ((doc['sms'] as Record<string, unknown>)['cnmi'] = ['2,1,0,x'])).message, /sms\.cnmi\[0\]/);
    assert.match(withBroken((doc) => ((doc['health'] as Record<string, unknown>)['backoffMaxMs'] = 100)).message, /backoffMaxMs: must be >= health\.backoffInitialMs/);
    assert.match(withBroken((doc) => (doc['name'] = 'other')).message, /name: must equal the file name/);
  });

  it('names the known profiles when asked for an unknown one', () => {
    assert.throws(() => loadProfile('nokia-3310'), (e: unknown) => e instanceof AgentError && /unknown modem profile 'nokia-3310'/.test(e.message) && /simcom-sim800/.test(String(e.context['fix'])));
  });
});
