/**
 * `events --follow` and `status --watch` against a real agent process (SMSC simulator, local API on a
 * Unix socket), each run as its own CLI process: events arrive on standard output as they happen
 * (JSON lines, or one human line each), the recent ones without --follow; the live status redraws in
 * place on a terminal (a pseudo-terminal from util-linux `script`) and gives the terminal back, prints
 * plain blocks into a pipe, and ends cleanly on Ctrl-C (SIGINT).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmscSimulator } from '../../src/sim/index.js';
import { account } from '../helpers/simSetup.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

interface Cli {
  readonly child: ChildProcess;
  out: string;
  err: string;
  readonly done: Promise<number | null>;
}

function spawnCli(args: readonly string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EDGE_SMS_CONFIG: '' } });
  const run: Cli = { child, out: '', err: '', done: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout?.on('data', (chunk: Buffer) => (run.out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (run.err += chunk.toString()));
  return run;
}

/** Waits for the process to end, killing it after `ms` so a hung command fails the test instead of hanging it. */
async function finished(run: Cli, ms: number): Promise<number | null> {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
  try {
    return await run.done;
  } finally {
    clearTimeout(timer);
  }
}

describe('the CLI shows the agent live', () => {
  let dir = '';
  let sim: SmscSimulator;
  let agent: AgentProcess;
  let config = '';
  let socket = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esa-live-'));
    sim = new SmscSimulator({ accounts: [account], port: 0 });
    const port = await sim.start();
    socket = join(dir, 'api.sock');
    config = writeAgentConfig(dir, [
      'device: { id: pi-live }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${port}?bind=trx", destination: "+447700900000", reconnectMinS: 0.2 }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { alarm: { receipts: false } } }',
      'mqtt: { enabled: false }',
      `api: { listen: "unix:${socket}" }`,
      'log: { level: warn }',
    ]);
    agent = new AgentProcess(config);
    agent.start();
    await waitForApi(socket, 20_000);
    for (;;) {
      const state = JSON.parse((await callApi(socket, 'GET', '/state')).text) as { smpp: { state: string } };
      if (state.smpp.state === 'bound') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    await agent.kill('SIGTERM');
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('events --follow --json prints each event as it happens; events prints the recent ones', async () => {
    const follow = spawnCli(['events', '--follow', '--json', '--config', config, '--count', '2']);
    try {
      let posted = 0;
      const deadline = Date.now() + 20_000;
      while ((follow.out.match(/report-submitted/g) ?? []).length < 2 && follow.child.exitCode === null && Date.now() < deadline) {
        // Repeated until the follower has seen two: its connection may not be up for the first ones.
        assert.equal((await callApi(socket, 'POST', '/reports', { kind: 'alarm', data: { door: ++posted } })).status, 201);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      assert.equal(await finished(follow, 20_000), 0, JSON.stringify({ out: follow.out, err: follow.err }));
      const lines = follow.out.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; at: string });
      assert.equal(lines.length, 2, '--count 2');
      assert.ok(lines.every((line) => typeof line.type === 'string' && !Number.isNaN(Date.parse(line.at))));
      assert.ok(lines.some((line) => line.type === 'report-submitted'));
    } finally {
      follow.child.kill('SIGKILL');
    }

    const recent = spawnCli(['events', '--config', config]);
    assert.equal(await finished(recent, 20_000), 0, recent.err);
    assert.match(recent.out, /^\d\d:\d\d:\d\d {2}link-up +smpp$/m);
    assert.match(recent.out, /^\d\d:\d\d:\d\d {2}report-submitted +report \d+ via smpp, critical, message \d+$/m);
  });

  it('status --watch redraws in place on a terminal and restores it; plain blocks into a pipe; Ctrl-C ends it', async () => {
    // On a pseudo-terminal: the alternate screen, redraws from the top, and the terminal given back.
    const command = [process.execPath, '--import', 'tsx', cli, 'status', '--watch', '--count', '3', '--config', config].map((word) => `'${word}'`).join(' ');
    const tty = spawn('script', ['-qefc', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EDGE_SMS_CONFIG: '', TERM: 'xterm' } });
    let screen = '';
    tty.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const ttyCode = await new Promise<number | null>((resolve, reject) => {
      tty.once('error', (error) => reject(new Error(`util-linux 'script' is needed for this test (apt-get install bsdutils): ${error.message}`)));
      const timer = setTimeout(() => tty.kill('SIGKILL'), 30_000);
      tty.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    assert.equal(ttyCode, 0, screen);
    assert.ok(screen.includes('\x1b[?1049h\x1b[?25l'), 'enters the alternate screen, cursor hidden');
    assert.ok(screen.trimEnd().endsWith('\x1b[?25h\x1b[?1049l'), 'gives the terminal back');
    assert.ok(screen.split('\x1b[H').length >= 3, 'redrawn in place');
    assert.match(screen, /smpp: bound since/);

    // Into a pipe, until Ctrl-C: plain blocks with a time stamp, no escape sequences, exit 0.
    const piped = spawnCli(['status', '--watch', '--config', config]);
    await until(() => (piped.out.match(/^--- /gm) ?? []).length >= 2, 20_000, 'two refreshes');
    piped.child.kill('SIGINT');
    assert.equal(await finished(piped, 10_000), 0, piped.err);
    assert.ok(!piped.out.includes('\x1b['), 'no escape sequences into a pipe');
    assert.match(piped.out, /^agent: running /m);
    assert.match(piped.out, /^outbox: queued \d+/m);
  });
});
