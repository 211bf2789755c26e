import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, saveSettings, settingsPath } from '../../../src/agent/runtime/settings.js';

describe('run-time settings (settings.json)', () => {
  it('are saved owner-only beside the database and read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-settings-'));
    try {
      const path = settingsPath(join(dir, 'agent.db'));
      assert.equal(path, join(dir, 'settings.json'));
      assert.deepEqual(loadSettings(path), {}, 'no file: nothing changed');
      saveSettings(path, { 'location.pollS': 30, 'log.level': 'debug' });
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.deepEqual(loadSettings(path), { 'location.pollS': 30, 'log.level': 'debug' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignore a file that breaks the set-config rules, and say why; leave out unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-settings-'));
    try {
      const path = join(dir, 'settings.json');
      const reasons: string[] = [];
      writeFileSync(path, JSON.stringify({ 'location.pollS': 1 }));
      assert.deepEqual(loadSettings(path, (reason) => reasons.push(reason)), {});
      assert.match(reasons[0] ?? '', /location\.pollS/);
      writeFileSync(path, '{broken');
      assert.deepEqual(loadSettings(path, (reason) => reasons.push(reason)), {});
      assert.equal(reasons.length, 2);
      writeFileSync(path, JSON.stringify({ 'future.key': 3, 'mqtt.stateIntervalMs': 500 }));
      assert.deepEqual(loadSettings(path), { 'mqtt.stateIntervalMs': 500 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrate a file with the old key names (and a trace log level) to the YAML names, and write it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-settings-'));
    try {
      const path = join(dir, 'settings.json');
      writeFileSync(path, JSON.stringify({ 'gnss.intervalSeconds': 30, 'router.modemFallbackAfterSeconds': 5, 'mqtt.stateMinIntervalMs': 500, 'log.level': 'trace' }));
      const changes: string[] = [];
      const expected = { 'location.pollS': 30, 'modem.fallbackAfterS': 5, 'mqtt.stateIntervalMs': 500, 'log.level': 'debug' };
      assert.deepEqual(loadSettings(path, () => assert.fail('not invalid'), (list) => changes.push(...list)), expected);
      assert.equal(changes.length, 4, changes.join(', '));
      assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), expected, 'written back with the new names');
      assert.deepEqual(loadSettings(path, undefined, () => assert.fail('migrated once only')), expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
