/**
 * `edge-sms-agent status`: the running agent's state from its local API (links with their reasons,
 * modem, outbox, health); when the agent is not running, what the database says (the outbox), so
 * an operator always gets an answer. `--watch` redraws it in place once a second (plain blocks one
 * after the other when standard output is not a terminal) until Ctrl-C.
 */
import { consoleStatusLines, defaultConfigPath, loadConfig, outboxSnapshot, parseListen, type ApiAddress } from '../agent/index.js';
import type { AgentConfig } from '../agent/config/index.js';
import { openStore } from '../store/index.js';
import { getJson } from './agentApi.js';
import type { CliCommand } from './command.js';
import { checkDatabase } from './databaseAccess.js';
import { integerValue, parseOptions } from './options.js';
import { describeOutbox, describeRunning } from './statusView.js';
import { watchScreen } from './watchScreen.js';

const usage = `edge-sms-agent status [--config PATH] [--db PATH] [--json] [--watch [--count N]]

Shows the agent's state: each link with why it is where it is (last error, since when, next retry),
the modem, the outbox (with the oldest waiting report's age), health, SMS command lockouts, and the
config keys set from the environment. Asks the running agent (its local API, api.listen); when it
is not running, reads the outbox from the database (store.path) instead, without creating it.

  --config PATH   the YAML config (default ${defaultConfigPath}, or $EDGE_SMS_CONFIG)
  --db PATH       the database, instead of the config's store.path
  --json          print JSON: {running, state, health} or {running: false, outbox}
  --watch         a live view, redrawn in place every second until Ctrl-C
  --count N       with --watch: stop after N refreshes (scripts, tests)`;

export const command: CliCommand = {
  path: ['status'],
  summary: "the agent's state (from the running agent, or its database); --watch for a live view",
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, { config: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' }, watch: { type: 'boolean' }, count: { type: 'string' } }, { usage });
    const count = integerValue(values.count, 'count', 1, 1_000_000);
    const config = loadConfig({ file: values.config ?? process.env['EDGE_SMS_CONFIG'] ?? defaultConfigPath });
    const db = values.db ?? config.store.path;
    const json = values.json === true;
    if (values.watch === true) {
      await watchScreen(io, () => render(config, db, json), { ...(count === undefined ? {} : { count }), intervalMs: 1000 });
      return 0;
    }
    io.stdout.write(await render(config, db, json));
    return 0;
  },
};

async function render(config: AgentConfig, db: string, json: boolean): Promise<string> {
  const address: ApiAddress | undefined = config.api.enabled ? parseListen(config.api.listen) : undefined;
  const state = address === undefined ? undefined : await getJson(address, '/state');
  if (address !== undefined && state !== undefined && state.status === 200) {
    const health = await getJson(address, '/healthz');
    if (json) return `${JSON.stringify({ running: true, state: state.body, health: health?.body ?? null })}\n`;
    return describeRunning(state.body, health?.body, Date.now()) + consoleLines(config);
  }
  checkDatabase(db);
  const store = openStore({ path: db, recoverSending: false });
  try {
    const outbox = outboxSnapshot(store.outbox.stats());
    if (json) return `${JSON.stringify({ running: false, outbox })}\n`;
    const where = config.api.enabled ? `no answer on ${config.api.listen}` : 'api.enabled is false';
    return [`agent: not running (${where})`, ...describeOutbox(outbox)].join('\n') + '\n' + consoleLines(config);
  } finally {
    store.close();
  }
}

/** Where the web console is, and (to whoever may read the token file) its LAN token. */
function consoleLines(config: AgentConfig): string {
  return consoleStatusLines(config).map((line) => `${line}\n`).join('');
}
