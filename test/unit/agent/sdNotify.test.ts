import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemdNotifier } from '../../../src/agent/sdNotify.js';

function requireTool(name: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`]);
  } catch {
    assert.fail(`${name} is needed for this test (python3 plays systemd's notify socket; systemd-notify comes with systemd)`);
  }
}

describe('SystemdNotifier', () => {
  it('does nothing outside systemd', async () => {
    const calls: string[][] = [];
    const notifier = new SystemdNotifier({ env: {}, run: (args) => (calls.push([...args]), Promise.resolve()) });
    await notifier.ready();
    await notifier.watchdog();
    assert.equal(notifier.active, false);
    assert.equal(notifier.watchdogIntervalMs, undefined);
    assert.deepEqual(calls, []);
  });

  it('pets the watchdog at half of WatchdogSec, never faster than once a second', () => {
    assert.equal(new SystemdNotifier({ env: { NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '30000000' } }).watchdogIntervalMs, 15000);
    assert.equal(new SystemdNotifier({ env: { NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '1000' } }).watchdogIntervalMs, 1000);
    assert.equal(new SystemdNotifier({ env: { NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' } }).watchdogIntervalMs, undefined);
  });

  it('reports the first failure once and keeps going', async () => {
    const errors: Error[] = [];
    const notifier = new SystemdNotifier({ env: { NOTIFY_SOCKET: '/x' }, run: () => Promise.reject(new Error('gone')), onError: (e) => errors.push(e) });
    await notifier.ready();
    await notifier.watchdog();
    assert.equal(errors.length, 1);
  });

  it('delivers READY=1 and WATCHDOG=1 to a real notify socket through systemd-notify', async () => {
    requireTool('python3');
    requireTool('systemd-notify');
    const dir = mkdtempSync(join(tmpdir(), 'esa-notify-'));
    const socket = join(dir, 'notify.sock');
    const script = new URL('../../fakes/notify-socket.py', import.meta.url).pathname;
    const receiver = spawn('python3', [script, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
    let received = '';
    receiver.stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
    try {
      for (let i = 0; i < 250 && !received.includes('LISTENING'); i++) await delay(20);
      const notifier = new SystemdNotifier({ env: { NOTIFY_SOCKET: socket }, onError: (e) => assert.fail(e.message) });
      await notifier.ready('bound');
      await notifier.watchdog();
      for (let i = 0; i < 100 && !received.includes('WATCHDOG=1'); i++) await delay(20);
      assert.match(received, /READY=1/);
      assert.match(received, /STATUS=bound/);
      assert.match(received, new RegExp(`MAINPID=${process.pid}`));
      assert.match(received, /WATCHDOG=1/);
    } finally {
      receiver.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
