/**
 * A real agent process bound to the SMSC simulator, mirrored to a real Mosquitto, for the SMS
 * command security tests: MO messages are injected as deliver_sm, the replies are the submit_sm
 * the simulator receives, the agent's log lines are parsed, and the agent can be restarted on the
 * same database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmscSimulator } from '../../src/sim/index.js';
import { AgentProcess, until, waitForApi, writeAgentConfig, type LogEntry } from './agentProcess.js';
import { Mosquitto } from './mosquitto.js';
import { MqttProbe } from './mqttProbe.js';
import { account, collectSubmits, startSimulator } from './simSetup.js';

export const deviceId = 'pi-guard';
export const centre = '+447700900000';

export interface CommandRig {
  readonly dir: string;
  readonly api: string;
  readonly sim: SmscSimulator;
  readonly broker: Mosquitto;
  readonly probe: MqttProbe;
  readonly agent: AgentProcess;
  readonly submits: ReturnType<typeof collectSubmits>;
  /** Replies (submit_sm) the SMSC has received for `number` (digits, no +). */
  repliesTo(number: string): string[];
  /** Starts (or restarts) the agent and waits until it is bound and answering. */
  startAgent(): Promise<void>;
  close(): Promise<void>;
}

/** `commands` are the YAML lines of the `commands:` section (indented by the caller's choice of flow style). */
export async function startCommandRig(commands: string, extraLines: readonly string[] = []): Promise<CommandRig> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-guard-'));
  const broker = await Mosquitto.start();
  const sim = await startSimulator();
  const probe = await MqttProbe.connect(broker.url);
  await probe.subscribe(`edge-sms/${deviceId}/#`);
  const submits = collectSubmits(sim);
  const api = join(dir, 'api.sock');
  const config = writeAgentConfig(dir, [
    `device: { id: ${deviceId} }`,
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "${centre}", responseTimeoutMs: 2000, enquireLinkS: 5 }`,
    'modem: { enabled: false }',
    'location: { enabled: false }',
    `store: { path: "${join(dir, 'agent.db')}" }`,
    `mqtt: { url: "${broker.url}", stateIntervalMs: 200 }`,
    `api: { listen: "unix:${api}" }`,
    `commands: ${commands}`,
    ...(extraLines.some((line) => line.startsWith('log:')) ? [] : ['log: { level: debug }']),
    ...extraLines,
  ]);
  const agent = new AgentProcess(config);
  const rig: CommandRig = {
    dir,
    api,
    sim,
    broker,
    probe,
    agent,
    submits,
    repliesTo: (number) => submits.filter((pdu) => pdu.destination_addr.replace(/^\+/, '') === number).map((pdu) => pdu.short_message.toString('latin1')),
    async startAgent() {
      agent.start();
      await waitForApi(api, 20_000);
      await until(() => hasReceiver(sim), 20_000, 'the agent bound as a receiver at the SMSC');
    },
    async close() {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await sim.stop().catch(() => undefined);
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

function hasReceiver(sim: SmscSimulator): boolean {
  return sim.connections.some((connection) => connection.receives && !connection.link.closed);
}

/** Log entries of SMS commands refused, with their reason. */
export function refusals(logs: readonly LogEntry[], reason: string): LogEntry[] {
  return logs.filter((entry) => entry.msg === 'SMS command refused' && entry['reason'] === reason);
}
