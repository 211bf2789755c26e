/**
 * `smpp.maxRate: R` is a limit in every one-second window, not an average: the agent drains a
 * backlog into an SMSC that counts accepted submits over a sliding second (ESME_RTHROTTLED beyond
 * R): the agent's own record of what it wrote (its trace log, one line per PDU with the time)
 * never holds more than R submit_sm in any second, and every message is accepted once.
 * (Whether the SMSC throttles also depends on how evenly the submits arrive, i.e. on this shared
 * machine's scheduling; the benchmark `smsc-rate` counts that.) The backlog is plain SMS rows already in the database (one submit each; readings would be packed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { account, startSimulator } from '../helpers/simSetup.js';
import { AgentProcess, until } from '../helpers/agentProcess.js';

const maxRate = 4;
const backlog = 30;

/** The most times any closed window of one second holds. */
function busiestSecond(times: readonly number[]): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while (times[to]! - times[from]! > 1000) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

describe('smpp.maxRate', () => {
  it('never puts more than maxRate submits in any one-second window at a sliding-window SMSC', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-maxrate-'));
    const sim = await startSimulator({ throttlePerSecond: maxRate, throttleWindow: 'sliding' });
    const accepted = new Map<string, number>();
    sim.on('accepted', (message) => {
      const text = message.shortMessage.toString('latin1');
      accepted.set(text, (accepted.get(text) ?? 0) + 1);
    });
    const database = join(dir, 'agent.db');
    const store = openStore({ path: database });
    store.outbox.enqueueMany(Array.from({ length: backlog }, (_, i) => ({ kind: 'sms', priority: 'high' as const, payload: `backlog ${i}`, destinations: ['+447700900001'] })));
    store.close();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, [
      'device: { id: pi-rate }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=10", destination: "+447700900000", maxRate: ${maxRate} }`,
      'modem: { enabled: false }', 'location: { enabled: false }', 'mqtt: { enabled: false }',
      `store: { path: "${database}" }`, `api: { listen: "unix:${join(dir, 'api.sock')}" }`, 'log: { level: trace }',
    ].join('\n'));
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await until(() => accepted.size >= backlog, 60_000, `${backlog} messages accepted by the SMSC`);
      assert.ok([...accepted.values()].every((n) => n === 1), 'each accepted once');
      // pino's time: Date.now() when the PDU was written.
      const written = agent.logs.filter((entry) => entry['dir'] === 'out' && entry['command'] === 'submit_sm').map((entry) => entry['time'] as number);
      assert.ok(written.length >= backlog, `submit_sm written: ${written.length}`);
      assert.ok(busiestSecond(written) <= maxRate, `the busiest second held ${busiestSecond(written)} submits`);
    } finally {
      await agent.kill('SIGTERM');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
