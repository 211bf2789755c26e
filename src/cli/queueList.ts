/** `edge-sms-agent queue list`: the outbox's reports, streamed (a million rows print in constant memory). */
import type { CliCommand } from './command.js';
import { dbOption, dbUsage, openClientStore, parseStoreOptions, usageError } from './storeOptions.js';
import { isReportState, type OutboundMessage, type Report } from '../store/index.js';

const usage = `edge-sms-agent queue list [--state S] [--kind K] [--limit N] [--json]

Lists outbox reports, oldest first.

  --state S             queued, sending, submitted, delivered, failed or expired
  --kind K              only this kind
  --limit N             at most N reports
  --json                a JSON array of reports (payload as text, or payloadHex for bytes; the
                        message that carried it: link, SMPP message_id / modem reference per part,
                        lastAttemptAt: when it last started going out)
${dbUsage}`;

export const command: CliCommand = {
  path: ['queue', 'list'],
  summary: 'list outbox reports by state and kind',
  usage,
  async run(args, io) {
    const { values } = parseStoreOptions(args, {
      ...dbOption,
      state: { type: 'string' },
      kind: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (values.state !== undefined && !isReportState(values.state)) {
      throw usageError(`--state: expected queued, sending, submitted, delivered, failed or expired, got '${values.state}'`);
    }
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw usageError(`--limit: expected a positive integer, got '${values.limit}'`);
    const store = openClientStore(values, 'read', io.stderr);
    try {
      // The running agent's open group holds its latest readings and settlements (store.groupCommitS).
      if (!store.awaitAgentCommit()) io.stderr.write('note: the database is held and no agent answered; listing what is committed (up to store.groupCommitS old)\n');
      const reports = store.outbox.list({
        ...(values.state !== undefined ? { state: values.state } : {}),
        ...(values.kind !== undefined ? { kind: values.kind } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      const now = Date.now();
      let count = 0;
      if (values.json) io.stdout.write('[');
      else io.stdout.write(`${'ID'.padStart(8)}  ${'STATE'.padEnd(9)}  ${'PRIORITY'.padEnd(8)}  ${'KIND'.padEnd(10)}  ${'AGE'.padStart(6)}  TRIES  PAYLOAD / LAST ERROR\n`);
      for (const report of reports) {
        const message = report.messageId === null ? undefined : store.outbox.message(report.messageId);
        const line = values.json ? `${count === 0 ? '\n' : ',\n'}${JSON.stringify(toJson(report, message))}` : `${row(report, now)}\n`;
        count += 1;
        // Respect back-pressure so a huge listing piped to `less` does not buffer in memory.
        if (!io.stdout.write(line)) await new Promise((resolve) => io.stdout.once('drain', resolve));
      }
      io.stdout.write(values.json ? '\n]\n' : `(${count} report${count === 1 ? '' : 's'})\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

function toJson(report: Report, message: OutboundMessage | undefined): Record<string, unknown> {
  const { payload, ...rest } = report;
  const sent = message === undefined ? {} : {
    message: {
      state: message.state,
      link: message.link,
      partCount: message.partCount,
      refs: message.refs,
      // When it last started going out: a report re-sent after a dropped link keeps its createdAt.
      lastAttemptAt: new Date(message.lastAttemptAt).toISOString(),
      lastError: message.lastError,
    },
  };
  return typeof payload === 'string' ? { ...rest, payload, ...sent } : { ...rest, payloadHex: Buffer.from(payload).toString('hex'), ...sent };
}

function row(report: Report, now: number): string {
  const payload = typeof report.payload === 'string' ? report.payload : `0x${Buffer.from(report.payload).toString('hex')}`;
  const detail = report.lastError !== null ? `${preview(payload)}  [${report.lastError}]` : preview(payload);
  return `${String(report.id).padStart(8)}  ${report.state.padEnd(9)}  ${report.priority.padEnd(8)}  ${report.kind.padEnd(10)}  ${age(now - report.createdAt).padStart(6)}  ${String(report.attempts).padStart(5)}  ${detail}`;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
