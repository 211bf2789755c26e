import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
      saveSettings(path, { 'gnss.intervalSeconds': 30, 'log.level': 'debug' });
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.deepEqual(loadSettings(path), { 'gnss.intervalSeconds': 30, 'log.level': 'debug' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignore a file that breaks the set-config rules, and say why; leave out unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-settings-'));
    try {
      const path = join(dir, 'settings.json');
      const reasons: string[] = [];
      writeFileSync(path, JSON.stringify({ 'gnss.intervalSeconds': 1 }));
      assert.deepEqual(loadSettings(path, (reason) => reasons.push(reason)), {});
      assert.match(reasons[0] ?? '', /gnss\.intervalSeconds/);
      writeFileSync(path, '{broken');
      assert.deepEqual(loadSettings(path, (reason) => reasons.push(reason)), {});
      assert.equal(reasons.length, 2);
      writeFileSync(path, JSON.stringify({ 'future.key': 3, 'mqtt.stateMinIntervalMs': 500 }));
      assert.deepEqual(loadSettings(path), { 'mqtt.stateMinIntervalMs': 500 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
