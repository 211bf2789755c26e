/** `edge-sms-agent queue retry ID|--failed`: failed or expired reports back to the queue. */
import type { CliCommand } from './command.js';
import { dbOption, dbUsage, openClientStore, parseStoreOptions, usageError } from './storeOptions.js';

const usage = `edge-sms-agent queue retry (ID | --failed)

Puts a failed or expired report (or every failed one) back in the queue, with fresh attempts and TTL.

  ID                    the report's id (from 'queue list')
  --failed              every failed report
${dbUsage}`;

export const command: CliCommand = {
  path: ['queue', 'retry'],
  summary: 'queue failed or expired reports again',
  usage,
  run(args, io) {
    const { values, positionals } = parseStoreOptions(args, { ...dbOption, failed: { type: 'boolean', default: false } }, 1);
    const [idText] = positionals;
    if ((idText === undefined) === !values.failed) throw usageError('give exactly one of a report ID or --failed');
    const id = idText === undefined ? undefined : Number(idText);
    if (id !== undefined && (!Number.isInteger(id) || id < 1)) throw usageError(`expected a report id, got '${idText}'`);
    const store = openClientStore(values, 'write', io.stderr);
    try {
      if (id !== undefined) {
        const report = store.outbox.retry(id);
        io.stdout.write(`report ${report.id} queued again (${report.priority} ${report.kind})\n`);
      } else {
        io.stdout.write(`${store.outbox.retryFailed()} failed report(s) queued again\n`);
      }
      return Promise.resolve(0);
    } finally {
      store.close();
    }
  },
};
