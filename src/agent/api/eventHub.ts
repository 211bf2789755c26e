/**
 * An in-process fan-out of items (the agent's events, the SMPP trace) to live subscribers, with a
 * bounded ring of the most recent ones so a client that connects, or reconnects, can catch up.
 * Publishing never waits on a subscriber, and a subscriber that throws is removed alone.
 */
export interface HubEntry<T> {
  /** Increasing from 1 for the life of the process; SSE clients resume after it. */
  readonly id: number;
  /** Milliseconds since the epoch, when it was published. */
  readonly at: number;
  readonly item: T;
}

export type HubListener<T> = (entry: HubEntry<T>) => void;

export class EventHub<T> {
  private readonly ring: HubEntry<T>[] = [];
  private readonly listeners = new Set<HubListener<T>>();
  private nextId = 1;

  /** `keep`: how many recent entries are kept for catch-up (default 500). */
  constructor(
    private readonly keep = 500,
    private readonly now: () => number = Date.now,
  ) {}

  publish(item: T): HubEntry<T> {
    const entry: HubEntry<T> = { id: this.nextId++, at: this.now(), item };
    this.ring.push(entry);
    if (this.ring.length > this.keep) this.ring.shift();
    for (const listener of [...this.listeners]) {
      try {
        listener(entry);
      } catch {
        this.listeners.delete(listener);
      }
    }
    return entry;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: HubListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The kept entries with an id above `id`, oldest first. */
  after(id: number): readonly HubEntry<T>[] {
    return this.ring.filter((entry) => entry.id > id);
  }

  /** The last `count` kept entries, oldest first. */
  recent(count: number): readonly HubEntry<T>[] {
    return this.ring.slice(-count);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
