/**
 * The shipped unit passes `systemd-analyze verify`, with ExecStart pointing at this checkout's
 * built CLI (verify checks that the program exists), and keeps the settings the agent relies on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const unitPath = new URL('../../systemd/edge-sms-agent.service', import.meta.url).pathname;
const cliPath = new URL('../../src/cli/main.ts', import.meta.url).pathname;

describe('systemd unit', () => {
  it('passes systemd-analyze verify', () => {
    try {
      execFileSync('sh', ['-c', 'command -v systemd-analyze']);
    } catch {
      assert.fail('systemd-analyze is needed (Debian package systemd; scripts/test.sh installs it)');
    }
    const unit = readFileSync(unitPath, 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'esa-unit-'));
    try {
      const local = join(dir, 'edge-sms-agent.service');
      writeFileSync(local, unit.replace(/^ExecStart=\S+ \S+/m, `ExecStart=${process.execPath} ${cliPath}`));
      const result = spawnSync('systemd-analyze', ['verify', local], { encoding: 'utf8' });
      // Lines about the host's own units are not ours to judge; anything naming our unit is.
      const ours = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes('edge-sms-agent'));
      assert.deepEqual(ours, [], ours.join('\n'));
      assert.equal(result.status, 0, result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is Type=notify with a watchdog, restarts on failure, and may open the serial port', () => {
    const unit = readFileSync(unitPath, 'utf8');
    for (const line of ['Type=notify', 'NotifyAccess=all', 'Restart=on-failure', 'StateDirectory=edge-sms-agent', 'ConfigurationDirectory=edge-sms-agent', 'SupplementaryGroups=dialout', 'ProtectSystem=strict', 'ProtectHome=yes', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'DeviceAllow=char-ttyUSB rw']) {
      assert.ok(unit.split('\n').includes(line), `missing ${line}`);
    }
    assert.match(unit, /^WatchdogSec=\d+/m);
    assert.match(unit, /^RestrictAddressFamilies=.*AF_UNIX.*AF_INET/m);
  });

  it('runs node with the memory settings the benchmarks measured: a small young generation, a capped old one, two malloc arenas', () => {
    const unit = readFileSync(unitPath, 'utf8').split('\n');
    assert.ok(unit.includes('Environment="NODE_OPTIONS=--max-semi-space-size=1 --max-old-space-size=256"'), 'missing NODE_OPTIONS');
    assert.ok(unit.includes('Environment=MALLOC_ARENA_MAX=2'), 'missing MALLOC_ARENA_MAX=2');
    // Bounded by the kernel too, with room over the measured drain peak (~94 MiB) and V8's 256 MB cap.
    for (const line of ['MemoryHigh=256M', 'MemoryMax=320M', 'TasksMax=64']) assert.ok(unit.includes(line), `missing ${line}`);
    // The README's first command runs the demo with the same arena count.
    assert.match(readFileSync(new URL('../../scripts/demo.sh', import.meta.url), 'utf8'), /^export MALLOC_ARENA_MAX="\$\{MALLOC_ARENA_MAX:-2\}"$/m);
  });
});
