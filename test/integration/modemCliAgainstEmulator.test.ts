/**
 * The CLI end to end: `sim modem` runs as its own process on a real pty (as a user would start it), and
 * `modem info`, `modem send` and `modem read --delete` talk to it through serialport.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('modem CLI against `sim modem` on a pty', () => {
  let dir = '';
  let link = '';
  let child: ChildProcessWithoutNullStreams | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'modem-cli-'));
    link = join(dir, 'ttyEDGE0');
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', 'modem', '--link', link, '--profile', 'quectel-ec25', '--fix', '44.5,11.4'], { cwd: root });
    const printed = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child?.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child?.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child?.once('exit', (code) => reject(new Error(`sim modem exited ${code}: ${err}`)));
    });
    assert.equal(printed, link);
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('modem info --json prints SIM, registration, signal, IMEI and the GNSS fix', async () => {
    const c = captureIo();
    assert.equal(await main(['modem', 'info', '--port', link, '--profile', 'quectel-ec25', '--json'], c.io), 0, c.err());
    const info = JSON.parse(c.out()) as Record<string, unknown>;
    assert.equal(info['sim'], 'ready');
    assert.equal(info['registered'], true);
    assert.equal(info['imei'], '869951030001234');
    assert.deepEqual((info['signal'] as Record<string, unknown>)['rssiDbm'], -73);
    assert.deepEqual((info['gnss'] as { state: string; fix: { lat: number } }).fix.lat, 44.5);
  });

  it('modem send prints the message references of every part', async () => {
    const c = captureIo();
    assert.equal(await main(['modem', 'send', '--port', link, '--profile', 'quectel-ec25', '--to', '+27821234567', '--text', 'x'.repeat(200)], c.io), 0, c.err());
    assert.match(c.out(), /in 2 part\(s\), message reference\(s\): \d+ \d+/);
  });

  it('modem read --delete prints stored messages reassembled, then they are gone', async () => {
    child?.stdin.write(`sms +27829999999 ${'long '.repeat(40).trim()}\nsms +27828888888 short one\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const c = captureIo();
    assert.equal(await main(['modem', 'read', '--port', link, '--profile', 'quectel-ec25', '--json', '--delete'], c.io), 0, c.err());
    const entries = JSON.parse(c.out()) as Array<Record<string, unknown>>;
    const messages = entries.filter((e) => e['kind'] === 'message');
    assert.equal(messages.length, 2);
    const long = messages.find((m) => m['sender'] === '+27829999999');
    assert.equal(long?.['text'], 'long '.repeat(40).trim());
    assert.equal(long?.['parts'], 2);
    assert.equal(long?.['complete'], true);
    const again = captureIo();
    assert.equal(await main(['modem', 'read', '--port', link, '--profile', 'quectel-ec25'], again.io), 0);
    assert.match(again.out(), /no stored messages/);
  });

  it('modem at sends typed lines and prints what the modem says, prompt included', async () => {
    const console_ = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'modem', 'at', '--port', link], { cwd: root });
    let out = '';
    console_.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => console_.once('exit', (code) => resolve(code)));
    console_.stdin.write('AT+CSQ\nAT+CMGS=24\n');
    for (let i = 0; i < 100 && !out.includes('< >'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    console_.stdin.end('0001000B917228001011F100000CC8329BFD065DDF72363904^Z\n');
    for (let i = 0; i < 100 && !/\+CMGS: \d+/.test(out); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await exited, 0);
    assert.match(out, /< \+CSQ: 20,99\n< OK\n/);
    assert.match(out, /< >\n/);
    assert.match(out, /< \+CMGS: \d+/);
  });

  it('refuses missing options with a usage error', async () => {
    const c = captureIo();
    assert.equal(await main(['modem', 'send', '--port', link, '--profile', 'quectel-ec25'], c.io), 2);
    assert.match(c.err(), /--to is required/);
  });

  it('modem info names another process that holds the port (as ModemManager would)', async () => {
    // A stand-in holder: a shell that opens the port and sleeps, as ModemManager keeps a probed port open.
    const holder = spawn('bash', ['-c', 'exec 3<>"$1"; exec sleep 30', 'holder', link]);
    try {
      await new Promise((resolve) => holder.once('spawn', resolve));
      const c = captureIo();
      const deadline = Date.now() + 10_000;
      let code = await main(['modem', 'info', '--port', link, '--profile', 'quectel-ec25'], c.io);
      while (!c.err().includes(`sleep (pid ${holder.pid})`) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100)); // until the shell has opened it and exec'd sleep
        code = await main(['modem', 'info', '--port', link, '--profile', 'quectel-ec25'], c.io);
      }
      assert.equal(code, 0, c.err());
      assert.match(c.err(), new RegExp(`warning: .*sleep \\(pid ${holder.pid}\\)`));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('modem info reports a PIN the SIM refused, with exit 1 and what to do', async () => {
    child?.stdin.write('fault sim-pin on\n');
    try {
      const c = captureIo();
      const deadline = Date.now() + 10_000;
      let code = await main(['modem', 'info', '--port', link, '--profile', 'quectel-ec25', '--pin', '0000'], c.io);
      while (code === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100)); // until the emulator has taken the fault command
        code = await main(['modem', 'info', '--port', link, '--profile', 'quectel-ec25', '--pin', '0000'], c.io);
      }
      assert.equal(code, 1, c.err());
      assert.match(c.err(), /the SIM refused the PIN \(sim-pin-required.*PUK/);
      assert.doesNotMatch(c.err(), /0000/, 'the PIN itself is never printed');
    } finally {
      child?.stdin.write('fault sim-pin off\n');
    }
  });
});
