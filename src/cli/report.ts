/**
 * `edge-sms-agent report`: queues a reading (the same reading as `POST /reports`: the kind, its fields,
 * the kind's priority and TTL unless overridden), or, in its own explicit form, a plain SMS. It goes
 * through the agent's own door policy and writes straight into the outbox, so it works while the agent
 * is stopped; a running agent picks it up within a second. Prints the new entries' ids.
 */
import { AgentError, ErrorCode } from '../errors.js';
import { defaultConfigPath, isPhoneNumber, loadConfig, queueOffline, type OfflineItem } from '../agent/index.js';
import { isPriority } from '../store/index.js';
import type { CliCommand } from './command.js';
import { dbOption, parseDuration, lockWaitNotice, parseStoreOptions, usageError } from './storeOptions.js';

const usage = `edge-sms-agent report --kind KIND --data JSON [options]
edge-sms-agent report --sms TEXT --to NUMBER [options]

Queues a reading in the outbox and prints its id (one id per line: a reading to several numbers is
one outbox entry per number, each with its own state and receipt). The reading is the one the local
API takes (POST /reports) and is checked by the same rules: a configured kind, field names and values
the report format carries, and a size that fits reports.maxParts.

  --kind KIND           a kind under reports.kinds (telemetry, location, alarm, reply, or your own)
  --data JSON           the reading's fields, e.g. '{"T":21.5,"door":true}'
  --time SECONDS        when it was measured, unix seconds (default: now)
  --sms TEXT            instead of a reading: a plain SMS (GSM 7-bit text) to each --to number
  --priority P          critical, high, normal or low (default: the kind's policy; plain SMS: high)
  --ttl DURATION        time to live (3600, 90m, 12h, 7d; default: the kind's policy)
  --to NUMBER           destination (+ and 3-20 digits); repeat for several (default: smpp.destination)
  --config PATH         the agent's config (default ${defaultConfigPath}, or $EDGE_SMS_CONFIG)
  --db PATH             database file (default: store.path of the config, or $EDGE_SMS_DB)`;

export const command: CliCommand = {
  path: ['report'],
  summary: 'queue a reading (or a plain SMS) in the outbox (works while the agent is stopped)',
  usage,
  run(args, io) {
    const { values } = parseStoreOptions(args, {
      ...dbOption,
      config: { type: 'string' },
      kind: { type: 'string' },
      priority: { type: 'string' },
      data: { type: 'string' },
      time: { type: 'string' },
      sms: { type: 'string' },
      ttl: { type: 'string' },
      to: { type: 'string', multiple: true },
    });
    if (values.priority !== undefined && !isPriority(values.priority)) throw usageError(`--priority: expected critical, high, normal or low, got '${values.priority}'`);
    const ttlMs = values.ttl === undefined ? undefined : parseDuration(values.ttl, '--ttl');
    if (ttlMs !== undefined && (ttlMs < 1000 || ttlMs > 30 * 86_400_000)) throw usageError('--ttl: must be 1 s to 30 days');
    // A number that is no number is refused before the config is even read (nothing is opened or created), by the
    // door's own rule and with the door's code, as the local API and MQTT refuse it.
    for (const to of values.to ?? []) {
      if (!isPhoneNumber(to)) throw new AgentError(`--to: '${to}' is not a phone number (+ and 3-20 digits, e.g. +447700900123)`, ErrorCode.Store_InvalidInput, { field: 'to' });
    }
    const item = itemOf(values, ttlMs);
    const env = values.db === undefined ? process.env : { ...process.env, EDGE_SMS_DB: values.db };
    const config = loadConfig({ file: values.config ?? process.env['EDGE_SMS_CONFIG'] ?? defaultConfigPath, env });
    const result = queueOffline(config, item, lockWaitNotice(io.stderr));
    if (result.dropped.length > 0) io.stderr.write(`warning: the outbox is full; ${result.dropped.length} older report(s) were dropped to make room\n`);
    for (const id of result.ids) io.stdout.write(`${id}\n`);
    const refused = result.id === null ? Math.max(1, result.refusedTo.length) : result.refusedTo.length;
    if (refused > 0) io.stderr.write(`error: ${refused} report(s) not queued: the outbox is full of more urgent reports${result.refusedTo.length > 0 ? ` (${result.refusedTo.join(', ')})` : ''}\n`);
    return Promise.resolve(refused > 0 ? 1 : 0);
  },
};

interface ReportValues {
  readonly kind?: string | undefined;
  readonly priority?: string | undefined;
  readonly data?: string | undefined;
  readonly time?: string | undefined;
  readonly sms?: string | undefined;
  readonly to?: string[] | undefined;
}

function itemOf(values: ReportValues, ttlMs: number | undefined): OfflineItem {
  const priority = values.priority !== undefined && isPriority(values.priority) ? values.priority : undefined;
  if (values.sms !== undefined) {
    if (values.kind !== undefined || values.data !== undefined || values.time !== undefined) throw usageError('--sms is a plain SMS: give it with --to, without --kind, --data or --time');
    if (values.to === undefined) throw usageError('--sms needs at least one --to NUMBER');
    return { kind: 'sms', to: values.to, text: values.sms, ...(priority === undefined ? {} : { priority }), ...(ttlMs === undefined ? {} : { ttlMs }) };
  }
  if (values.kind === undefined) throw usageError('--kind is required (or --sms TEXT --to NUMBER for a plain SMS)');
  if (values.data === undefined) throw usageError(`--data is required: the reading's fields as JSON, e.g. --data '{"T":21.5}'`);
  let data: unknown;
  try {
    data = JSON.parse(values.data);
  } catch (cause) {
    throw new AgentError(`--data: not JSON (${(cause as Error).message}); give the fields as an object, e.g. '{"T":21.5}'`, ErrorCode.Store_InvalidInput, { field: 'data' });
  }
  const time = values.time === undefined ? undefined : Number(values.time);
  if (values.time !== undefined && !/^\d+$/.test(values.time)) throw usageError('--time: expected whole unix seconds');
  return {
    kind: 'reading',
    input: {
      kind: values.kind,
      data,
      ...(priority === undefined ? {} : { priority }),
      ...(ttlMs === undefined ? {} : { ttlS: Math.ceil(ttlMs / 1000) }),
      ...(time === undefined ? {} : { time }),
      ...(values.to === undefined ? {} : { to: values.to }),
    },
  };
}
