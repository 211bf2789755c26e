/**
 * The whole agent under junk from every side at once, for a bounded time, while good readings keep
 * flowing in through POST /reports at a steady rate:
 *  - the SMSC (test/helpers/floodSmsc.ts) pours junk deliver_sm at it: malformed bodies, unknown commands,
 *    bad UDH, a reserved data_coding, never-completed concatenations (UDH from 500 senders; SAR with 16 KB
 *    message_payload from one), receipts for ids it never issued, garbage text; and once a PDU announcing
 *    4 GB, which kills the link (the agent reconnects and the flood goes on on the new connection);
 *  - MQTT (test/helpers/floodClients.ts): malformed JSON, wrong types, unknown commands, 70 KB payloads,
 *    deep nesting, long lists, a forbidden set-config, invalid UTF-8, at a few hundred a second, and two
 *    30 MB commands;
 *  - the local API: 1 MB bodies, bad JSON, wrong types, wrong media type, unknown paths, deep nesting,
 *    slow-loris headers and hundreds of idle connections.
 * At the end: every good reading was accepted, submitted to the SMSC and delivered (receipts applied);
 * the agent's peak RSS (VmHWM) and its database files stayed within bounds; the inbox within its caps;
 * the process never restarted (same pid, never exited, `uptimeSeconds` in GET /state never went back);
 * every junk deliver_sm was answered, never with "retry later"; MQTT and the API still answer; the thousands of
 * refused MQTT commands took a few log lines, not thousands.
 * A real agent process, a real Mosquitto, a real SQLite file, real sockets.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CommandStatus } from '../../src/smpp/index.js';
import { ReportReceiver } from '../../src/report/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { floodApi, floodMqtt } from '../helpers/floodClients.js';
import { startFloodSmsc } from '../helpers/floodSmsc.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { MiB, peakRss } from '../helpers/procStatus.js';

const floodMs = 12_000;
/** Bounds for what the agent may use (idle it holds ~70 MiB; see the README's figures). */
const rssBound = 200 * MiB;
const caps = { inboxMaxRows: 500, inboxMaxBytes: 1024 * 1024, partialMessages: 50, partialBytes: 256 * 1024, perSender: 4, bytesPerSender: 64 * 1024 };
/** The database files (main + WAL + shm): the inbox's 1 MiB cap, the partial parts' 256 KiB, the outbox's readings, SQLite's pages and a WAL between checkpoints. */
const dbBound = 16 * MiB;

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Sends get-state until a reply comes (2 s each, up to `ms`): `online` goes out before the agent's SUBSCRIBE is in. */
async function getStateAnswered(probe: MqttProbe, ms: number): Promise<string> {
  const responseTopic = `test/replies/${randomUUID()}`;
  await probe.subscribe(responseTopic);
  const deadline = Date.now() + ms;
  for (;;) {
    await probe.client.publishAsync('edge-sms/pi-flood/cmd/get-state', '{}', { qos: 1, properties: { responseTopic } });
    try {
      return (JSON.parse((await probe.waitForTopic(responseTopic, () => true, 2000)).text) as { status: string }).status;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

function dbBytes(path: string): number {
  return [path, `${path}-wal`, `${path}-shm`].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0);
}

describe('the agent flooded with junk from the SMSC, MQTT and the API', () => {
  it('delivers every good reading, stays within its memory and database bounds, and never restarts', { timeout: 240_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-flood-'));
    const dbPath = join(dir, 'agent.db');
    const api = join(dir, 'api.sock');
    const broker = await Mosquitto.start({ extraConfig: ['log_type all'] });
    const smsc = await startFloodSmsc();
    const fleet = await MqttProbe.connect(broker.url);
    const flooder = await MqttProbe.connect(broker.url);
    const config = writeAgentConfig(dir, [
      'device: { id: pi-flood }',
      `smpp: { url: "smpp://esme:secret@127.0.0.1:${smsc.port}?bind=trx", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${dbPath}", inboxMaxRows: ${caps.inboxMaxRows}, inboxMaxBytes: ${caps.inboxMaxBytes}, inboxPartialMaxMessages: ${caps.partialMessages}, ` +
        `inboxPartialMaxBytes: ${caps.partialBytes}, inboxPartialMaxPerSender: ${caps.perSender}, inboxPartialMaxBytesPerSender: ${caps.bytesPerSender} }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0 } } }',
      `mqtt: { url: "${broker.url}" }`,
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    const uptimes: number[] = [];
    const state = async (): Promise<{ uptimeSeconds: number }> => JSON.parse((await callApi(api, 'GET', '/state')).text) as { uptimeSeconds: number };
    try {
      await fleet.subscribe('edge-sms/pi-flood/status');
      agent.start();
      await waitForApi(api, 30_000);
      await until(() => smsc.binds() >= 1, 30_000, 'the bind');
      await fleet.waitForTopic('edge-sms/pi-flood/status', (text) => text === 'online', 30_000);
      assert.equal(await getStateAnswered(fleet, 30_000), 'ok');
      const pid = agent.pid ?? 0;
      const idleRss = peakRss(pid);

      const untilMs = Date.now() + floodMs;
      // A sensor posts every 250 ms whatever the agent is doing: the readings are offered at a steady
      // rate (not paced by the replies), and each must be accepted, however long the answer takes.
      const latencies: number[] = [];
      const good: Array<{ n: number; status: number; id: number | undefined; at: number }> = [];
      const floodStart = Date.now();
      const feedGood = async (): Promise<void> => {
        const posts: Array<Promise<void>> = [];
        for (let n = 0; Date.now() < untilMs; n++) {
          const t0 = Date.now();
          posts.push(callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { n } }).then((reply) => {
            latencies.push(Date.now() - t0);
            good.push({ n, status: reply.status, id: reply.status === 201 ? (JSON.parse(reply.text) as { id: number }).id : undefined, at: t0 - floodStart });
          }));
          if (n % 4 === 0) posts.push(state().then((s) => void uptimes.push(s.uptimeSeconds)));
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        await Promise.all(posts);
      };
      const [, mqttJunk, apiJunk] = await Promise.all([
        feedGood(),
        floodMqtt(flooder.client, 'edge-sms/pi-flood/cmd', { untilMs, perTick: 20, tickMs: 100 }),
        floodApi(api, { untilMs, slowLoris: 50, idleConnections: 300 }),
        smsc.flood({ untilMs, perTick: 10, tickMs: 50, partBytes: 16 * 1024 }),
      ]);

      // Every good reading was taken, reached the SMSC, and was settled by its receipt.
      const sorted = [...latencies].sort((a, b) => a - b);
      t.diagnostic(`good POST latency ms: median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted.at(-1)}; agent CPU ${cpuSeconds(pid)} s during ${floodMs} ms of flood`);
      // Offered throughout the flood (every quarter of it), not only before or after it.
      const quarters = [0, 1, 2, 3].map((q) => good.filter((g) => Math.floor((g.at / floodMs) * 4) === q).length);
      assert.ok(quarters.every((count) => count >= 3), `readings offered per quarter of the flood: ${quarters.join(', ')}`);
      assert.deepEqual(good.filter((g) => g.status !== 201), [], 'every good reading was accepted');
      const ids = good.map((g) => g.id ?? 0);
      const states = (): Map<number, string> => {
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        try {
          return new Map((db.prepare('SELECT id, state FROM reports').all() as Array<{ id: number; state: string }>).map((row) => [row.id, row.state]));
        } finally {
          db.close();
        }
      };
      await until(() => {
        const now = states();
        return ids.every((id) => now.get(id) === 'delivered');
      }, 60_000, 'every good reading delivered');
      const receiver = new ReportReceiver();
      const arrived = new Set<number>();
      for (const submit of smsc.submits) {
        const received = receiver.accept(submit);
        if (received.kind === 'report') for (const reading of received.message.readings) arrived.add(Number(reading.fields['n']));
      }
      assert.deepEqual(good.filter((g) => !arrived.has(g.n)).map((g) => g.n), [], 'every good reading is in a submit_sm the SMSC took');

      // The junk really came, and was answered.
      const junkSent = [...smsc.sent.values()].reduce((a, b) => a + b, 0);
      assert.equal(smsc.sent.get('4GB-pdu'), 1);
      assert.ok(smsc.binds() >= 2, 'the 4 GB PDU ended the link and the agent bound again');
      assert.ok(junkSent >= 1000, `only ${junkSent} junk PDUs went out`);
      // On the links the agent kept, every junk PDU was answered (on the one we killed, what was in flight died with it).
      await until(() => smsc.connections().every((c) => c.killed || c.answered === c.sent), 30_000, `every junk PDU answered: ${JSON.stringify(smsc.connections())}`);
      assert.ok(smsc.connections().some((c) => !c.killed && c.sent > 0), `the flood went on after the rebind: ${JSON.stringify(smsc.connections())}`);
      assert.equal([...smsc.answers.keys()].filter((key) => key.endsWith(`:${CommandStatus.ESME_RX_T_APPN}`)).length, 0, `never "retry later": ${JSON.stringify([...smsc.answers])}`);
      assert.ok(mqttJunk >= 1000, `only ${mqttJunk} junk commands went out`);
      assert.ok(broker.log.includes('Dropping too large outgoing PUBLISH for edge-sms-pi-flood'), 'Mosquitto dropped the 30 MB commands for the agent');
      assert.equal(apiJunk.statuses.get(500) ?? 0, 0, `no 500s: ${JSON.stringify([...apiJunk.statuses])}`);
      assert.ok((apiJunk.statuses.get(413) ?? 0) > 0 && (apiJunk.statuses.get(400) ?? 0) > 0, JSON.stringify([...apiJunk.statuses]));

      // Bounded: memory, database, inbox.
      const peak = peakRss(pid);
      const size = dbBytes(dbPath);
      const db = new Database(dbPath, { readonly: true });
      const inbox = db.prepare('SELECT count(*) AS rows, coalesce(sum(length(payload)), 0) AS bytes FROM inbox').get() as { rows: number; bytes: number };
      const parts = db.prepare('SELECT count(*) AS rows, coalesce(sum(length(payload)), 0) AS bytes FROM inbox_parts').get() as { rows: number; bytes: number };
      db.close();
      t.diagnostic(`flood ${floodMs} ms: ${good.length} good readings; SMSC junk ${junkSent} (${JSON.stringify([...smsc.sent])}), answers ${JSON.stringify([...smsc.answers])}, connections ${JSON.stringify(smsc.connections())}`);
      t.diagnostic(`MQTT junk ${mqttJunk}; API junk ${JSON.stringify([...apiJunk.statuses])}; peak RSS ${(idleRss / MiB).toFixed(1)} → ${(peak / MiB).toFixed(1)} MiB; database ${(size / MiB).toFixed(2)} MiB (WAL ${((existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0) / MiB).toFixed(2)}); inbox ${inbox.rows} rows ${inbox.bytes} B; parts ${parts.rows} rows ${parts.bytes} B`);
      const byMessage = new Map<string, number>();
      for (const entry of agent.logs) byMessage.set(entry.msg, (byMessage.get(entry.msg) ?? 0) + 1);
      t.diagnostic(`log lines at warn and above: ${agent.logs.length} ${JSON.stringify([...byMessage])}`);
      // Thousands of refused commands, a handful of lines: the first, then one per 10 s with the count.
      const refusalLines = (byMessage.get('command refused') ?? 0) + (byMessage.get('command refused: payload over mqtt.maxPayloadBytes') ?? 0);
      assert.ok(refusalLines >= 1 && refusalLines <= 1 + Math.ceil(floodMs / 10_000), `${refusalLines} log lines for ${mqttJunk} junk commands`);
      // Hundreds of undecodable deliver_sm, each kept in the inbox with its event; the log summarises them the same way.
      const undecodableLines = byMessage.get('undecodable inbound SMS kept in the inbox as received') ?? 0;
      assert.ok(undecodableLines >= 1 && undecodableLines <= 1 + Math.ceil(floodMs / 10_000), `${undecodableLines} log lines for the undecodable SMS`);
      assert.ok(peak < rssBound, `peak RSS ${(peak / MiB).toFixed(1)} MiB`);
      assert.ok(size < dbBound, `database files ${(size / MiB).toFixed(1)} MiB`);
      assert.ok(inbox.rows <= caps.inboxMaxRows, `inbox rows ${inbox.rows}`);
      assert.ok(inbox.bytes <= caps.inboxMaxBytes, `inbox bytes ${inbox.bytes}`);
      assert.ok(parts.bytes <= caps.partialBytes, `waiting parts ${parts.bytes} bytes`);

      // Still the same process, still answering on every door.
      assert.ok(agent.running, 'the agent never exited');
      assert.equal(agent.pid, pid, 'same process');
      const final = (await state()).uptimeSeconds;
      uptimes.push(final);
      assert.ok(uptimes.every((u, i) => i === 0 || u >= (uptimes[i - 1] ?? 0)), `uptime never went back: ${uptimes.join(',')}`);
      assert.ok(final >= Math.floor(floodMs / 1000), `uptime ${final} s covers the flood`);
      assert.equal(await getStateAnswered(fleet, 30_000), 'ok', 'MQTT commands still answered');
      assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { n: -1 } })).status, 201);
      assert.equal(agent.logs.filter((entry) => entry.level >= 60).length, 0, 'nothing fatal');
      assert.equal((await agent.kill('SIGTERM')).code, 0, 'a clean stop after it all');
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await fleet.close();
      await flooder.close().catch(() => undefined);
      await smsc.close();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
