/**
 * The outbox's outcome notices as MQTT events. One event per notice, that is per SMS message (or
 * per expiry sweep batch), listing the report ids it carried: the event rate follows the SMS rate,
 * which the SMSC's throttle bounds, not the reading rate (a message packs many readings). The
 * mirror's event queue is bounded on top of that (oldest dropped, counted) for a broker that is away.
 */
import type { MirrorEvent, ReportPriority } from '../../mqtt/index.js';
import type { DroppedReport, NoticeReport, OutboxNotice } from '../../store/index.js';

const urgency: readonly ReportPriority[] = ['critical', 'high', 'normal', 'low'];

export function reportEvent(notice: OutboxNotice, now: number): MirrorEvent {
  const ids = notice.reports.map((report) => String(report.id));
  switch (notice.type) {
    case 'submitted':
      return { type: 'report-submitted', ids, link: notice.link, priority: mostUrgent(notice.reports), messageId: String(notice.messageId), refs: notice.refs };
    case 'delivered':
      return { type: 'report-delivered', ids, link: notice.link, messageId: String(notice.messageId) };
    case 'failed':
      return { type: 'report-failed', ids, link: notice.link, messageId: String(notice.messageId), reason: notice.reason, final: notice.final };
    case 'expired': {
      const oldest = Math.min(...notice.reports.map((report) => report.createdAt));
      const ageSeconds = Math.max(0, Math.round((now - oldest) / 1000));
      return { type: 'report-expired', ids, ageSeconds, ...(notice.messageId === null ? {} : { messageId: String(notice.messageId) }) };
    }
  }
}

/** Most ids one report-dropped event lists: a purge or a cap overflow of 100,000 reports is 200 events. */
export const maxIdsPerDropEvent = 500;

/**
 * One outbox drop (a transaction's worth: a cap overflow, a purge, a coalescing, a refusal) as events:
 * one per reason, its ids in chunks of at most maxIdsPerDropEvent. `count` is how many reports the
 * event stands for, including refused ones, which never had an id.
 */
export function dropEvents(drops: readonly DroppedReport[]): MirrorEvent[] {
  const byReason = new Map<string, { ids: string[]; refused: number }>();
  for (const drop of drops) {
    let group = byReason.get(drop.reason);
    if (group === undefined) byReason.set(drop.reason, (group = { ids: [], refused: 0 }));
    if (drop.id === null) group.refused++;
    else group.ids.push(String(drop.id));
  }
  const events: MirrorEvent[] = [];
  for (const [reason, { ids, refused }] of byReason) {
    if (ids.length === 0) events.push({ type: 'report-dropped', ids: [], count: refused, reason });
    for (let start = 0; start < ids.length; start += maxIdsPerDropEvent) {
      const chunk = ids.slice(start, start + maxIdsPerDropEvent);
      // The refused ones ride with the first chunk.
      events.push({ type: 'report-dropped', ids: chunk, count: chunk.length + (start === 0 ? refused : 0), reason });
    }
  }
  return events;
}

/** A message may pack readings of several priorities; the event carries the most urgent. */
function mostUrgent(reports: readonly NoticeReport[]): ReportPriority {
  let best = urgency.length - 1;
  for (const report of reports) best = Math.min(best, urgency.indexOf(report.priority));
  return urgency[best] ?? 'normal';
}
