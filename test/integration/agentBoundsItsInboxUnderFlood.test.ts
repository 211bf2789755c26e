/**
 * An SMSC (a raw one, written here from the codec) floods a real agent process with never-completed
 * concatenated parts of 60 KB each (message_payload with sar_* TLVs: part 1 of 3, never the rest) from a
 * handful of senders, then with tens of thousands of delivery receipts for message ids the agent never
 * used. The agent acknowledges every one (ESME_ROK), and at the end: the inbox and the parts waiting for
 * their siblings are within the small caps this test configures, the database file stayed a small fraction
 * of what came in, the drops and the given-up messages were counted (GET /metrics) and published in a few
 * batched events on a real Mosquitto (never one per row), the agent's peak RSS (VmHWM) stayed bounded, and
 * an ordinary SMS after the flood is still received.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPdu, tlv, type Pdu } from '../../src/smpp/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { startRawSmsc, type RawSmsc } from '../helpers/rawSmsc.js';
import { runCli } from '../helpers/cli.js';

const caps = { maxRows: 500, maxBytes: 2 * 2 ** 20, partialMessages: 20, partialBytes: 2 ** 20, perSender: 5, bytesPerSender: 400_000 };
const partSize = 60_000;
const floodParts = 1500;
const floodReceipts = 20_000;
/** deliver_sm the raw SMSC keeps unanswered at most, like an SMSC's window. */
const window = 64;

/** Sends deliver_sm PDUs with a window, and waits until every one was answered; returns the answers' statuses. */
async function pump(smsc: RawSmsc, count: number, make: (i: number) => Pdu, firstSequence: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let scanned = smsc.received.length;
  const scan = (): number => {
    for (; scanned < smsc.received.length; scanned++) {
      const pdu = smsc.received[scanned]!;
      if (pdu.command === 'deliver_sm_resp') statuses.set(pdu.command_status, (statuses.get(pdu.command_status) ?? 0) + 1);
    }
    let answered = 0;
    for (const n of statuses.values()) answered += n;
    return answered;
  };
  for (let i = 0; i < count; i++) {
    if (i - scan() >= window) await until(() => i - scan() < window, 60_000, `the agent's answers (${i} sent)`);
    smsc.send({ ...make(i), sequence_number: firstSequence + i });
  }
  await until(() => scan() >= count, 120_000, `answers to all ${count} deliver_sm`);
  return statuses;
}

function metric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name) && !line.startsWith('#')) sum += Number(line.split(' ').pop());
  return sum;
}

describe('the inbox under a flood of junk from the SMSC', () => {
  it('stays within its caps, counts and publishes what it dropped, and keeps RSS bounded', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-inbox-flood-'));
    const dbPath = join(dir, 'agent.db');
    const socket = join(dir, 'api.sock');
    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    await probe.subscribe('edge-sms/pi-flood/events/#');
    const smsc = await startRawSmsc();
    const config = writeAgentConfig(dir, [
      'device: { id: pi-flood }',
      `smpp: { url: "smpp://edge:secret@127.0.0.1:${smsc.port}?bind=trx", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${dbPath}", sweepS: 1, inboxMaxRows: ${caps.maxRows}, inboxMaxBytes: ${caps.maxBytes}, inboxPartialMaxMessages: ${caps.partialMessages},`,
      `  inboxPartialMaxBytes: ${caps.partialBytes}, inboxPartialMaxPerSender: ${caps.perSender}, inboxPartialMaxBytesPerSender: ${caps.bytesPerSender} }`,
      `mqtt: { url: "${broker.url}" }`,
      `api: { listen: "unix:${socket}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await smsc.next((pdu) => pdu.command === 'bind_transceiver', 30_000);
      await waitForApi(socket, 30_000);
      // The mirror is connected once the agent's first event reaches the broker.
      await until(() => probe.messages.some((m) => m.topic.endsWith('/events/link-up')), 30_000, 'the mirror publishing');

      const started = Date.now();
      // 1. Never-completed parts: part 1 of 3, 60 KB each, 30 senders, a new reference every time.
      const payload = Buffer.alloc(partSize, 0x5a);
      const parts = await pump(smsc, floodParts, (i) => createPdu('deliver_sm', {
        source_addr: `4477009${String(i % 30).padStart(5, '0')}`,
        destination_addr: '447700900000',
        data_coding: 0x04,
        tlvs: [tlv('message_payload', payload), tlv('sar_msg_ref_num', i % 65_536), tlv('sar_total_segments', 3), tlv('sar_segment_seqnum', 1)],
      }), 1_000);
      assert.deepEqual([...parts], [[0, floodParts]], 'every part acknowledged with ESME_ROK');
      const afterParts = new Database(dbPath, { readonly: true });
      try {
        const kept = afterParts.prepare(`SELECT COUNT(*) AS n, MAX(undecodable) AS reason FROM inbox WHERE undecodable LIKE 'incomplete:%'`).get() as { n: number; reason: string };
        assert.ok(kept.n > 0, 'given-up messages are kept in the inbox as incomplete, with what arrived');
        assert.match(kept.reason, /^incomplete: 1 of 3 parts \(1\) arrived; pushed out by the (sender's|total) cap/);
      } finally {
        afterParts.close();
      }
      const phase1 = Date.now() - started;

      // 2. Receipts for message ids this agent never used.
      const receipts = await pump(smsc, floodReceipts, (i) => createPdu('deliver_sm', {
        source_addr: '447700900000',
        destination_addr: '447700900001',
        esm_class: 0x04,
        short_message: Buffer.from(`id:UNKNOWN${i} sub:001 dlvr:001 submit date:2612061000 done date:2612061000 stat:DELIVRD err:000 text:x`),
      }), 100_000);
      assert.deepEqual([...receipts], [[0, floodReceipts]], 'every receipt acknowledged with ESME_ROK');
      // Not asserted (a loaded machine is slow); printed so a run shows what the flood cost.
      console.log(`flood: ${floodParts} parts in ${phase1} ms, ${floodReceipts} receipts in ${Date.now() - started - phase1} ms`);

      // 3. An ordinary SMS still gets through.
      smsc.send({ ...createPdu('deliver_sm', { source_addr: '447700900999', destination_addr: '447700900000', short_message: Buffer.from('still here') }), sequence_number: 500_000 });
      const events = (type: string): Array<Record<string, unknown>> => probe.messages.filter((m) => m.topic.endsWith(`/events/${type}`)).map((m) => JSON.parse(m.text) as Record<string, unknown>);
      await until(() => events('sms-received').some((e) => e['text'] === 'still here'), 30_000, 'the ordinary SMS after the flood');

      // The caps held in the real file.
      const metrics = await callApi(socket, 'GET', '/metrics');
      assert.equal(metrics.status, 200);
      const db = new Database(dbPath, { readonly: true });
      try {
        const inbox = db.prepare('SELECT COUNT(*) AS rows, COALESCE(SUM(length(payload)), 0) AS bytes FROM inbox').get() as { rows: number; bytes: number };
        assert.ok(inbox.rows <= caps.maxRows, `${inbox.rows} inbox rows`);
        assert.ok(inbox.bytes <= caps.maxBytes, `${inbox.bytes} inbox bytes`);
        const waiting = db.prepare(`SELECT COUNT(*) AS messages, COALESCE(SUM(bytes), 0) AS bytes, COALESCE(MAX(n), 0) AS perSender FROM
          (SELECT sender, COUNT(*) AS n, SUM(length(payload)) AS bytes FROM inbox_parts GROUP BY sender)`).get() as { messages: number; bytes: number; perSender: number };
        assert.ok(waiting.messages <= caps.partialMessages, `${waiting.messages} messages waiting`);
        assert.ok(waiting.bytes <= caps.partialBytes, `${waiting.bytes} bytes waiting`);
        assert.ok(waiting.perSender <= caps.perSender, `${waiting.perSender} messages waiting from one sender`);
        const counters = Object.fromEntries((db.prepare(`SELECT name, value FROM counters WHERE name LIKE 'inbox_%'`).all() as Array<{ name: string; value: number }>).map((r) => [r.name, r.value]));
        const given = (counters['inbox_incomplete_sender_cap'] ?? 0) + (counters['inbox_incomplete_total_cap'] ?? 0);
        // Every part started a message that never completed: all but those still waiting were given up.
        assert.equal(given, floodParts - waiting.messages, JSON.stringify(counters));
        const dropped = (counters['inbox_dropped_receipt'] ?? 0) + (counters['inbox_dropped_undecodable'] ?? 0) + (counters['inbox_dropped_mo'] ?? 0);
        assert.ok((counters['inbox_dropped_receipt'] ?? 0) >= floodReceipts - caps.maxRows, JSON.stringify(counters));
        assert.equal(counters['inbox_dropped_mo'] ?? 0, 0, 'no message was dropped while junk could go first');
        assert.equal(metric(metrics.text, 'edge_sms_inbox_dropped_total'), dropped);
        assert.equal(metric(metrics.text, 'edge_sms_inbox_incomplete_total'), given);
        // `status` says it too (the state's figures.inbox).
        const status = await runCli(['status', '--config', config]);
        assert.match(status.stdout, new RegExp(`inbox: \\d+ entries, \\d+ bytes.*removed by the caps ${dropped}, kept incomplete ${given}`));

        // Published, batched: the events add up to the counters, in far fewer events than rows.
        await until(() => events('inbox-dropped').reduce((sum, e) => sum + Number(e['count']), 0) >= dropped, 15_000, 'inbox-dropped events adding up');
        await until(() => events('sms-incomplete').reduce((sum, e) => sum + Number(e['count']), 0) >= given, 15_000, 'sms-incomplete events adding up');
        assert.equal(events('inbox-dropped').reduce((sum, e) => sum + Number(e['count']), 0), dropped);
        assert.ok(events('inbox-dropped').length < dropped / 20, `${events('inbox-dropped').length} inbox-dropped events for ${dropped} drops`);
        assert.ok(events('sms-incomplete').length < given / 5, `${events('sms-incomplete').length} sms-incomplete events for ${given} messages`);
      } finally {
        db.close();
      }

      // The file: a small fraction of the ~90 MB that came in (live data ≤ 3 MiB, the WAL ≤ its 8 MiB limit after a checkpoint).
      const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0);
      const fileBytes = size(dbPath) + size(`${dbPath}-wal`);
      assert.ok(fileBytes < 24 * 2 ** 20, `database and WAL are ${fileBytes} bytes`);

      // Peak resident memory of the agent process over the whole flood.
      const status = readFileSync(`/proc/${agent.pid}/status`, 'utf8');
      const hwmKiB = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
      assert.ok(hwmKiB > 0 && hwmKiB < 300 * 1024, `VmHWM ${hwmKiB} kB`);
      console.log(`flood: database and WAL ${fileBytes} bytes, agent VmHWM ${hwmKiB} kB`);
      assert.ok(agent.running, 'the agent never restarted');
      assert.equal(agent.logs.filter((entry) => entry.level >= 50).length, 0, JSON.stringify(agent.above(40).slice(0, 5)));
      const warnLines = agent.logs.filter((entry) => entry.level === 40).length;
      const warnKinds = [...new Set(agent.logs.filter((entry) => entry.level === 40).map((entry) => entry.msg))];
      assert.ok(warnLines < 50, `${warnLines} warn lines for a flood of ${floodParts + floodReceipts} PDUs: ${JSON.stringify(warnKinds)}`);
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await smsc.close();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
