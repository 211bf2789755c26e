/**
 * Delivery receipts that arrive before the submit_sm_resp they answer has been recorded. An SMSC that
 * receipts fast (or sends the receipt in the same TCP segment as the response, or receipts part 1 while
 * part 3 is still in flight) beats the outbox to it: the receipt matches no part yet, and without this it
 * was lost and the message stayed `submitted` until the receipt timeout retried it. Such receipts wait
 * here, bounded in count and age, and are applied the moment the outbox records the parts' references.
 * What ages out or overflows (oldest first) is counted and logged: a receipt for an id we never sent.
 */
import type { Logger } from '../../logger.js';

/**
 * 10,000 receipts of ~100 bytes is about a megabyte at most; two minutes is far longer than any
 * submit_sm_resp takes (the response timeout is seconds), so a receipt still unmatched then is for a
 * message this agent never recorded.
 */
export const earlyReceiptLimits = { maxHeld: 10_000, holdMs: 120_000 } as const;

export interface HeldReceipt {
  readonly ref: string;
  readonly outcome: 'delivered' | 'failed';
}

export interface EarlyReceiptOptions {
  /** Receipts held at most; the oldest goes first. */
  readonly maxHeld: number;
  /** How long a receipt waits for its response (ms). */
  readonly holdMs: number;
  readonly now: () => number;
  /** Applies a held receipt now that its reference is known; returns how many reports it settled. */
  readonly apply: (receipt: HeldReceipt) => number;
  readonly logger: Logger;
}

export class EarlyReceipts {
  /** ref → receipt and when it arrived; insertion order is arrival order, so the oldest is first. */
  private readonly held = new Map<string, { readonly receipt: HeldReceipt; readonly at: number }>();
  private dropped = 0;
  /** Drops already logged, and when the last line went out. */
  private logged = 0;
  private loggedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: EarlyReceiptOptions) {}

  get size(): number {
    return this.held.size;
  }

  /** Receipts given up (aged out or pushed out) since start. */
  get droppedCount(): number {
    return this.dropped;
  }

  hold(receipt: HeldReceipt): void {
    this.age();
    this.held.delete(receipt.ref);
    this.held.set(receipt.ref, { receipt, at: this.options.now() });
    while (this.held.size > this.options.maxHeld) this.drop(this.held.keys().next().value, 'overflow');
  }

  /** The outbox recorded these references (a submit_sm_resp landed): apply what waited for them. */
  release(refs: readonly string[]): void {
    for (const ref of refs) {
      const waiting = this.held.get(ref);
      if (waiting === undefined) continue;
      this.held.delete(ref);
      const settled = this.options.apply(waiting.receipt);
      this.options.logger.debug({ ref, settled, waitedMs: this.options.now() - waiting.at }, 'early receipt applied once its response landed');
    }
    this.age();
  }

  private age(): void {
    const cutoff = this.options.now() - this.options.holdMs;
    for (const [ref, waiting] of this.held) {
      if (waiting.at > cutoff) break;
      this.drop(ref, 'timeout');
    }
  }

  private drop(ref: string | undefined, why: 'timeout' | 'overflow'): void {
    if (ref === undefined) return;
    this.held.delete(ref);
    this.dropped += 1;
    // The first at once, then at most a line a minute with the count since, so a flood of receipts for
    // unknown ids (tens of thousands) cannot flood the log. (Their inbox copies are bounded by the inbox caps.)
    const now = this.options.now();
    if (now - this.loggedAt < 60_000) return;
    this.options.logger.warn({ ref, why, dropped: this.dropped, since: this.dropped - this.logged }, 'receipts for message ids this agent never recorded: dropped (counted)');
    this.logged = this.dropped;
    this.loggedAt = now;
  }
}
