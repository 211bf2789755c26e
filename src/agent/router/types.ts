/**
 * What the router needs from the outbox and the two links. The outbox adapter (over `src/store/`)
 * and the links (the SMPP session, the modem driver) implement these; the router knows nothing of
 * SQL, PDUs or AT commands.
 */
import type { LinkName } from './linkChoice.js';

export type EntryPriority = 'critical' | 'high' | 'normal' | 'low';
export type ErrorClass = 'throttled' | 'temporary' | 'permanent';

/** A queued outbox row: a report reading (JSON payload) or, for kind `sms`, a plain text SMS. */
export interface QueuedEntry {
  readonly id: number;
  readonly kind: string;
  readonly priority: EntryPriority;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly payload: string | Uint8Array;
  /** Empty: the configured destination. */
  readonly destinations: readonly string[];
}

/** A message as built once: re-sent byte for byte (same seq) after a failure or a crash. */
export interface BuiltMessage {
  readonly messageId: number;
  /** The report sequence number the payload carries (the centre drops re-sent duplicates by it). */
  readonly seq: number;
  readonly entryIds: readonly number[];
  readonly destination: string;
  /** A report (text or octets) or a plain SMS text. */
  readonly payload: string | Uint8Array;
  readonly format: 'report-text' | 'report-binary' | 'sms';
}

export interface RouterStore {
  /** Queued entries that are due to go now (back-off over), most urgent first, then oldest. */
  due(limit: number, options: { readonly fallbackOnly: boolean }): QueuedEntry[];
  /** Built messages whose entries are queued again, to be re-sent as they are. */
  resendable(limit: number, options: { readonly fallbackOnly: boolean }): BuiltMessage[];
  /** The sequence number the next message will carry. */
  peekNextSeq(): number;
  /** Marks the entries `sending` in one new message whose payload `build` makes from its sequence number. */
  startMessage(entryIds: readonly number[], link: LinkName, build: (seq: number) => Omit<BuiltMessage, 'messageId' | 'entryIds' | 'seq'>): BuiltMessage;
  /** Marks a resendable message's entries `sending` again. */
  restartMessage(messageId: number, link: LinkName): void;
  submitted(messageId: number, refs: readonly string[]): void;
  failed(messageId: number, errorClass: ErrorClass, reason: string): void;
  /** Fails one queued entry that can never be sent (queued → failed, with `reason`), without a sequence number. */
  failUnsendable(entryId: number, link: LinkName, reason: string): void;
  /** When the earliest queued entry's back-off ends, if any is waiting. */
  nextAttemptAt(): number | undefined;
}

/** Sends one built message; resolves with the link's references (SMPP message_ids, modem TP-MRs). */
export interface MessageSender {
  send(message: BuiltMessage): Promise<readonly string[]>;
}

export interface KindRouting {
  readonly maxDelayMs: number;
  readonly encoding: 'text' | 'binary';
  readonly modemFallback: boolean;
}
