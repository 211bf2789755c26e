/**
 * `edge-sms-agent sim smsc --throttle N --throttle-window sliding|fixed`, as users run it: a child
 * process counting accepted submits over any one-second window, or per whole second since the bind.
 * Three submits at ~0.6 s after the bind, three more at ~1.15 s: a fixed window has started a new
 * second and takes them; a sliding one still holds the first three and answers ESME_RTHROTTLED.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CommandStatus, createPdu, SmppSession, type Pdu } from '../../src/smpp/index.js';
import { sessionOptions } from '../helpers/simSetup.js';
import { runCli } from '../helpers/cli.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function statuses(window: 'sliding' | 'fixed'): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', 'smsc', '--port', '0', '--system-id', 'esme1',
    '--password', 'secret', '--throttle', '3', '--throttle-window', window], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on [\d.]+:(\d+)/.exec(out);
        if (match !== null) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`sim exited early with ${String(code)}`)));
    });
    // throttleRetries 0: each throttled answer comes back to us as it is.
    const session = new SmppSession(sessionOptions(port, { throttleRetries: 0 }));
    await session.connect();
    const bound = performance.now();
    const send = (n: number): Promise<Pdu[]> => Promise.all(Array.from({ length: n }, (_, i) =>
      session.request(createPdu('submit_sm', { destination_addr: `44770090000${i}`, short_message: Buffer.from('x') }))));
    await sleep(600);
    const first = await send(3);
    await sleep(Math.max(0, 1150 - (performance.now() - bound)));
    const second = await send(3);
    await session.close();
    return [...first, ...second].map((pdu) => pdu.command_status);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

describe('sim smsc --throttle-window', () => {
  it('sliding refuses what a fixed window lets through after the second boundary', async () => {
    const ok = CommandStatus.ESME_ROK;
    const throttled = CommandStatus.ESME_RTHROTTLED;
    assert.deepEqual(await statuses('fixed'), [ok, ok, ok, ok, ok, ok]);
    assert.deepEqual(await statuses('sliding'), [ok, ok, ok, throttled, throttled, throttled]);
  });

  it('refuses an unknown window, naming the choices', async () => {
    const result = await runCli(['sim', 'smsc', '--port', '0', '--system-id', 'a', '--throttle', '3', '--throttle-window', 'bucket']);
    // Usage errors' exit code (2) is the CLI grammar's work (issue 16); here: refused, not run.
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /--throttle-window must be sliding or fixed/);
  });
});
