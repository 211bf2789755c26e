/** The store's public face: the outbox and inbox on one SQLite file. Other parts import only from here. */
export { openStore, type Store, type StoreOptions } from './store.js';
export { knock, knockPathOf } from './knock.js';
export { openDatabase, resolveDatabasePath, defaultDatabasePath, type DatabaseOptions, type Synchronous } from './database.js';
export { schemaVersion } from './migrations.js';
export { findDamage, setAside, setAsideAndSalvage, Salvage, damageError, type DamageReport } from './integrity.js';
export { highestReportId } from './idFloor.js';
export { notePendingSalvage, clearPendingSalvage, resumePendingSalvage } from './pendingSalvage.js';
export { acknowledgedHighWater, LossMark, markPathOf, readMark } from './lossMark.js';
export { findLostReports, type LossReport } from './walLoss.js';
export { perDestination } from './perDestination.js';
export { EnqueueBatcher, type GroupCommitOptions } from './groupCommit.js';
export { Outbox, type OutboxOptions, type ClaimOptions, type Claimed } from './outbox.js';
export { Inbox, type InboundMessage, type InboundReceipt, type UndecodableMessage, type InboxEntry, type InboxOptions, type InboxResult } from './inbox.js';
export type { InboxStats, InboxNotice, InboxListener, IncompleteKept } from './inbox.js';
export { defaultInboxCaps, type InboxCaps, type InboxDrop, type InboxDropKind, type InboxDropTotals } from './inboxBounds.js';
export { defaultPartialCaps, type PartialCaps, type IncompleteReason } from './inboxPartials.js';
export { defaultKindPolicies, defaultBackoff, retryDelayMs, PolicyBook, type KindPolicy, type BackoffPolicy } from './policy.js';
export { defaultCaps, type Caps } from './capacity.js';
export { isLegalTransition, nextStates } from './transitions.js';
export type { QueueStats } from './stats.js';
export type { DropTotals, DropListener } from './drops.js';
export type { OutboxNotice, OutboxListener, NoticeReport } from './notices.js';
export type { SweepResult, PurgeOptions } from './maintenance.js';
export type { MessageState, OutboundMessage } from './messageRows.js';
export {
  reportStates,
  priorities,
  errorClasses,
  isPriority,
  isReportState,
  type ReportState,
  type Priority,
  type ErrorClass,
  type Link,
  type Payload,
  type ReportInput,
  type Report,
  type DropReason,
  type DroppedReport,
  type EnqueueResult,
} from './types.js';
export { systemClock, type TimeSource } from '../clock.js';
