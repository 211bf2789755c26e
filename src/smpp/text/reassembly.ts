/**
 * Reassembly of concatenated messages (UDH concatenation or sar_* TLVs). A message is keyed by
 * its source, destination, reference and total: a part with another total belongs to another
 * message, as a sender that reuses a reference with a different length starts a new one.
 * Nothing here runs a timer: the owner calls `expire()` on its own schedule with an injectable clock.
 */

export interface Fragment<T = Buffer> {
  source: string;
  /** Optional: two messages from one sender to two of our numbers stay apart. */
  destination?: string;
  reference: number;
  total: number;
  /** 1-based, as on the wire. */
  sequence: number;
  payload: T;
}

export interface ReassembledMessage<T = Buffer> {
  source: string;
  destination?: string;
  reference: number;
  total: number;
  /** Payloads in sequence order. */
  parts: T[];
}

export interface PartialMessage<T = Buffer> {
  source: string;
  destination?: string;
  reference: number;
  total: number;
  /** Payloads by position (index = sequence − 1); missing ones are undefined. */
  parts: Array<T | undefined>;
  received: number;
  firstSeenAt: number;
  /** 'timeout': waited timeoutMs; 'evicted': pushed out by the maxPending cap. */
  reason: 'timeout' | 'evicted';
}

export interface ReassemblerOptions {
  /** How long the first part waits for the rest, in ms (≥ 1). */
  timeoutMs: number;
  /** Clock in ms; default Date.now. */
  now?: () => number;
  /** Cap on messages waiting for parts (default 1000); the oldest is evicted beyond it. */
  maxPending?: number;
}

/** A message still waiting for parts: what `expire()` hands out, less the reason. */
type Pending<T> = Omit<PartialMessage<T>, 'reason'>;

export class Reassembler<T = Buffer> {
  private readonly pending = new Map<string, Pending<T>>();
  private readonly evicted: Array<PartialMessage<T>> = [];
  /** Keys completed within the last timeoutMs: a late duplicate part must not start a new message. */
  private readonly recentlyCompleted = new Map<string, number>();
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  /** Counters since construction: fragments ignored as duplicates or as invalid. */
  readonly stats = { duplicates: 0, invalid: 0, completed: 0, expired: 0, evicted: 0 };

  constructor(options: ReassemblerOptions) {
    this.timeoutMs = Math.max(1, options.timeoutMs);
    this.now = options.now ?? Date.now;
    this.maxPending = Math.max(1, options.maxPending ?? 1000);
  }

  /** Messages waiting for parts. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Adds one part. Returns the whole message when this part completes it; undefined otherwise
   * (waiting, a duplicate, or an invalid sequence — see `stats`). A single-part message completes at once.
   */
  add(fragment: Fragment<T>): ReassembledMessage<T> | undefined {
    const { source, destination, reference, total, sequence } = fragment;
    if (!Number.isInteger(total) || !Number.isInteger(sequence) || total < 1 || total > 0xffff || sequence < 1 || sequence > total) {
      this.stats.invalid++;
      return undefined;
    }
    if (total === 1) {
      this.stats.completed++;
      return { source, ...(destination === undefined ? {} : { destination }), reference, total, parts: [fragment.payload] };
    }
    const key = keyOf(fragment);
    let entry = this.pending.get(key);
    if (entry === undefined && this.isRecentlyCompleted(key)) {
      this.stats.duplicates++;
      return undefined;
    }
    if (entry === undefined) {
      entry = { source, reference, total, parts: new Array<T | undefined>(total).fill(undefined), received: 0, firstSeenAt: this.now() };
      if (destination !== undefined) entry.destination = destination;
      this.pending.set(key, entry);
      this.enforceCap();
    }
    if (entry.parts[sequence - 1] !== undefined) {
      this.stats.duplicates++;
      return undefined;
    }
    entry.parts[sequence - 1] = fragment.payload;
    entry.received++;
    if (entry.received < entry.total) return undefined;
    this.pending.delete(key);
    this.rememberCompleted(key);
    this.stats.completed++;
    return {
      source: entry.source,
      ...(entry.destination === undefined ? {} : { destination: entry.destination }),
      reference: entry.reference,
      total: entry.total,
      parts: entry.parts as T[],
    };
  }

  /** Removes and returns messages that waited `timeoutMs` or more, and any evicted by the cap since the last call. */
  expire(): Array<PartialMessage<T>> {
    const out = this.evicted.splice(0);
    const now = this.now();
    for (const [key, completedAt] of this.recentlyCompleted) {
      if (now - completedAt >= this.timeoutMs) this.recentlyCompleted.delete(key);
    }
    for (const [key, entry] of this.pending) {
      if (now - entry.firstSeenAt < this.timeoutMs) continue;
      this.pending.delete(key);
      this.stats.expired++;
      out.push(toPartial(entry, 'timeout'));
    }
    return out;
  }

  /** Drops everything (shutdown). */
  clear(): void {
    this.pending.clear();
    this.recentlyCompleted.clear();
    this.evicted.length = 0;
  }

  private isRecentlyCompleted(key: string): boolean {
    const completedAt = this.recentlyCompleted.get(key);
    if (completedAt === undefined) return false;
    if (this.now() - completedAt < this.timeoutMs) return true;
    this.recentlyCompleted.delete(key);
    return false;
  }

  private rememberCompleted(key: string): void {
    this.recentlyCompleted.delete(key);
    this.recentlyCompleted.set(key, this.now());
    if (this.recentlyCompleted.size > this.maxPending) {
      const oldest = this.recentlyCompleted.keys().next();
      if (oldest.done !== true) this.recentlyCompleted.delete(oldest.value);
    }
  }

  private enforceCap(): void {
    // A Map iterates in insertion order: the first key is the oldest message.
    while (this.pending.size > this.maxPending) {
      const oldest = this.pending.entries().next();
      if (oldest.done === true) return;
      const [key, entry] = oldest.value;
      this.pending.delete(key);
      this.stats.evicted++;
      // Keep what the evicted list can hold without growing past the same cap.
      if (this.evicted.length >= this.maxPending) this.evicted.shift();
      this.evicted.push(toPartial(entry, 'evicted'));
    }
  }
}

function keyOf(fragment: Fragment<unknown>): string {
  return JSON.stringify([fragment.source, fragment.destination ?? '', fragment.reference, fragment.total]);
}

function toPartial<T>(entry: Pending<T>, reason: PartialMessage<T>['reason']): PartialMessage<T> {
  return { ...entry, parts: entry.parts, reason };
}
