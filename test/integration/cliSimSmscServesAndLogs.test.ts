/**
 * `edge-sms-agent sim smsc` as users run it: a child process that listens, answers our session,
 * sends receipts, writes every received PDU as one JSON line (passwords starred), and stops
 * cleanly on SIGTERM.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pduFromJson, SmppSession } from '../../src/smpp/index.js';
import { nextEvent, sessionOptions } from '../helpers/simSetup.js';

describe('sim smsc command', () => {
  it('serves, logs PDUs as JSON lines and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simsmsc-'));
    const logFile = join(dir, 'pdus.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', 'smsc', '--port', '0', '--system-id', 'esme1',
      '--password', 'secret', '--dlr', '--dlr-delay', '20', '--throttle', '1000', '--log', logFile], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      const session = new SmppSession(sessionOptions(port));
      await session.connect();
      const receipt = nextEvent(session, 'receipt');
      const answer = await session.submit({ destination_addr: '447700900001', short_message: Buffer.from('logged'), registered_delivery: 1 });
      await receipt;
      await session.submit({ source_addr: 'EDGE42', destination_addr: '447700900001', short_message: Buffer.from('ESA1 d=42 s=7 t=1800000000;t T21.5', 'latin1') });
      await session.close();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);

      const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const pdus = lines.filter((line) => 'command' in line).map((line) => pduFromJson(line as Parameters<typeof pduFromJson>[0]));
      assert.deepEqual(pdus.map((p) => p.command), ['bind_transceiver', 'submit_sm', 'deliver_sm_resp', 'submit_sm', 'unbind']);
      const reports = lines.filter((line) => 'report' in line);
      assert.deepEqual(reports, [
        { report: { version: 1, device: '42', seq: 7, baseTime: 1800000000, readings: [{ kind: 'telemetry', time: 1800000000, fields: { T: 21.5 } }] }, from: 'EDGE42', missing: [] },
      ]);
      const bind = pdus[0]!;
      assert.ok(bind.command === 'bind_transceiver' && bind.password === '******', 'password starred (same length)');
      const submit = pdus[1]!;
      assert.ok(submit.command === 'submit_sm' && submit.short_message.toString() === 'logged');
      assert.notEqual(answer.message_id, '');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
