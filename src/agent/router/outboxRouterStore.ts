/**
 * The router's view of the SQLite outbox (`src/store/`): the RouterStore contract on top of the
 * store's public face. Batched report messages are kept as built, so re-sends carry the same
 * sequence number.
 */
import type { Outbox, Report } from '../../store/index.js';
import type { LinkName } from './linkChoice.js';
import type { BuiltMessage, ErrorClass, QueuedEntry, RouterStore } from './types.js';

export class OutboxRouterStore implements RouterStore {
  constructor(private readonly outbox: Outbox) {}

  due(limit: number, options: { readonly fallbackOnly: boolean }): QueuedEntry[] {
    return this.outbox.peekDue({ limit, link: options.fallbackOnly ? 'modem' : 'smpp' }).map(toEntry);
  }

  resendable(limit: number, options: { readonly fallbackOnly: boolean }): BuiltMessage[] {
    return this.outbox.resendable(limit, options.fallbackOnly ? 'modem' : 'smpp').map((message) => ({
      messageId: message.messageId,
      seq: message.seq,
      entryIds: message.reportIds,
      destination: message.destination,
      payload: message.payload,
      format: message.format,
    }));
  }

  peekNextSeq(): number {
    return this.outbox.peekNextSeq();
  }

  startMessage(entryIds: readonly number[], link: LinkName, build: (seq: number) => Omit<BuiltMessage, 'messageId' | 'entryIds' | 'seq'>): BuiltMessage {
    const message = this.outbox.buildMessage(entryIds, link, build);
    return { messageId: message.messageId, seq: message.seq, entryIds: message.reportIds, destination: message.destination, payload: message.payload, format: message.format };
  }

  restartMessage(messageId: number, link: LinkName): void {
    this.outbox.restartMessage(messageId, link);
  }

  submitted(messageId: number, refs: readonly string[]): void {
    this.outbox.submitted(messageId, refs);
  }

  failed(messageId: number, errorClass: ErrorClass, reason: string): void {
    this.outbox.sendFailed(messageId, errorClass, reason);
  }

  failUnsendable(entryId: number, link: LinkName, reason: string): void {
    // A message row of its own (no built payload, so no report sequence number is used up and the centre
    // sees no gap), failed at once: the failure notice publishes report-failed with the reason.
    const messageId = this.outbox.startMessage([entryId], link);
    this.outbox.sendFailed(messageId, 'permanent', reason);
  }

  nextAttemptAt(): number | undefined {
    return this.outbox.nextAttemptAt();
  }
}

function toEntry(report: Report): QueuedEntry {
  return { id: report.id, kind: report.kind, priority: report.priority, createdAt: report.createdAt, payload: report.payload, destinations: report.destinations };
}
