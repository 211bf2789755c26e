/**
 * The inbox's notices (entries its caps removed, concatenated messages given up and kept incomplete) as
 * MQTT events. Under a flood every insert can push one entry out, so a notice per insert would be an event
 * per row: instead they are summed and published at most once per `flushMs` per reason, and what is
 * pending on stop is published then. The totals in the events come from the store's counters, so an
 * event lost with the broker away is caught up by the next one and by the state's figures.
 */
import type { MirrorEvent } from '../../mqtt/index.js';
import type { IncompleteReason, InboxDropTotals, InboxNotice } from '../../store/index.js';

type DropReason = 'max-rows' | 'max-bytes';

interface PendingDrops {
  count: number;
  bytes: number;
  readonly byKind: Record<string, number>;
}

interface PendingIncomplete {
  count: number;
  bytes: number;
  readonly inboxIds: string[];
  readonly senders: Set<string>;
}

/** Ids and senders one event lists at most; `count` says how many there were. */
const maxIds = 100;
const maxSenders = 10;

export class InboxEvents {
  private readonly drops = new Map<DropReason, PendingDrops>();
  private readonly incomplete = new Map<IncompleteReason, PendingIncomplete>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly publish: (event: MirrorEvent) => void,
    /** Entries removed since the database was created (the store's counters), for the events' `total`. */
    private readonly totals: () => InboxDropTotals,
    private readonly flushMs = 1000,
  ) {}

  notice(notice: InboxNotice): void {
    for (const drop of notice.dropped) {
      let pending = this.drops.get(drop.reason);
      if (pending === undefined) this.drops.set(drop.reason, (pending = { count: 0, bytes: 0, byKind: {} }));
      pending.count += drop.count;
      pending.bytes += drop.bytes;
      pending.byKind[drop.kind] = (pending.byKind[drop.kind] ?? 0) + drop.count;
    }
    for (const kept of notice.incomplete) {
      let pending = this.incomplete.get(kept.reason);
      if (pending === undefined) this.incomplete.set(kept.reason, (pending = { count: 0, bytes: 0, inboxIds: [], senders: new Set() }));
      pending.count += 1;
      pending.bytes += kept.bytes;
      if (pending.inboxIds.length < maxIds) pending.inboxIds.push(String(kept.id));
      if (pending.senders.size < maxSenders) pending.senders.add(kept.sender);
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.flushMs);
    // Pending events alone must not keep the process alive; stop() publishes them.
    this.timer.unref();
  }

  /** Publishes what is pending and stops the timer. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  private flush(): void {
    if (this.drops.size > 0) {
      let total: number;
      try {
        total = this.totals().total;
      } catch {
        total = -1; // the store could not be read (closed, damaged): the count of this batch still goes out
      }
      for (const [reason, pending] of this.drops) {
        this.publish({ type: 'inbox-dropped', reason, count: pending.count, bytes: pending.bytes, byKind: { ...pending.byKind }, total });
      }
      this.drops.clear();
    }
    for (const [reason, pending] of this.incomplete) {
      this.publish({ type: 'sms-incomplete', reason, count: pending.count, bytes: pending.bytes, inboxIds: [...pending.inboxIds], senders: [...pending.senders] });
    }
    this.incomplete.clear();
  }
}
