/**
 * Events the mirror publishes, not retained, on `<prefix>/<deviceId>/events/<type>`.
 * The `type` is the last topic level; the rest of the object is the JSON payload.
 */
import type { ReportPriority } from './state.js';

export type LinkName = 'smpp' | 'modem' | 'mqtt';

export type MirrorEvent =
  // Report outcomes come one event per SMS message (or per expiry sweep batch), listing the outbox ids of
  // the reports it carried: a drain of 100,000 readings packed into a few thousand messages publishes a
  // few thousand events, not hundreds of thousands (see README.md, "Report events").
  /** The link accepted the message. `messageId`: the outbox message; `refs`: the SMSC message_ids or modem TP-MRs, one per part. */
  | { readonly type: 'report-submitted'; readonly ids: readonly string[]; readonly link: 'smpp' | 'modem'; readonly priority: ReportPriority; readonly messageId: string; readonly refs: readonly string[] }
  /** A delivery receipt (SMPP deliver_sm or modem status report) for every part of the message. */
  | { readonly type: 'report-delivered'; readonly ids: readonly string[]; readonly link: 'smpp' | 'modem'; readonly messageId: string }
  /** `final: true`: the reports are failed for good; false: queued again for a retry. */
  | { readonly type: 'report-failed'; readonly ids: readonly string[]; readonly link: 'smpp' | 'modem'; readonly messageId: string; readonly reason: string; readonly final: boolean }
  /** Past their time to live; `ageSeconds` is the oldest one's age; `messageId` when a retry came too late. */
  | { readonly type: 'report-expired'; readonly ids: readonly string[]; readonly ageSeconds: number; readonly messageId?: string }
  /**
   * Left the queue unsent (outbox cap, coalescing, purge) or refused for want of room: one event per
   * reason per outbox transaction, at most 500 ids each. `count` includes refused reports, which have no id.
   */
  | { readonly type: 'report-dropped'; readonly ids: readonly string[]; readonly count: number; readonly reason: string }
  /**
   * A queued report the router can never encode, plan or send (a row from an older version or written by
   * hand, a value the encoder refuses) was failed alone (Report_Unsendable); `count`: since the agent started.
   * A `report-failed` event with the same reason follows as for any final failure.
   */
  | { readonly type: 'report-unsendable'; readonly id: string; readonly kind: string; readonly reason: string; readonly count: number }
  /**
   * An inbound SMS that could not be decoded (bad UDH, concatenation numbers out of range, unknown data_coding):
   * kept in the inbox with its raw octets (`inboxId`), acknowledged so the SMSC does not redeliver it.
   * `hex`: the raw octets, at most the first 512 hex digits.
   */
  | { readonly type: 'sms-undecodable'; readonly from: string; readonly via: 'smpp' | 'modem'; readonly reason: string; readonly hex: string; readonly inboxId: string }
  | { readonly type: 'sms-received'; readonly from: string; readonly text: string; readonly via: 'smpp' | 'modem' }
  /**
   * Inbox entries removed to keep `store.inboxMaxRows` / `store.inboxMaxBytes` (receipts and undecodable or
   * incomplete entries before messages, oldest first): batched, at most one event a second per reason.
   * `byKind`: receipt | undecodable | mo counts; `total`: all entries so removed since the database was created.
   */
  | { readonly type: 'inbox-dropped'; readonly reason: 'max-rows' | 'max-bytes'; readonly count: number; readonly bytes: number; readonly byKind: Readonly<Record<string, number>>; readonly total: number }
  /**
   * Concatenated SMS that never completed (no further part within `store.inboxPartialTimeoutS`, or pushed out by
   * the caps on waiting parts), kept in the inbox as incomplete entries with what arrived: batched, at most one
   * event a second per reason; `inboxIds` lists at most the first 100, `senders` at most 10.
   */
  | { readonly type: 'sms-incomplete'; readonly reason: 'timeout' | 'sender-cap' | 'total-cap'; readonly count: number; readonly bytes: number; readonly inboxIds: readonly string[]; readonly senders: readonly string[] }
  | { readonly type: 'link-up'; readonly link: LinkName }
  | { readonly type: 'link-down'; readonly link: LinkName; readonly reason: string }
  | { readonly type: 'outage-began'; readonly link: LinkName }
  | { readonly type: 'outage-ended'; readonly link: LinkName; readonly durationSeconds: number }
  /** SMS commands refused until `until` (ISO 8601): from one sender, or (`global`) from everyone. Never carries a PIN. */
  | { readonly type: 'command-lockout'; readonly scope: 'sender' | 'global'; readonly sender?: string; readonly until: string; readonly failures: number }
  /** The database was found damaged at start: set aside at `movedTo`, `salvaged` unsent reports copied to a fresh one, `lost` unreadable (-1: unknown). */
  | { readonly type: 'store-damaged'; readonly reason: string; readonly movedTo: string; readonly salvaged: number; readonly lost: number };

export type MirrorEventType = MirrorEvent['type'];

export const mirrorEventTypes: readonly MirrorEventType[] = [
  'report-submitted',
  'report-delivered',
  'report-failed',
  'report-expired',
  'report-dropped',
  'report-unsendable',
  'sms-received',
  'sms-undecodable',
  'sms-incomplete',
  'inbox-dropped',
  'link-up',
  'link-down',
  'outage-began',
  'outage-ended',
  'command-lockout',
  'store-damaged',
];
