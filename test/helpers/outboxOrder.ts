/**
 * What the outbox recorded after an end-to-end run, read through the store's public face once the
 * agent has stopped: each report's state and the message that carried it (its link and when it was
 * built). From that, the priority check: a message must never have been built while a more urgent
 * report that the same link could carry was already queued and went in a later message.
 */
import { openStore, priorities, type Priority, type Report } from '../../src/store/index.js';

export interface BuiltRecord {
  readonly messageId: number;
  readonly link: 'smpp' | 'modem';
  readonly builtAt: number;
  readonly reports: Report[];
  /** The most urgent priority among its reports. */
  readonly priority: Priority;
}

export interface OutboxRecord {
  readonly reports: Report[];
  readonly messages: BuiltRecord[];
  readonly byState: Record<string, number>;
}

const rank = (priority: Priority): number => priorities.indexOf(priority);

export function readOutbox(path: string): OutboxRecord {
  const store = openStore({ path });
  try {
    const reports = [...store.outbox.list()];
    const messages = new Map<number, BuiltRecord>();
    const byState: Record<string, number> = {};
    for (const report of reports) {
      byState[report.state] = (byState[report.state] ?? 0) + 1;
      if (report.messageId === null) continue;
      let record = messages.get(report.messageId);
      if (record === undefined) {
        const message = store.outbox.message(report.messageId);
        if (message === undefined) continue;
        record = { messageId: report.messageId, link: message.link, builtAt: message.createdAt, reports: [], priority: 'low' };
        messages.set(report.messageId, record);
      }
      record.reports.push(report);
      if (rank(report.priority) < rank(record.priority)) (record as { priority: Priority }).priority = report.priority;
    }
    return { reports, messages: [...messages.values()].sort((a, b) => a.builtAt - b.builtAt || a.messageId - b.messageId), byState };
  } finally {
    store.close();
  }
}

export interface Inversion {
  readonly built: BuiltRecord;
  readonly overtaken: Report;
}

/**
 * Messages built while a more urgent report that the same link could carry was already queued
 * (enqueued strictly before the build) and went out in a message built later. Build order is the
 * report sequence number's order (`seqOf`: the seq the centre saw a message's readings under):
 * the outbox hands out sequence numbers as it builds. Messages in `resent` (they failed, or were in
 * flight at a crash) are left out: they go out again as built, ahead of new work, and their recorded
 * build time is the restart's.
 */
export function priorityInversions(
  record: OutboxRecord,
  options: { readonly modemMayCarry: (kind: string) => boolean; readonly seqOf: (messageId: number) => number | undefined; readonly resent: ReadonlySet<number> },
): Inversion[] {
  const { modemMayCarry, seqOf, resent } = options;
  const inversions: Inversion[] = [];
  for (const message of record.messages) {
    const seq = seqOf(message.messageId);
    if (seq === undefined || resent.has(message.messageId)) continue;
    for (const report of record.reports) {
      if (rank(report.priority) >= rank(message.priority) || report.messageId === null || report.messageId === message.messageId) continue;
      const laterSeq = seqOf(report.messageId);
      if (laterSeq === undefined || laterSeq <= seq) continue;
      if (report.createdAt >= message.builtAt) continue;
      if (message.link === 'modem' && !modemMayCarry(report.kind)) continue;
      inversions.push({ built: message, overtaken: report });
    }
  }
  return inversions;
}
