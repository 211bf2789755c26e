/**
 * Our agent (a real process) through `smpp proxy` (a real process) to our SMSC simulator, with the
 * agent keeping its own capture (`smpp.capture`, 64 KiB so the ring turns over) — the two views of
 * one link:
 * - every report is delivered through the proxy; the proxy's log pairs every request both ways
 *   (submit_sm → resp, the receipts' deliver_sm → resp) and nothing is left unanswered;
 * - tshark decodes every PDU of the proxy's capture, and of the agent's capture downloaded from
 *   `GET /trace/capture` (the ring of file.1 + file joined);
 * - the agent's `GET /trace` stream, `edge-sms-agent trace --follow --json` and `trace` carry the
 *   same records (same commands, sequences, pairing) as the proxy saw;
 * - the password is in no log line, no record and neither capture.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandId, type PduRecord, type TraceRecord } from '../../src/smpp/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';
import { ProxyProcess } from '../helpers/smppProxyProcess.js';
import { account, startSimulator } from '../helpers/simSetup.js';
import { tsharkSmppPdus, tsharkTcpProblems } from '../helpers/tshark.js';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const reports = 100;

/** The bytes of a GET on the Unix socket. */
function download(socketPath: string, path: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request({ socketPath, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

/** SSE records from GET /trace. */
function followTrace(socketPath: string): { records: TraceRecord[]; close: () => void } {
  const records: TraceRecord[] = [];
  let buffer = '';
  const req = request({ socketPath, path: '/trace?replay=500' }, (res) => {
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (data !== undefined) records.push(JSON.parse(data) as TraceRecord);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { records, close: () => req.destroy() };
}

const pduKey = (record: PduRecord): string => `${record.dir}:${record.command}:${record.seq}:${record.commandStatus}`;

describe('the agent and the proxy trace the same link', () => {
  it('delivers through the proxy; both traces pair every request; tshark decodes both captures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-trace-'));
    // Receipts come well after the submit_sm_resp: a receipt that overtakes the outbox recording its message_id is a separate matter (i13a, early receipts held).
    const sim = await startSimulator({ receipts: { delayMs: 500 } });
    const proxyPcap = join(dir, 'proxy.pcap');
    const agentPcap = join(dir, 'agent.pcap');
    const proxy = new ProxyProcess(['--listen', '0', '--upstream', `smpp://127.0.0.1:${sim.port}`, '--json', '--pcap', proxyPcap]);
    const api = join(dir, 'api.sock');
    const agent = new AgentProcess(writeAgentConfig(dir, [
      'device: { id: pi-trace }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${await proxy.port}?bind=trx&window=5", destination: "+447700900000", maxRate: 0, capture: { file: "${agentPcap}", maxBytes: 65536 } }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      'mqtt: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0, receipts: true } } }',
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]));
    const cliLines: string[] = [];
    let live: { records: TraceRecord[]; close: () => void } | undefined;
    try {
      agent.start();
      await waitForApi(api, 15_000);
      live = followTrace(api);
      const stream = live;
      await until(() => stream.records.some((record) => record.type === 'pdu' && record.command === 'bind_transceiver_resp'), 15_000, 'the bind on GET /trace');
      // --last 1: the follower prints the latest kept record at once, which tells us it is connected.
      const follower = spawn(process.execPath, ['--import', 'tsx', cli, 'trace', '--config', join(dir, 'config.yaml'), '--follow', '--json', '--last', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const followerErrors: string[] = [];
      follower.stdout.on('data', (chunk: Buffer) => cliLines.push(...chunk.toString().split('\n').filter((line) => line !== '')));
      follower.stderr.on('data', (chunk: Buffer) => followerErrors.push(chunk.toString()));
      await until(() => cliLines.length > 0, 20_000, `the follower to connect (${followerErrors.join('')})`);
      for (let i = 0; i < reports; i++) {
        const posted = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: i } });
        assert.equal(posted.status, 201, posted.text);
      }
      const deadline = Date.now() + 60_000;
      for (;;) {
        const state = JSON.parse((await callApi(api, 'GET', '/state')).text) as { outbox: { byState: Record<string, number> } };
        const { queued = 0, sending = 0, submitted = 0 } = state.outbox.byState;
        if (queued + sending + submitted === 0) break;
        const count = (records: TraceRecord[], command: string): number => records.filter((record) => record.type === 'pdu' && record.command === command).length;
        assert.ok(Date.now() < deadline, `every report delivered within 60 s: ${JSON.stringify(state.outbox)} ${JSON.stringify(agent.logs.slice(-5))} agent deliver_sm ${count(stream.records, 'deliver_sm')} resp ${count(stream.records, 'deliver_sm_resp')} proxy deliver_sm ${count(proxy.records(), 'deliver_sm')} resp ${count(proxy.records(), 'deliver_sm_resp')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const agentRecords = stream.records.filter((record): record is PduRecord => record.type === 'pdu');
      await until(() => cliLines.some((line) => line.includes('"deliver_sm_resp"')), 10_000, 'the follower to see receipts');
      follower.kill('SIGINT');
      const followerExit = await new Promise<number | null>((resolve) => follower.once('exit', resolve));
      assert.equal(followerExit, 0);

      // The agent's capture: the ring turned over, and the download decodes.
      assert.ok(existsSync(`${agentPcap}.1`), 'the capture rotated into file.1');
      const capture = await download(api, '/trace/capture');
      assert.equal(capture.status, 200);
      assert.equal(capture.type, 'application/vnd.tcpdump.pcap');
      assert.ok(capture.body.length <= 65536 + 1024, `bounded: ${capture.body.length} bytes`);
      const downloaded = join(dir, 'download.pcap');
      writeFileSync(downloaded, capture.body);
      const agentDecoded = tsharkSmppPdus(downloaded);
      assert.ok(agentDecoded.length > 100, `tshark found ${agentDecoded.length} PDUs in the agent's capture`);
      const agentKeys = new Set(agentRecords.map((record) => `${CommandId[record.command as keyof typeof CommandId].toString(16)}:${record.seq}:${record.commandStatus}`));
      for (const pdu of agentDecoded) assert.ok(agentKeys.has(`${pdu.commandId.toString(16)}:${pdu.seq}:${pdu.status}`), `capture PDU ${pdu.commandId.toString(16)} seq ${pdu.seq} is in the trace`);
      const lastSubmit = agentRecords.filter((record) => record.command === 'submit_sm').at(-1);
      assert.ok(agentDecoded.some((pdu) => pdu.commandId === CommandId.submit_sm && pdu.seq === lastSubmit?.seq), 'the latest submit is in the capture');

      // The CLI without --follow: the kept records and the summary.
      const printed = await runCli(['trace', '--config', join(dir, 'config.yaml'), '--last', '20']);
      assert.equal(printed.code, 0, printed.stderr);
      assert.match(printed.stdout, / < deliver_sm seq=\d+ ESME_ROK|submit_sm_resp seq=\d+ ESME_ROK/);
      assert.match(printed.stdout, /summary all connections: \d+ PDUs\n {2}bind_transceiver/);

      await agent.kill('SIGTERM');
      await until(() => proxy.records().some((record) => record.type === 'connection' && record.event === 'close'), 10_000, 'the proxy to see the agent go');
      assert.equal(await proxy.stop(), 0);

      // The proxy's view: every request both ways paired, nothing unanswered, all decoded by tshark.
      const proxyRecords = proxy.records().filter((record): record is PduRecord => record.type === 'pdu');
      const requests = proxyRecords.filter((record) => !record.command.endsWith('_resp'));
      const responses = proxyRecords.filter((record) => record.command.endsWith('_resp'));
      assert.ok(requests.filter((record) => record.command === 'submit_sm').length >= 1);
      assert.ok(requests.filter((record) => record.command === 'deliver_sm' && record.dir === 'in').length >= 1);
      assert.equal(responses.length, requests.length);
      for (const response of responses) assert.ok(response.request !== undefined && typeof response.latencyMs === 'number', `${response.command} ${response.seq} paired`);
      assert.ok(!proxy.records().some((record) => record.type === 'unanswered'));
      const proxyDecoded = tsharkSmppPdus(proxyPcap);
      assert.deepEqual(proxyDecoded.map((pdu) => `${pdu.commandId.toString(16)}:${pdu.seq}:${pdu.status}`).sort(),
        proxyRecords.map((record) => `${CommandId[record.command as keyof typeof CommandId].toString(16)}:${record.seq}:${record.commandStatus}`).sort());
      assert.deepEqual(tsharkTcpProblems(proxyPcap), []);

      // Both sides saw the same PDUs (the agent's records are its view of the same link).
      const proxyKeys = new Set(proxyRecords.map(pduKey));
      for (const record of agentRecords) assert.ok(proxyKeys.has(pduKey(record)), `the proxy saw ${pduKey(record)}`);
      const cliRecords = cliLines.slice(1).map((line) => JSON.parse(line) as TraceRecord).filter((record): record is PduRecord => record.type === 'pdu');
      assert.ok(cliRecords.length > 0 && cliRecords.every((record) => proxyKeys.has(pduKey(record))), 'the CLI follower shows the same records');
      const paired = agentRecords.filter((record) => record.command === 'submit_sm_resp');
      assert.ok(paired.length > 0 && paired.every((record) => record.request === 'submit_sm' && typeof record.latencyMs === 'number'));

      // No password anywhere.
      const password = account.password;
      assert.ok(!proxy.lines.join('\n').includes(password));
      assert.ok(!JSON.stringify(stream.records).includes(password));
      assert.ok(!readFileSync(proxyPcap).includes(password));
      assert.ok(!readFileSync(agentPcap).includes(password) && !readFileSync(`${agentPcap}.1`).includes(password));
    } finally {
      live?.close();
      await agent.kill('SIGTERM');
      await proxy.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
