/** `edge-sms-agent queue purge --state S --older-than DURATION`: deletes old reports, after confirmation. */
import type { CliCommand } from './command.js';
import { confirm, dbOption, dbUsage, openClientStore, parseDuration, parseStoreOptions, usageError } from './storeOptions.js';
import { isReportState } from '../store/index.js';

const usage = `edge-sms-agent queue purge --state S --older-than DURATION [--yes]

Deletes reports in a state created longer ago than DURATION. Purged queued reports are counted as
drops in the agent's state. Asks for confirmation unless --yes; without a terminal, needs --yes.

  --state S             queued, submitted, delivered, failed or expired (not sending)
  --older-than D        3600, 90m, 12h, 7d, …
  --yes                 do not ask
${dbUsage}`;

export const command: CliCommand = {
  path: ['queue', 'purge'],
  summary: 'delete old reports in a state (asks first)',
  usage,
  async run(args, io) {
    const { values } = parseStoreOptions(args, {
      ...dbOption,
      state: { type: 'string' },
      'older-than': { type: 'string' },
      yes: { type: 'boolean', default: false },
    });
    if (values.state === undefined || values['older-than'] === undefined) throw usageError('--state and --older-than are required');
    const state = values.state;
    if (!isReportState(state) || state === 'sending') {
      throw usageError(`--state: expected queued, submitted, delivered, failed or expired, got '${state}'`);
    }
    const olderThanMs = parseDuration(values['older-than'], '--older-than');
    const store = openClientStore(values, 'write', io.stderr);
    try {
      const count = store.outbox.countPurgeable({ state, olderThanMs });
      if (count === 0) {
        io.stdout.write(`no ${state} reports older than ${values['older-than']}\n`);
        return 0;
      }
      const confirmed = await confirm(`Delete ${count} ${state} report(s) older than ${values['older-than']}?`, values.yes);
      if (!confirmed) {
        io.stdout.write('nothing deleted\n');
        return 1;
      }
      // One transaction, so no running count to show; at least say it has started when it is large.
      if (count > 100_000) io.stderr.write(`deleting ${count} ${state} report(s) in one transaction...\n`);
      io.stdout.write(`${store.outbox.purge({ state, olderThanMs })} ${state} report(s) deleted\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
