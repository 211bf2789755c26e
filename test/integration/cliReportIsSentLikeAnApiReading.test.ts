/**
 * The `report` CLI's own example, `report --kind telemetry --data '{"T":21.5}'`, run as a real process
 * beside a running agent (SMSC simulator, delivery receipts): the reading is picked up within a second
 * (no other event happens: no API traffic, the sweep an hour away), goes out as a report message the
 * centre decodes to the same fields, and is delivered on its receipt, like a reading posted to the API.
 * A plain SMS (`report --sms`) goes out as plain text. Before: the CLI stored the text as the payload and
 * the router failed it as "payload is not a reading", and a row from another process waited for the
 * next unrelated event.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { knock } from '../../src/store/index.js';
import { ReportReceiver } from '../../src/report/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { account, collectSubmits, startSimulator } from '../helpers/simSetup.js';

const cliMain = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function cli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cliMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EDGE_SMS_CONFIG: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The row in the file; the knock has the agent commit its open group (store.groupCommitS) so a later poll sees it. */
function rowOf(path: string, id: number): { state: string; createdAt: number } | undefined {
  knock(path);
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT state, created_at AS createdAt FROM reports WHERE id = ?').get(id) as { state: string; createdAt: number } | undefined;
  } finally {
    db.close();
  }
}

describe('a reading queued with the report CLI while the agent runs', () => {
  it('is picked up within a second and sent and delivered like an API reading', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-clireport-'));
    const sim = await startSimulator({ receipts: { delayMs: 50 } });
    const submits = collectSubmits(sim);
    const arrivals: number[] = [];
    sim.on('pdu', (pdu) => {
      if (pdu.command === 'submit_sm') arrivals.push(Date.now());
    });
    let bound = false;
    sim.on('bound', () => (bound = true));
    const dbPath = join(dir, 'agent.db');
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-cli, alias: "9" }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${dbPath}", sweepS: 3600 }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0, receipts: true } } }',
      'mqtt: { enabled: false }',
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 20_000);
      await until(() => bound, 10_000, 'the bind');

      // Through the API first: what the CLI's reading must look like at the SMSC.
      const posted = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 20 } });
      assert.equal(posted.status, 201, posted.text);
      await until(() => submits.length === 1, 10_000, 'the API reading at the SMSC');

      const queued = await cli(['report', '--kind', 'telemetry', '--data', '{"T":21.5}', '--config', config]);
      assert.equal(queued.code, 0, queued.stderr);
      const id = Number(queued.stdout.trim());
      await until(() => submits.length === 2, 10_000, 'the CLI reading at the SMSC');
      // From the CLI's insert (the row's created_at, the moment of its commit) to the submit_sm.
      const latency = (arrivals[1] ?? Number.POSITIVE_INFINITY) - (rowOf(dbPath, id)?.createdAt ?? 0);
      process.stdout.write(`# CLI reading at the SMSC ${latency} ms after the CLI wrote it\n`);
      // Polled every 250 ms; a second covers the poll, the router's turn and the submit on a loaded machine.
      assert.ok(latency < 1000, `picked up within a second, took ${latency} ms`);

      const [api1, cli1] = submits.map((pdu) => new ReportReceiver().accept({ ...pdu, command: 'deliver_sm' }));
      assert.equal(api1?.kind, 'report');
      assert.equal(cli1?.kind, 'report', JSON.stringify(cli1));
      if (cli1?.kind === 'report' && api1?.kind === 'report') {
        assert.deepEqual(cli1.message.readings.map((r) => [r.kind, r.fields]), [['telemetry', { T: 21.5 }]]);
        assert.equal(cli1.message.device, api1.message.device);
      }
      assert.equal(submits[1]?.destination_addr, submits[0]?.destination_addr);
      assert.equal(submits[1]?.registered_delivery, submits[0]?.registered_delivery);
      await until(() => rowOf(dbPath, id)?.state === 'delivered', 10_000, 'the CLI reading delivered on its receipt');

      // The explicit plain-SMS form.
      const sms = await cli(['report', '--sms', 'pump 3 restarted', '--to', '+447700900555', '--config', config]);
      assert.equal(sms.code, 0, sms.stderr);
      await until(() => submits.length === 3, 10_000, 'the plain SMS at the SMSC');
      assert.equal(submits[2]?.destination_addr, '447700900555');
      assert.equal(Buffer.from(submits[2]?.short_message ?? []).toString('latin1'), 'pump 3 restarted');

      // Refused at the door: nothing queued, exit 1, the reason named.
      const tooBig = await cli(['report', '--kind', 'telemetry', '--data', JSON.stringify({ note: 'z'.repeat(1000) }), '--config', config]);
      assert.equal(tooBig.code, 1);
      assert.match(tooBig.stderr, /Report_TooLarge/);
      assert.equal(agent.above(40).length, 0, JSON.stringify(agent.above(40)));
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
