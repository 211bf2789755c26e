/**
 * What an operator reads at `info` (DESIGN §10): a real agent process with the SMSC simulator and the
 * modem emulator on a pseudo-terminal lives through a report the SMSC refuses for good, the modem
 * losing and finding the network, an SMSC outage with an alarm sent through the modem, and the SMSC's
 * return. Its log, read back, names each of those once (each with a stable `event` name and a
 * sentence), and no JSON line carries a key twice. A refused bind is one line with the reason, and
 * `status` shows it with the next retry.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startModemEmulator, SmscSimulator } from '../../src/sim/index.js';
import { CommandStatus } from '../../src/smpp/index.js';
import { account } from '../helpers/simSetup.js';
import { AgentProcess, callApi, logLevels, until, waitForApi, writeAgentConfig, type LogEntry } from '../helpers/agentProcess.js';
import { duplicateKeys } from '../helpers/jsonKeys.js';
import { runCli } from '../helpers/cli.js';

interface LinksJson {
  readonly links: Record<'smpp' | 'modem' | 'mqtt', { state: string; since: string; lastError: { message: string; code?: string; at: string } | null; nextRetryAt: string | null }>;
}

function configLines(dir: string, smscPort: number, password: string, modemPath?: string): string[] {
  return [
    'device: { id: pi-log, alias: "7" }',
    `smpp: { url: "smpp://${account.systemId}:${password}@127.0.0.1:${smscPort}?bind=trx", destination: "+447700900000", source: EDGE7, responseTimeoutMs: 1000, enquireLinkS: 2, reconnectMinS: 0.2, reconnectMaxS: 1 }`,
    modemPath === undefined ? 'modem: { enabled: false }' : `modem: { port: "${modemPath}", profile: simcom-sim7600, fallbackAfterS: 1 }`,
    'location: { enabled: false }',
    `store: { path: "${join(dir, 'agent.db')}" }`,
    'reports: { kinds: { alarm: { receipts: false } } }',
    'mqtt: { enabled: false }',
    `api: { listen: "unix:${join(dir, 'api.sock')}" }`,
    'log: { level: info, format: json }',
  ];
}

function told(agent: AgentProcess, event: string): LogEntry[] {
  return agent.logs.filter((entry) => entry.level >= logLevels.info && entry['event'] === event);
}

async function links(socket: string): Promise<LinksJson['links']> {
  return (JSON.parse((await callApi(socket, 'GET', '/state')).text) as LinksJson).links;
}

describe('the info-level log tells the outage story', () => {
  it('names link up/down, modem registered/lost, the fallback, the outage and a final failure, once each, with no key twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-infolog-'));
    const make = (port: number): SmscSimulator => new SmscSimulator({ accounts: [account], port });
    let sim = make(0);
    const port = await sim.start();
    const modem = await startModemEmulator({ link: join(dir, 'ttyLOG0'), profile: 'simcom-sim7600' });
    const socket = join(dir, 'api.sock');
    const agent = new AgentProcess(writeAgentConfig(dir, configLines(dir, port, account.password, modem.path)));
    try {
      agent.start();
      await waitForApi(socket, 20_000);
      await until(() => told(agent, 'link-up').length === 1 && told(agent, 'modem-registered').length === 1, 20_000, 'SMPP bound and the modem registered');

      // A report the SMSC refuses for good (invalid destination): one summary line.
      sim.setFaults({ answerWith: { status: CommandStatus.ESME_RINVDSTADR } });
      assert.equal((await callApi(socket, 'POST', '/reports', { kind: 'alarm', data: { door: 1 } })).status, 201);
      await until(() => told(agent, 'reports-failed').length === 1, 15_000, 'the final failure summary');
      sim.setFaults({});

      // The modem loses the network and finds it again.
      modem.emulator.setFault('no-network', true);
      await until(() => told(agent, 'modem-lost').length === 1, 15_000, 'modem lost');
      modem.emulator.setFault('no-network', false);
      await until(() => told(agent, 'modem-registered').length === 2, 15_000, 'modem registered again');

      // The SMSC goes away; an alarm goes through the modem after modem.fallbackAfterS.
      await sim.stop();
      await until(() => told(agent, 'outage-began').length === 1, 15_000, 'the outage');
      const down = await links(socket);
      assert.notEqual(down.smpp.state, 'bound');
      assert.ok(down.smpp.lastError !== null, 'status knows why SMPP is down');
      assert.equal(down.mqtt.state, 'disabled');
      assert.equal((await callApi(socket, 'POST', '/reports', { kind: 'alarm', data: { door: 2 } })).status, 201);
      await until(() => told(agent, 'fallback').length === 1, 20_000, 'the fallback to the modem');

      sim = make(port);
      await sim.start();
      await until(() => told(agent, 'outage-ended').length === 1, 20_000, 'the outage to end');
      assert.equal((await links(socket)).smpp.state, 'bound');
      const exit = await agent.kill('SIGTERM');
      assert.equal(exit.code, 0);

      const story = ['link-up', 'link-down', 'outage-began', 'outage-ended', 'fallback', 'reports-failed', 'modem-registered', 'modem-lost'];
      const counts = Object.fromEntries(story.map((event) => [event, told(agent, event).length]));
      // Up at start and again after the outage; registered at start and after the network came back.
      assert.deepEqual(counts, { 'link-up': 2, 'link-down': 1, 'outage-began': 1, 'outage-ended': 1, fallback: 1, 'reports-failed': 1, 'modem-registered': 2, 'modem-lost': 1 });
      const [began] = told(agent, 'outage-began');
      assert.equal(typeof began?.['queued'], 'number');
      const [ended] = told(agent, 'outage-ended');
      assert.equal(ended?.['viaModem'], 1, 'the alarm went through the modem during the outage');
      assert.match(String(told(agent, 'link-down')[0]?.msg), /^SMPP link down: .+/);
      const [failed] = told(agent, 'reports-failed');
      assert.equal(failed?.['count'], 1);
      assert.match(String(failed?.msg), /1 report\(s\) failed for good \(1 .+\)/);
      for (const line of agent.jsonLines) assert.deepEqual(duplicateKeys(line), [], line);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await sim.stop().catch(() => undefined);
      await modem.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs a refused bind once with the reason; status shows the last error and the next retry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-infolog-'));
    const sim = new SmscSimulator({ accounts: [account], port: 0 });
    const port = await sim.start();
    const socket = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, configLines(dir, port, 'wrong'));
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(socket, 20_000);
      await until(() => told(agent, 'bind-refused').length === 1, 15_000, 'the refused bind');
      const smpp = (await links(socket)).smpp;
      assert.equal(smpp.lastError?.code, 'Smpp_BindFailed');
      assert.ok(smpp.nextRetryAt !== null && Date.parse(smpp.nextRetryAt) > Date.parse(smpp.lastError.at) + 10_000, 'a refused bind is retried slowly');
      const status = await runCli(['status', '--config', config]);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /smpp: closed since .*\n\s+last error: Smpp_BindFailed: .*ESME_RINVPASWD.*\n\s+next retry in \d+ s/);
      assert.match(status.stdout, /modem: disabled/);
      assert.equal(told(agent, 'bind-refused').length, 1);
    } finally {
      await agent.kill('SIGTERM');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
