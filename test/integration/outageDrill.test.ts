/**
 * The outage drill (issue 8, DESIGN §7), with real processes: the agent (`edge-sms-agent run`), an
 * SMSC, the modem emulator on a pseudo-terminal and Mosquitto. Reports of mixed priorities are
 * posted at a steady rate to the local API; the SMSC is cut for a while (alarms go by the modem,
 * the rest wait); the broker is restarted once; the agent is killed with SIGKILL in the middle of
 * the drain and started again on the same config and database. At the end every reading has
 * reached the centre exactly once after its sequence check (re-sends are whole messages, at most a
 * window per disruption), no message was built while a more urgent report waited, the MQTT state
 * shows the outage and an empty queue, and the agent logged nothing above `warn` that is not listed
 * below as expected.
 *
 * The first run uses our SMSC simulator (throttled, so the drain is paced by the SMSC); the second
 * node-smpp's server, an SMSC we did not write (lighter: no modem, fewer reports).
 */
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import smpp from 'smpp';
import { startModemEmulator, type RunningModemEmulator } from '../../src/sim/modem/index.js';
import { SmscSimulator } from '../../src/sim/index.js';
import { account } from '../helpers/simSetup.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { AgentProcess, callApi, logLevels, until, waitForApi, type LogEntry } from '../helpers/agentProcess.js';
import { ReportCentre, tapModemSubmits } from '../helpers/reportCentre.js';
import { priorityInversions, readOutbox } from '../helpers/outboxOrder.js';
import { nodeSmppText, type NodeSmppSession, type NodeSmppServer } from '../helpers/nodeSmppNet.js';

const window = 10;

/**
 * Log lines at warn and above that the drill provokes on purpose, by part (`mod`) and message;
 * anything else at warn or above fails it.
 */
const expectedLogs: ReadonlyArray<{ readonly level: number; readonly mod: string; readonly msg: RegExp; readonly why: string }> = [
  { level: logLevels.warn, mod: 'router', msg: /^router: message not sent$/, why: 'in flight when the SMSC was cut, or throttled by it: re-queued' },
  { level: logLevels.warn, mod: 'mqtt', msg: /^mqtt connection lost$/, why: 'the broker restart' },
  { level: logLevels.warn, mod: 'store', msg: /^outbox: \d+ report\(s\) were sending when the agent stopped; queued again$/, why: 'the restart after SIGKILL' },
];

function unexpected(entries: readonly LogEntry[]): LogEntry[] {
  return entries.filter((entry) => entry.level >= logLevels.warn && !expectedLogs.some((rule) => entry.level === rule.level && entry['mod'] === rule.mod && rule.msg.test(entry.msg)));
}

type Kind = 'alarm' | 'warning' | 'telemetry';

/** The report number n's kind: 5 % alarms (critical), 10 % warnings (high), the rest telemetry (normal). */
function kindOf(n: number): Kind {
  if (n % 20 === 0) return 'alarm';
  if (n % 10 === 5) return 'warning';
  return 'telemetry';
}

/** Posts reports 0..count-1 at a steady rate; `pause()` holds it between two posts (none in flight). */
class Poster {
  posted = 0;
  readonly refused: string[] = [];
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  readonly done: Promise<void>;

  constructor(
    private readonly socket: string,
    private readonly count: number,
    private readonly intervalMs: number,
    private readonly onPosted: (n: number) => Promise<void> | void,
  ) {
    this.done = this.loop();
  }

  /** Resolves once no post is in flight; posting waits until `resume()`. */
  async pause(): Promise<void> {
    this.gate = new Promise((resolve) => (this.release = resolve));
    await this.inFlight;
  }

  resume(): void {
    this.release?.();
    this.gate = undefined;
  }

  private async loop(): Promise<void> {
    let next = Date.now();
    for (let n = 0; n < this.count; n++) {
      if (this.gate !== undefined) await this.gate;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      next = Math.max(next + this.intervalMs, Date.now());
      if (this.gate !== undefined) await this.gate;
      const post = this.post(n);
      this.inFlight = post;
      await post;
      this.posted = n + 1;
      await this.onPosted(n);
    }
  }

  private async post(n: number): Promise<void> {
    const kind = kindOf(n);
    const body = { kind, data: { n, T: 20 + (n % 50) / 10 } };
    for (let attempt = 0; ; attempt++) {
      // Only failures before the request was written are retried (the agent down: no socket, refused).
      const reply = await callApi(this.socket, 'POST', '/reports', body).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') return undefined;
        throw error;
      });
      if (reply !== undefined) {
        if (reply.status !== 201) this.refused.push(`${n}: ${reply.status} ${reply.text}`);
        return;
      }
      if (attempt > 500) throw new Error(`report ${n}: the agent's API stayed away`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

interface StateJson {
  readonly smpp: { readonly state: string };
  readonly outbox: { readonly byState: Record<string, number>; readonly queuedByPriority: Record<string, number> };
}

function configText(dir: string, options: { smscPort: number; brokerUrl: string; modemPath?: string }): string {
  const modem = options.modemPath === undefined
    ? 'modem: { enabled: false }'
    : `modem: { port: "${options.modemPath}", profile: simcom-sim7600, fallbackAfterS: 1 }`;
  return [
    'device: { id: pi-drill, alias: "9" }',
    // rate: 0 in the URL and maxRate 0: no pacing of our own, the SMSC's throttle decides.
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${options.smscPort}?bind=trx&window=${window}", destination: "+447700900000", source: EDGE9, responseTimeoutMs: 1000, enquireLinkS: 2, maxRate: 0 }`,
    modem,
    'location: { enabled: false }',
    `store: { path: "${join(dir, 'agent.db')}" }`,
    // One SMS per message, so a drain is hundreds of messages; telemetry waits up to 1 s to share one.
    'reports: { maxParts: 1, kinds: { telemetry: { maxDelayS: 1 }, warning: { priority: high, maxDelayS: 0 }, alarm: { receipts: false } } }',
    `mqtt: { url: "${options.brokerUrl}", stateIntervalMs: 200 }`,
    `api: { listen: "unix:${join(dir, 'api.sock')}" }`,
    'log: { level: warn }',
  ].join('\n');
}

/** An SMSC the drill can cut and bring back on the same port. */
interface Smsc {
  readonly port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** submit_sm seen since the last restore. */
  readonly submitsSinceRestore: number;
  close(): Promise<void>;
}

async function simulatorSmsc(centre: ReportCentre, throttlePerSecond: number): Promise<Smsc> {
  let submits = 0;
  const make = (port: number): SmscSimulator => {
    const sim = new SmscSimulator({ accounts: [account], port, throttlePerSecond });
    sim.on('pdu', (pdu) => {
      if (pdu.command !== 'submit_sm') return;
      submits++;
      centre.acceptPdu(pdu);
    });
    return sim;
  };
  let sim: SmscSimulator | undefined = make(0);
  const port = await sim.start();
  return {
    port,
    get submitsSinceRestore() {
      return submits;
    },
    async cut() {
      await sim?.stop();
      sim = undefined;
    },
    async restore() {
      submits = 0;
      sim = make(port);
      await sim.start();
    },
    async close() {
      await sim?.stop();
    },
  };
}

interface NodeSmppNet {
  createServer(listener: (session: NodeSmppSession) => void): NodeSmppServer;
}

async function nodeSmppSmsc(centre: ReportCentre): Promise<Smsc> {
  let submits = 0;
  let nextId = 1;
  const sessions = new Set<NodeSmppSession>();
  const timers = new Set<NodeJS.Timeout>();
  const make = async (port: number): Promise<{ server: NodeSmppServer; port: number }> => {
    const server = (smpp as unknown as NodeSmppNet).createServer((session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
      session.on('error', () => undefined);
      session.on('bind_transceiver', (pdu) => {
        const ok = pdu['system_id'] === account.systemId && pdu['password'] === account.password;
        session.send(pdu.response(ok ? { system_id: 'NODE' } : { command_status: 0x0e }));
      });
      session.on('submit_sm', (pdu) => {
        submits++;
        centre.text(nodeSmppText(pdu['short_message']), 'smpp');
        // Answered after 100 ms: with a window of 10, about 100 messages/s, so the drain takes a while.
        const timer = setTimeout(() => {
          timers.delete(timer);
          session.send(pdu.response({ message_id: `N${nextId++}` }));
        }, 100);
        timers.add(timer);
      });
      session.on('enquire_link', (pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu) => {
        session.send(pdu.response());
        session.close();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address();
    return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
  };
  const stop = async (server: NodeSmppServer | undefined): Promise<void> => {
    if (server === undefined) return;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  let current: NodeSmppServer | undefined;
  const first = await make(0);
  current = first.server;
  return {
    port: first.port,
    get submitsSinceRestore() {
      return submits;
    },
    async cut() {
      await stop(current);
      current = undefined;
    },
    async restore() {
      submits = 0;
      current = (await make(first.port)).server;
    },
    async close() {
      await stop(current);
    },
  };
}

interface DrillPlan {
  readonly count: number;
  readonly intervalMs: number;
  /** Report numbers at which the SMSC is cut and brought back, and the broker restarted (if set). */
  readonly cutAt: number;
  readonly restoreAt: number;
  readonly brokerRestartAt?: number;
  /** SIGKILL once the restored SMSC has seen this many submits. */
  readonly killAfterSubmits: number;
}

async function drill(t: TestContext, plan: DrillPlan, makeSmsc: (centre: ReportCentre) => Promise<Smsc>, withModem: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-drill-'));
  const centre = new ReportCentre();
  const broker = await Mosquitto.start();
  const smsc = await makeSmsc(centre);
  let modem: RunningModemEmulator | undefined;
  if (withModem) {
    modem = await startModemEmulator({ link: join(dir, 'ttyDRILL0'), profile: 'simcom-sim7600' });
    tapModemSubmits(modem.emulator, (hex, length) => centre.acceptModemPdu(hex, length));
  }
  const probe = await MqttProbe.connect(broker.url, { reconnectPeriod: 100 });
  const config = join(dir, 'config.yaml');
  writeFileSync(config, configText(dir, { smscPort: smsc.port, brokerUrl: broker.url, ...(modem === undefined ? {} : { modemPath: modem.path }) }));
  const api = join(dir, 'api.sock');
  const agent = new AgentProcess(config);
  const started = Date.now();
  const milestones: string[] = [];
  const mark = (what: string): void => void milestones.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);
  let poster: Poster | undefined;
  try {
    await probe.subscribe('edge-sms/pi-drill/#');
    agent.start();
    await waitForApi(api, 15_000);
    await probe.waitForTopic('edge-sms/pi-drill/state', (text) => (JSON.parse(text) as StateJson).smpp.state === 'bound', 15_000);
    mark('agent up and bound');

    let cut: Promise<void> = Promise.resolve();
    let restored: Promise<void> = Promise.resolve();
    let brokerRestart: Promise<void> = Promise.resolve();
    poster = new Poster(api, plan.count, plan.intervalMs, (n) => {
      if (n === plan.cutAt) {
        mark(`SMSC cut after report ${n}`);
        centre.period = 'outage';
        cut = smsc.cut();
      }
      if (n === plan.brokerRestartAt) {
        mark('broker restarting');
        brokerRestart = broker.restart();
      }
      if (n === plan.restoreAt) {
        restored = cut.then(async () => {
          await smsc.restore();
          centre.period = 'drain';
          mark(`SMSC back after report ${n}`);
        });
      }
    });

    // Mid-drain: once the SMSC is back and has taken some of the backlog, SIGKILL and restart.
    await until(() => (poster?.posted ?? 0) > plan.restoreAt, 60_000, 'the SMSC to be restored');
    await restored;
    await until(() => smsc.submitsSinceRestore >= plan.killAfterSubmits, 30_000, `${plan.killAfterSubmits} submits after the SMSC came back`);
    await poster.pause();
    const queuedAtKill = JSON.parse((await callApi(api, 'GET', '/state')).text) as StateJson;
    const killed = await agent.kill('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    mark(`agent SIGKILLed with ${queuedAtKill.outbox.byState['queued']} queued, ${queuedAtKill.outbox.byState['sending']} sending`);
    centre.period = 'after-kill';
    const inFlightAtKill = readOutbox(join(dir, 'agent.db')).reports.filter((r) => r.state === 'sending').map((r) => r.messageId ?? 0);
    agent.start();
    await waitForApi(api, 15_000);
    mark('agent restarted');
    poster.resume();
    await poster.done;
    await brokerRestart;
    mark('all reports posted');
    assert.deepEqual(poster.refused, [], 'the API took every report');

    await until(() => centre.missing(plan.count).length === 0, 60_000, `every reading at the centre (missing: ${centre.missing(plan.count).slice(0, 20).join(',')}…)`);
    mark('every reading at the centre');
    // Exact counts from GET /state (the retained MQTT state carries counts by threshold, and exactly when nothing waits).
    let settled: StateJson | undefined;
    for (const deadline = Date.now() + 15_000; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const live = JSON.parse((await callApi(api, 'GET', '/state')).text) as StateJson;
      const { byState } = live.outbox;
      // No receipts are asked for: accepted by a link (submitted) is where a report ends.
      if (byState['queued'] === 0 && byState['sending'] === 0 && byState['submitted'] === plan.count) {
        settled = live;
        break;
      }
      if (Date.now() > deadline) {
        const queued = readOutbox(join(dir, 'agent.db')).reports.filter((r) => r.state === 'queued');
        const now = Date.now();
        const detail = queued.map((r) => `#${r.id} ${r.priority} attempts ${r.attempts} next ${r.nextAttemptAt - now} ms ${r.errorClass ?? '-'} ${r.lastError ?? ''} message ${r.messageId}`);
        throw new Error(`the state never settled; last: ${JSON.stringify(byState)}; queued: ${detail.join('; ')}`);
      }
    }
    assert.equal(settled.outbox.queuedByPriority['critical'], 0);
    // And the state on MQTT says so too: an empty queue is published exactly (in-flight counts are not: src/mqtt/stateThresholds.ts).
    await until(() => {
      const latest = probe.messages.filter((m) => m.topic === 'edge-sms/pi-drill/state').at(-1);
      const byState = latest === undefined ? undefined : (JSON.parse(latest.text) as StateJson).outbox.byState;
      return byState?.['queued'] === 0;
    }, 15_000, 'the latest state on MQTT to say nothing is queued');

    // A fresh subscriber sees the retained state: nothing queued.
    const late = await MqttProbe.connect(broker.url);
    try {
      await late.subscribe('edge-sms/pi-drill/state');
      const retained = await late.waitForTopic('edge-sms/pi-drill/state', () => true, 5000);
      assert.equal(retained.packet.retain, true);
      assert.equal((JSON.parse(retained.text) as StateJson).outbox.byState['queued'], 0);
    } finally {
      await late.close();
    }
    for (const event of ['link-down', 'outage-began', 'outage-ended']) {
      assert.ok(probe.messages.some((m) => m.topic === `edge-sms/pi-drill/events/${event}`), `event ${event} on MQTT`);
    }

    const stopped = await agent.kill('SIGTERM');
    assert.equal(stopped.code, 0, 'graceful stop after the drill');
    mark('agent stopped');

    // Each reading exactly once after the sequence check, duplicates only whole messages.
    assert.deepEqual(centre.problems, []);
    assert.deepEqual(centre.inSeveralMessages(), [], 'a reading travelled in two different messages');
    assert.equal(centre.readings.size, plan.count);
    const disruptions = 2; // the SMSC cut and the SIGKILL
    assert.ok(centre.duplicates.length <= disruptions * window, `${centre.duplicates.length} re-sent messages, more than a window per disruption`);

    // The modem carried alarms only (and only while the SMSC was away long enough).
    const viaModem = [...centre.messages.values()].filter((m) => m.via === 'modem');
    for (const message of viaModem) for (const n of message.ids) assert.equal(kindOf(n), 'alarm', `reading ${n} went by modem`);
    if (withModem) assert.ok(viaModem.length > 0, 'alarms went by modem during the outage');
    const cmgs = modem?.emulator.commands.filter((command) => /^AT\+CMGS=\d+$/.test(command)).length ?? 0;
    assert.equal(cmgs, viaModem.length + centre.duplicates.filter((d) => d.via === 'modem').length, 'every AT+CMGS decoded');

    // Priority: no message was built while a more urgent report the link could carry was waiting.
    const outbox = readOutbox(join(dir, 'agent.db'));
    assert.deepEqual(outbox.byState, { submitted: plan.count });
    const seqByMessage = new Map<number, number>();
    for (const report of outbox.reports) {
      const n = (JSON.parse(String(report.payload)) as { fields: { n: number } }).fields.n;
      const seq = centre.readings.get(n)?.[0];
      if (report.messageId !== null && seq !== undefined) seqByMessage.set(report.messageId, seq);
    }
    // Re-sent: every message the router logged as not sent, and those in flight at the SIGKILL.
    const resent = new Set<number>(inFlightAtKill);
    for (const entry of agent.logs) if (entry.msg === 'router: message not sent' && typeof entry['messageId'] === 'number') resent.add(entry['messageId']);
    const inversions = priorityInversions(outbox, { modemMayCarry: (kind) => kind === 'alarm', seqOf: (id) => seqByMessage.get(id), resent });
    assert.deepEqual(inversions.map((i) => `message ${i.built.messageId} (${i.built.priority}, seq ${seqByMessage.get(i.built.messageId)}, built ${i.built.builtAt - started} ms, reports ${i.built.reports.map((r) => r.id).join(',')}) built after report ${i.overtaken.id} (${i.overtaken.priority}, created ${i.overtaken.createdAt - started} ms, message ${i.overtaken.messageId} seq ${seqByMessage.get(i.overtaken.messageId ?? 0)})`).slice(0, 3), []);
    // And the drain shows it: after the SMSC came back, backlog messages went critical → high → normal.
    const drainOrder = [...centre.messages.values()].filter((m) => m.period === 'drain' && m.via === 'smpp').map((m) => Math.min(...m.ids.map((n) => ['alarm', 'warning', 'telemetry'].indexOf(kindOf(n)))));
    const firstNormal = drainOrder.indexOf(2);
    const lastHigh = drainOrder.lastIndexOf(1);

    const bad = unexpected(agent.logs);
    // The messages that were not sent failed because the link went or the SMSC throttled, nothing else.
    const notSent = agent.logs.filter((entry) => entry.msg === 'router: message not sent').map((entry) => String(entry['reason']));
    assert.deepEqual(notSent.filter((reason) => !/^link lost: |^ESME_RTHROTTLED: /.test(reason)), []);
    assert.deepEqual(bad.map((entry) => `${entry.level} ${entry.msg}`), [], 'log lines above warn that the drill did not expect');
    assert.deepEqual(agent.raw, [], 'everything on standard error is a log line');

    const perPeriod = new Map<string, number>();
    for (const message of centre.messages.values()) perPeriod.set(`${message.period}/${message.via}`, (perPeriod.get(`${message.period}/${message.via}`) ?? 0) + 1);
    t.diagnostic(milestones.join('; '));
    t.diagnostic(`messages ${centre.messages.size} (${[...perPeriod].map(([k, v]) => `${k} ${v}`).join(', ')}), re-sent ${centre.duplicates.length} (${centre.duplicates.map((d) => `${d.period}/${d.via}`).join(', ')}), AT+CMGS ${cmgs}`);
    t.diagnostic(`drain after the SMSC returned: ${drainOrder.length} messages, first normal at ${firstNormal}, last high at ${lastHigh}; warnings logged: ${agent.logs.filter((e) => e.level === logLevels.warn).length}`);
  } finally {
    poster?.resume();
    if (agent.running) await agent.kill('SIGKILL');
    await probe.close().catch(() => undefined);
    await modem?.stop();
    await smsc.close().catch(() => undefined);
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the outage drill', () => {
  it('against our SMSC simulator, with the modem fallback, a broker restart and a SIGKILL mid-drain', async (t) => {
    // 2,000 reports at 125/s (16 s); the SMSC away from report 300 to 1,000 (about 5.6 s).
    await drill(t, { count: 2000, intervalMs: 8, cutAt: 300, restoreAt: 1000, brokerRestartAt: 600, killAfterSubmits: 30 }, (centre) => simulatorSmsc(centre, 60), true);
  });

  it("against node-smpp's server (an SMSC we did not write), without the modem", async (t) => {
    await drill(t, { count: 800, intervalMs: 8, cutAt: 150, restoreAt: 450, killAfterSubmits: 15 }, (centre) => nodeSmppSmsc(centre), false);
  });
});
