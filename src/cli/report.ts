/**
 * `edge-sms-agent report`: writes one report straight into the outbox, so it works while the
 * agent is stopped (the agent picks it up). Prints the new report's id.
 */
import type { CliCommand } from './command.js';
import { dbOption, dbUsage, openClientStore, parseDuration, parseStoreOptions, usageError } from './storeOptions.js';
import { destinationValue } from './options.js';
import { isPriority } from '../store/index.js';

const usage = `edge-sms-agent report --kind KIND --data TEXT [options]

Queues a report in the outbox and prints its id (one id per line: a report to several
numbers is one outbox entry per number, each with its own state and receipt).

  --kind KIND           telemetry, location, alarm, reply, sms, or a configured kind
  --priority P          critical, high, normal (default) or low
  --data TEXT           the payload, as text (for example '{"t":21.5}')
  --hex HEX             the payload, as bytes in hex (instead of --data)
  --ttl DURATION        time to live (3600, 90m, 12h, 7d; default: the kind's policy)
  --to NUMBER           destination; repeat for several (default: the configured route)
${dbUsage}`;

export const command: CliCommand = {
  path: ['report'],
  summary: 'queue a report in the outbox (works while the agent is stopped)',
  usage,
  run(args, io) {
    const { values } = parseStoreOptions(args, {
      ...dbOption,
      kind: { type: 'string' },
      priority: { type: 'string', default: 'normal' },
      data: { type: 'string' },
      hex: { type: 'string' },
      ttl: { type: 'string' },
      to: { type: 'string', multiple: true },
    });
    if (values.kind === undefined) throw usageError('--kind is required');
    if ((values.data === undefined) === (values.hex === undefined)) throw usageError('give the payload with exactly one of --data or --hex');
    if (!isPriority(values.priority)) throw usageError(`--priority: expected critical, high, normal or low, got '${values.priority}'`);
    if (values.hex !== undefined && !/^(?:[0-9a-fA-F]{2})+$/.test(values.hex)) throw usageError('--hex: expected an even number of hex digits');
    const payload = values.data ?? new Uint8Array(Buffer.from(values.hex ?? '', 'hex'));
    const store = openClientStore(values, 'create');
    try {
      const results = store.outbox.enqueueToEach({
        kind: values.kind,
        priority: values.priority,
        payload,
        ...(values.ttl !== undefined ? { ttlMs: parseDuration(values.ttl, '--ttl') } : {}),
        ...(values.to !== undefined ? { destinations: values.to.map((to) => destinationValue(to, 'to')) } : {}),
      });
      const dropped = results.reduce((sum, result) => sum + result.dropped.length, 0);
      if (dropped > 0) io.stderr.write(`warning: the outbox is full; ${dropped} older report(s) were dropped to make room\n`);
      let refused = 0;
      for (const result of results) {
        if (result.id === null) refused += 1;
        else io.stdout.write(`${result.id}\n`);
      }
      if (refused > 0) io.stderr.write(`error: ${refused} report(s) not queued: the outbox is full of more urgent reports\n`);
      return Promise.resolve(refused > 0 ? 1 : 0);
    } finally {
      store.close();
    }
  },
};
