/**
 * Ctrl-C at any moment of `edge-sms-agent demo` (a real process, as `scripts/demo.sh` execs it):
 * right after it starts everything, and in the middle of the SMSC outage. Every process it started
 * (socat for the modem's pseudo-terminal, Mosquitto) is gone, its temporary folder is removed, and
 * it exits 130 saying so.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { until } from '../helpers/agentProcess.js';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Every live process descended from `root` (by the parent pid in /proc/PID/stat). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie is dead, only not yet reaped
  } catch {
    return false;
  }
}

describe('the demo stops cleanly on Ctrl-C', () => {
  for (const moment of [/the agent +outbox/, /✂ the SMSC goes away/]) {
    it(`at "${moment.source}": no process left, no folder left, exit 130`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', cli, 'demo', '--fast'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        await until(() => moment.test(out) || child.exitCode !== null, 60_000, `the demo to reach ${moment.source}`);
        const dir = /outbox (\S+)\/agent\.db/.exec(out)?.[1];
        assert.ok(dir !== undefined && existsSync(dir), out);
        const started = descendants(child.pid ?? -1);
        assert.ok(started.length >= 1, 'the demo runs helper processes (socat at least)');
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        const code = await exited;
        clearTimeout(timer);
        assert.equal(code, 130, err);
        assert.match(err, /demo interrupted/);
        assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
        await until(() => started.every((pid) => !alive(pid)), 5_000, `helper processes ${started.join(', ')} to be gone`);
        assert.equal(existsSync(dir), false, `${dir} removed`);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }
});
