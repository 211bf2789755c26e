/**
 * `edge-sms-agent status`: the running agent's state from its local API; when the agent is not
 * running, what the database says (the outbox), so an operator always gets an answer.
 */
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { consoleStatusLines, defaultConfigPath, loadConfig, outboxSnapshot, parseListen, type ApiAddress } from '../agent/index.js';
import type { AgentStateSnapshot, OutboxSnapshot } from '../mqtt/index.js';
import { openStore } from '../store/index.js';
import type { CliCommand } from './command.js';

const usage = `edge-sms-agent status [--config PATH] [--json]

Shows the agent's state: links, modem, outbox. Asks the running agent (its local API, api.listen);
when it is not running, reads the outbox from the database (store.path) instead.

  --config PATH   the YAML config (default ${defaultConfigPath}, or $EDGE_SMS_CONFIG)
  --json          print JSON`;

export const command: CliCommand = {
  path: ['status'],
  summary: "the agent's state (from the running agent, or its database)",
  usage,
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { config: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
    const config = loadConfig({ file: values.config ?? process.env['EDGE_SMS_CONFIG'] ?? defaultConfigPath });
    const live = config.api.enabled ? await fetchState(parseListen(config.api.listen)) : undefined;
    if (live !== undefined) {
      io.stdout.write(values.json === true ? `${JSON.stringify({ running: true, state: live })}\n` : describeLive(live) + consoleStatusLines(config).map((line) => `${line}\n`).join(''));
      return 0;
    }
    const store = openStore({ path: config.store.path });
    try {
      const outbox = outboxSnapshot(store.outbox.stats());
      io.stdout.write(values.json === true ? `${JSON.stringify({ running: false, outbox })}\n` : `agent: not running (no answer on ${config.api.listen})\n${describeOutbox(outbox)}${consoleStatusLines(config).map((line) => `${line}\n`).join('')}`);
    } finally {
      store.close();
    }
    return 0;
  },
};

function fetchState(address: ApiAddress): Promise<AgentStateSnapshot | undefined> {
  return new Promise((resolve) => {
    const target = address.kind === 'unix' ? { socketPath: address.path } : { host: address.host, port: address.port };
    const req = request({ ...target, path: '/state', timeout: 2000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(text) as AgentStateSnapshot) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

function describeLive(state: AgentStateSnapshot): string {
  const smpp = state.smpp.state === 'bound' ? `bound since ${state.smpp.boundSince ?? '?'}, window ${state.smpp.windowInUse}/${state.smpp.windowSize}${state.smpp.throttled ? ', throttled' : ''}` : state.smpp.state;
  const modem = `SIM ${state.modem.sim}, ${state.modem.registration}${state.modem.operator === null ? '' : ` on ${state.modem.operator}`}${state.modem.signalDbm === null ? '' : `, ${state.modem.signalDbm} dBm`}, GNSS ${state.modem.gnssFix}`;
  const location = state.lastLocation === null ? 'none' : `${state.lastLocation.lat.toFixed(5)},${state.lastLocation.lon.toFixed(5)} at ${state.lastLocation.at}`;
  return [`agent: running ${state.version}, up ${state.uptimeSeconds} s`, `smpp: ${smpp}`, `modem: ${modem}`, `location: ${location}`, describeOutbox(state.outbox)].join('\n');
}

function describeOutbox(outbox: OutboxSnapshot): string {
  const states = Object.entries(outbox.byState).map(([state, count]) => `${state} ${count}`).join(', ');
  const waiting = Object.entries(outbox.queuedByPriority).filter(([, count]) => count > 0).map(([priority, count]) => `${priority} ${count}`).join(', ');
  const oldest = outbox.oldestQueuedAgeSeconds === null ? '' : `, oldest waiting ${outbox.oldestQueuedAgeSeconds} s`;
  return `outbox: ${states}${waiting === '' ? '' : ` (waiting: ${waiting}${oldest})`}; dropped ${outbox.drops}\n`;
}
