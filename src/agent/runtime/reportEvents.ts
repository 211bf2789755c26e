/**
 * The outbox's outcome notices as MQTT events. One event per notice, that is per SMS message (or
 * per expiry sweep batch), listing the report ids it carried: the event rate follows the SMS rate,
 * which the SMSC's throttle bounds, not the reading rate (a message packs many readings). The
 * mirror's event queue is bounded on top of that (oldest dropped, counted) for a broker that is away.
 */
import type { MirrorEvent, ReportPriority } from '../../mqtt/index.js';
import type { NoticeReport, OutboxNotice } from '../../store/index.js';

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

/** A message may pack readings of several priorities; the event carries the most urgent. */
function mostUrgent(reports: readonly NoticeReport[]): ReportPriority {
  let best = urgency.length - 1;
  for (const report of reports) best = Math.min(best, urgency.indexOf(report.priority));
  return urgency[best] ?? 'normal';
}
