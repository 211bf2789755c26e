/**
 * `GET /metrics` of a real agent process (SMSC simulator with receipts, no broker, no modem): the
 * text passes `promtool check metrics` (Debian's prometheus package; missing promtool fails the
 * test), and it tells what happened — a bound link and its bind, submits with their ESME_ROK
 * responses and latencies in the histogram, SMS parts by link, the outbox by state and priority,
 * the store up, bytes written. The same counts ride in the state as `figures`; without `smpp.capture`,
 * `GET /trace/capture` is 404.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProcess, callApi, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { account, startSimulator } from '../helpers/simSetup.js';

function promtool(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`promtool is not installed (${result.error.message}): apt-get install prometheus, or run scripts/test.sh`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The value of one sample line, e.g. sample(text, 'edge_sms_smpp_up'), sample(text, 'edge_sms_sms_parts_total{link="smpp"}'). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  assert.ok(line !== undefined, `no sample ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('passes promtool and counts the link, the submits, the latencies and the outbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-metrics-'));
    const sim = await startSimulator({ receipts: { delayMs: 50 } });
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-metrics }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=5", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      'mqtt: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0, receipts: true } } }',
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 15_000);
      for (let i = 0; i < 3; i++) {
        const posted = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 20 + i } });
        assert.equal(posted.status, 201, posted.text);
      }
      let reply = await callApi(api, 'GET', '/metrics');
      const deadline = Date.now() + 20_000;
      while (!/^edge_sms_outbox_reports\{state="delivered",priority="normal"\} 3$/m.test(reply.text)) {
        assert.ok(Date.now() < deadline, `three delivered reports in the metrics within 20 s:\n${reply.text}\n${JSON.stringify(agent.logs)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        reply = await callApi(api, 'GET', '/metrics');
      }
      assert.equal(reply.status, 200);
      const text = reply.text;

      const checked = promtool(text);
      assert.equal(checked.status, 0, `promtool check metrics:\n${checked.output}`);
      assert.equal(checked.output.trim(), '', `promtool has remarks:\n${checked.output}`);

      assert.equal(sample(text, 'edge_sms_smpp_up'), 1);
      assert.equal(sample(text, 'edge_sms_smpp_link_state{state="bound"}'), 1);
      assert.equal(sample(text, 'edge_sms_smpp_binds_total'), 1);
      assert.ok(sample(text, 'edge_sms_smpp_submits_total') >= 3);
      assert.ok(sample(text, 'edge_sms_smpp_responses_total{command="submit_sm",status="ESME_ROK"}') >= 3);
      assert.ok(sample(text, 'edge_sms_smpp_response_latency_seconds_count{command="submit_sm"}') >= 3);
      assert.ok(sample(text, 'edge_sms_smpp_response_latency_seconds_bucket{le="+Inf",command="submit_sm"}') >= 3);
      assert.ok(sample(text, 'edge_sms_smpp_inbound_requests_total{command="deliver_sm"}') >= 3, 'the receipts');
      assert.ok(sample(text, 'edge_sms_sms_parts_total{link="smpp"}') >= 1);
      assert.equal(sample(text, 'edge_sms_sms_parts_total{link="modem"}'), 0);
      assert.equal(sample(text, 'edge_sms_outbox_reports{state="queued",priority="normal"}'), 0);
      assert.equal(sample(text, 'edge_sms_outbox_oldest_queued_age_seconds'), 0);
      assert.equal(sample(text, 'edge_sms_store_up'), 1);
      assert.ok(sample(text, 'edge_sms_inbox_entries') >= 1, 'receipts are kept in the inbox');
      assert.ok(sample(text, 'edge_sms_process_written_bytes_total') > 0);
      assert.match(text, /^edge_sms_agent_info\{version="[^"]+"\} 1$/m);
      assert.ok(Number.isNaN(sample(text, 'edge_sms_modem_signal_dbm')), 'no modem: signal unknown');

      // Without smpp.capture there is no capture to download.
      const capture = await callApi(api, 'GET', '/trace/capture');
      assert.equal(capture.status, 404);
      assert.match(capture.text, /capture-off/);

      const state = JSON.parse((await callApi(api, 'GET', '/state')).text) as { figures?: { smppSubmits: number; smppBinds: number; smsParts: { smpp: number } } };
      assert.ok((state.figures?.smppSubmits ?? 0) >= 3);
      assert.equal(state.figures?.smppBinds, 1);
      assert.ok((state.figures?.smsParts.smpp ?? 0) >= 1);
    } finally {
      await agent.kill('SIGTERM');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
