/**
 * Nothing blocks the queue: rows the router can never encode, plan or send, put straight into the
 * database with SQL (as an older version, another program or a person with sqlite3 could), sit between
 * good readings, some at the head of the queue with alarm priority. A real agent process against the
 * SMSC simulator and a real Mosquitto: every good reading leaves (the alarm in the first message), each
 * bad row is failed alone with Report_Unsendable, published as an event, and logged once. One more bad
 * row written while the agent runs is found and failed the same way, and the good one after it leaves.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ReportReceiver, type Reading } from '../../src/report/index.js';
import { knock, openStore } from '../../src/store/index.js';
import { AgentProcess, until, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { account, collectSubmits, startSimulator } from '../helpers/simSetup.js';

const now = Math.floor(Date.now() / 1000);
const reading = (fields: Record<string, unknown>): string => JSON.stringify({ time: now, fields });

/** [kind, priority rank (0 critical … 3 low), payload, good?] in insertion order. */
const rows: ReadonlyArray<readonly [string, number, string, boolean, string?]> = [
  ['alarm', 0, reading({ note: 'x'.repeat(3000) }), false], // never fits reports.maxParts, at the head of the queue
  ['alarm', 0, 'not a reading at all', false], // an older version's raw payload
  ['telemetry', 2, reading({ T: 20.5 }), true],
  ['telemetry', 2, reading({ 'bad.name': 1 }), false], // a field name the wire format cannot carry
  ['alarm', 0, reading({ door: true }), true],
  ['sms', 1, 'emoji \u{1F600} cannot go in GSM 7-bit', false], // a plain SMS the SMPP sender refuses
  ['telemetry', 2, JSON.stringify({ time: now, fields: [1, 2] }), false], // fields that are not an object
  ['alarm', 0, reading({ door: 'open' }), false, 'not json ['], // a destinations column written by hand
  ['telemetry', 2, reading({ T: 21.5 }), true],
];

/**
 * Written by hand beside the running agent, as an operator with sqlite3 would: its open group holds
 * the lock until it commits (store.groupCommitS), so knock first (agent.db.knock) and wait for it.
 */
function insertRaw(path: string, kind: string, priority: number, payload: string, destinations = ''): number {
  knock(path);
  const db = new Database(path, { timeout: 15_000 });
  try {
    const at = Date.now();
    const info = db
      .prepare(`INSERT INTO reports (kind, priority, state, payload, payload_is_text, destinations, bytes, created_at, expires_at, next_attempt_at, updated_at)
        VALUES (?, ?, 'queued', ?, 1, ?, ?, ?, ?, ?, ?)`)
      .run(kind, priority, Buffer.from(payload), destinations, Buffer.byteLength(payload), at, at + 3_600_000, at, at);
    return Number(info.lastInsertRowid);
  } finally {
    db.close();
  }
}

/** What the file holds now: the agent's open group is committed first (knocked), so its last states are in it. */
function readStates(path: string): Map<number, { state: string; lastError: string | null }> {
  knock(path);
  const db = new Database(path, { readonly: true });
  try {
    const all = db.prepare('SELECT id, state, last_error AS lastError FROM reports').all() as Array<{ id: number; state: string; lastError: string | null }>;
    return new Map(all.map((row) => [row.id, { state: row.state, lastError: row.lastError }]));
  } finally {
    db.close();
  }
}

describe('a report that can never be sent', () => {
  it('is failed alone (Report_Unsendable) while every good reading, alarms first, still leaves', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-unsendable-'));
    const dbPath = join(dir, 'agent.db');
    openStore({ path: dbPath }).close(); // the schema, as the agent makes it
    const ids = rows.map(([kind, priority, payload, , destinations]) => insertRaw(dbPath, kind, priority, payload, destinations));
    const good = ids.filter((_, index) => rows[index]?.[3] === true);
    const bad = ids.filter((_, index) => rows[index]?.[3] === false);

    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    await probe.subscribe('edge-sms/pi-unsendable/events/#');
    const sim = await startSimulator({ receipts: { delayMs: 50 } });
    const submits = collectSubmits(sim);
    const config = writeAgentConfig(dir, [
      'device: { id: pi-unsendable, alias: "7" }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${dbPath}", sweepS: 3600 }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0 } } }',
      `mqtt: { url: "${broker.url}" }`,
      'api: { enabled: false }',
      'log: { level: info }',
    ]);
    const agent = new AgentProcess(config);
    const received: Reading[][] = [];
    const receiver = new ReportReceiver();
    sim.on('pdu', (pdu) => {
      if (pdu.command !== 'submit_sm') return;
      const result = receiver.accept({ ...pdu, command: 'deliver_sm' });
      if (result.kind === 'report') received.push([...result.message.readings]);
    });
    try {
      agent.start();
      const readings = (): Reading[] => received.flat();
      await until(() => readings().length >= good.length, 30_000, 'every good reading at the SMSC');
      assert.deepEqual(received[0]?.map((r) => r.kind).includes('alarm'), true, 'the alarm is in the first message');
      assert.deepEqual(readings().map((r) => r.fields).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ door: true }, { T: 20.5 }, { T: 21.5 }]);

      await until(() => bad.every((id) => readStates(dbPath).get(id)?.state === 'failed'), 10_000, 'every bad row failed');
      const states = readStates(dbPath);
      for (const id of bad) assert.match(states.get(id)?.lastError ?? '', /^Report_Unsendable: /, `row ${id}`);
      for (const id of good) assert.notEqual(states.get(id)?.state, 'failed', `good row ${id}`);

      // Published (one report-unsendable event per row, counted) and logged once per row.
      await until(() => probe.messages.filter((m) => m.topic.endsWith('/events/report-unsendable')).length >= bad.length, 10_000, 'the events');
      const events = probe.messages.filter((m) => m.topic.endsWith('/events/report-unsendable')).map((m) => JSON.parse(m.text) as { id: string; count: number; reason: string });
      assert.deepEqual(events.map((event) => Number(event.id)).sort((a, b) => a - b), bad);
      assert.equal(Math.max(...events.map((event) => event.count)), bad.length);
      const failedEvents = probe.messages.filter((m) => m.topic.endsWith('/events/report-failed')).map((m) => JSON.parse(m.text) as { reason: string; final: boolean });
      assert.equal(failedEvents.filter((event) => event.reason.startsWith('Report_Unsendable') && event.final).length, bad.length);
      // The operator's rate-limited summary of final failures (event: reports-failed) names the reason too; it is not a per-row line.
      const unsendableLogs = (): typeof agent.logs => agent.logs.filter((entry) => entry.msg.includes('Report_Unsendable') && entry['event'] !== 'reports-failed');
      await until(() => unsendableLogs().length >= bad.length, 5000, 'the log lines'); // pino writes stderr asynchronously
      const logged = unsendableLogs();
      assert.deepEqual(logged.map((entry) => entry['id']).sort((a, b) => Number(a) - Number(b)), bad);
      assert.equal(agent.logs.filter((entry) => entry.msg === 'router: planning failed').length, 0, 'the planner never stalled');

      // Written while the agent runs: a bad row, then a good alarm behind it.
      const lateBad = insertRaw(dbPath, 'alarm', 0, reading({ blob: 'y'.repeat(4000) }));
      const lateGood = insertRaw(dbPath, 'alarm', 0, reading({ door: false }));
      await until(() => readings().some((r) => r.fields['door'] === false), 10_000, 'the late alarm at the SMSC');
      await until(() => readStates(dbPath).get(lateBad)?.state === 'failed', 5000, 'the late bad row failed');
      assert.notEqual(readStates(dbPath).get(lateGood)?.state, 'failed');
      assert.ok(submits.length >= 2);
      assert.ok(agent.running, 'the agent never stopped');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await sim.stop();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
