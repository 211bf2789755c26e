/**
 * `store.keepDeliveredHours: 0` end to end: two `edge-sms-agent run` processes side by side on one
 * SMSC simulator (delivery receipts after 100 ms) and one real Mosquitto, the same readings posted
 * to each: alarms that want a receipt and meter readings that do not. Both announce every report on
 * `events/report-submitted` / `events/report-delivered`. From outside, the agent told to forget
 * leaves no report in its database (`queue list` and the file opened read-only: none delivered,
 * none submitted, the message rows still there, the id floor at the newest id), and its `/state`
 * and every MQTT state it published count no delivered report; the agent on the default keeps
 * every one and says so.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AgentProcess, callApi, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe, type ProbeMessage } from '../helpers/mqttProbe.js';
import { account, startSimulator } from '../helpers/simSetup.js';

interface Side {
  readonly name: string;
  readonly dir: string;
  readonly api: string;
  readonly db: string;
  readonly agent: AgentProcess;
}

interface OutboxCounts {
  readonly byState: Readonly<Record<'queued' | 'sending' | 'submitted' | 'delivered' | 'failed' | 'expired', number>>;
}

const alarms = 12;
const meters = 3;

/** Report ids an `events/report-*` message lists (ranges are not used with reportEventsS: 0). */
const idsOf = (message: ProbeMessage): string[] => (JSON.parse(message.text) as { ids: string[] }).ids;

async function post(side: Side, kind: string, data: Record<string, number>): Promise<number> {
  const reply = await callApi(side.api, 'POST', '/reports', { kind, data });
  assert.equal(reply.status, 201, reply.text);
  return (JSON.parse(reply.text) as { id: number }).id;
}

async function outboxOf(side: Side): Promise<OutboxCounts> {
  const reply = await callApi(side.api, 'GET', '/state');
  assert.equal(reply.status, 200, reply.text);
  return (JSON.parse(reply.text) as { outbox: OutboxCounts }).outbox;
}

/** `queue list --json` as an operator runs it against the agent's file. */
async function queueList(side: Side, ...filter: string[]): Promise<Array<{ id: number; state: string }>> {
  const listed = await runCli(['queue', 'list', '--db', side.db, '--json', ...filter]);
  assert.equal(listed.code, 0, listed.stderr);
  return JSON.parse(listed.stdout) as Array<{ id: number; state: string }>;
}

async function waitFor<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The agent's database opened read-only, as an operator's sqlite3 would: report rows by state, delivered messages (and those still holding their bytes), the id floor. */
function inFile(side: Side): { reports: Record<string, number>; deliveredMessages: number; deliveredWithPayload: number; idFloor: number } {
  const db = new Database(side.db, { readonly: true });
  try {
    const reports = Object.fromEntries((db.prepare('SELECT state, COUNT(*) AS n FROM reports GROUP BY state').all() as Array<{ state: string; n: number }>).map((row) => [row.state, row.n]));
    const deliveredMessages = db.prepare(`SELECT COUNT(*) FROM messages WHERE state = 'delivered'`).pluck().get() as number;
    const deliveredWithPayload = db.prepare(`SELECT COUNT(*) FROM messages WHERE state = 'delivered' AND payload IS NOT NULL`).pluck().get() as number;
    const idFloor = db.prepare(`SELECT value FROM counters WHERE name = 'report_id_floor'`).pluck().get() as number;
    return { reports, deliveredMessages, deliveredWithPayload, idFloor };
  } finally {
    db.close();
  }
}

describe('an agent told to keep no delivered report', () => {
  it('deletes each report as it settles, from the file, the state and its counts; the default keeps them', async () => {
    const broker = await Mosquitto.start();
    const sim = await startSimulator({ receipts: { delayMs: 100 } });
    const probe = await MqttProbe.connect(broker.url);
    const sides: Side[] = ['forgets', 'keeps'].map((name) => {
      const dir = mkdtempSync(join(tmpdir(), `esa-keep-${name}-`));
      const api = join(dir, 'api.sock');
      const db = join(dir, 'agent.db');
      const config = writeAgentConfig(dir, [
        `device: { id: pi-${name} }`,
        `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=5", destination: "+447700900000" }`,
        'modem: { enabled: false }',
        'location: { enabled: false }',
        // No sweep during the test: what goes, goes when it settles.
        `store: { path: "${db}", sweepS: 3600${name === 'forgets' ? ', keepDeliveredHours: 0' : ''} }`,
        'reports: { kinds: { alarm: { maxDelayS: 0, receipts: true }, meter: { maxDelayS: 0, receipts: false } } }',
        // One event per message, and the state at every change worth it (decades of the delivered count).
        `mqtt: { url: "${broker.url}", stateIntervalMs: 100, reportEventsS: 0 }`,
        `api: { listen: "unix:${api}" }`,
        'log: { level: warn }',
      ]);
      return { name, dir, api, db, agent: new AgentProcess(config) };
    });
    const [forgets, keeps] = sides as [Side, Side];
    const topic = (side: Side, rest: string): string => `edge-sms/pi-${side.name}/${rest}`;
    try {
      await probe.subscribe('edge-sms/pi-forgets/#', 'edge-sms/pi-keeps/#');
      for (const side of sides) side.agent.start();
      for (const side of sides) {
        await waitForApi(side.api, 20_000);
        await probe.waitForTopic(topic(side, 'state'), (text) => (JSON.parse(text) as { smpp: { state: string } }).smpp.state === 'bound', 15_000);
      }

      const posted = new Map<Side, { alarms: number[]; meters: number[] }>();
      const newest = (side: Side): number => Math.max(...posted.get(side)!.alarms, ...posted.get(side)!.meters);
      for (const side of sides) {
        const ids = { alarms: [] as number[], meters: [] as number[] };
        for (let i = 0; i < alarms; i++) ids.alarms.push(await post(side, 'alarm', { door: i }));
        for (let i = 0; i < meters; i++) ids.meters.push(await post(side, 'meter', { kWh: i }));
        posted.set(side, ids);
      }

      // As each agent announced it: every alarm delivered, every meter reading accepted. The link asks for
      // receipts for every message (a kind wants them), so the keeping agent's meter readings end delivered too;
      // the forgetting agent deleted them when they were accepted, their end for a kind without receipts.
      const announced = (side: Side, type: string): Set<string> =>
        new Set(probe.messages.filter((message) => message.topic === topic(side, `events/report-${type}`)).flatMap(idsOf));
      const all = (ids: readonly number[], seen: Set<string>): boolean => ids.every((id) => seen.has(String(id)));
      await waitFor('forgets: every alarm delivered, every meter submitted', () => ({ delivered: announced(forgets, 'delivered'), submitted: announced(forgets, 'submitted') }),
        ({ delivered, submitted }) => all(posted.get(forgets)!.alarms, delivered) && all(posted.get(forgets)!.meters, submitted), 30_000);
      await waitFor('keeps: every report delivered', () => announced(keeps, 'delivered'),
        (delivered) => all([...posted.get(keeps)!.alarms, ...posted.get(keeps)!.meters], delivered), 30_000);

      // The agent's own view: /state counts what its database holds.
      assert.deepEqual((await outboxOf(forgets)).byState, { queued: 0, sending: 0, submitted: 0, delivered: 0, failed: 0, expired: 0 });
      assert.deepEqual((await outboxOf(keeps)).byState, { queued: 0, sending: 0, submitted: 0, delivered: alarms + meters, failed: 0, expired: 0 });

      // What an operator's `queue list` sees once the agents' open groups are committed (groupCommitS: README "SD card").
      // An empty list alone could be a group not yet committed: the id floor, which only the delete of the newest
      // report raises, says the deletes are in the file.
      await waitFor('the keeping agent\'s delivered reports in queue list', () => queueList(keeps, '--state', 'delivered'), (rows) => rows.length === alarms + meters, 30_000);
      await waitFor('the forgetting agent\'s deletes committed', () => inFile(forgets).idFloor, (floor) => floor === newest(forgets), 30_000);
      assert.deepEqual(await queueList(forgets), []);

      // The delivered count in the state published on MQTT: never above 0 for one, up past ten for the other.
      const published = (side: Side): OutboxCounts[] =>
        probe.messages.filter((message) => message.topic === topic(side, 'state')).map((message) => (JSON.parse(message.text) as { outbox: OutboxCounts }).outbox);
      await probe.waitForTopic(topic(keeps, 'state'), (text) => (JSON.parse(text) as { outbox: OutboxCounts }).outbox.byState.delivered >= 10, 15_000);
      assert.deepEqual(published(forgets).filter((outbox) => outbox.byState.delivered > 0), [], 'the forgetting agent never counted a delivered report');

      for (const side of sides) {
        assert.equal((await side.agent.kill('SIGTERM')).code, 0);
        assert.deepEqual(side.agent.above(40).map((entry) => entry.msg), [], `${side.name}: nothing above warn`);
      }

      // The files themselves, read-only after a clean stop.
      const forgotten = inFile(forgets);
      assert.deepEqual(forgotten.reports, {}, 'no report row left');
      assert.ok(forgotten.deliveredMessages >= 1, 'the message rows stay (pruned after 7 days as before)');
      assert.equal(forgotten.idFloor, newest(forgets), 'the next id continues above every id handed out');
      const kept = inFile(keeps);
      assert.deepEqual(kept.reports, { delivered: alarms + meters });
      // Either way a delivered message keeps its link and references, not its bytes: nothing sends it again.
      assert.ok(kept.deliveredMessages >= 1);
      assert.deepEqual([forgotten.deliveredWithPayload, kept.deliveredWithPayload], [0, 0], 'delivered messages hold no payload');
    } finally {
      for (const side of sides) {
        if (side.agent.running) await side.agent.kill('SIGKILL');
        rmSync(side.dir, { recursive: true, force: true });
      }
      await probe.close();
      await sim.stop();
      await broker.stop();
    }
  });
});
