/**
 * Decides when the retained state goes out: on a change an operator cares about (stateThresholds.ts),
 * no more often than `minIntervalMs`
 * (the latest snapshot wins, trailing edge guaranteed), in full right after every (re)connect,
 * and every `heartbeatMs` even when nothing changed so the fleet's "last seen" stays fresh.
 */
import type { Clock, TimerHandle } from '../clock.js';
import { stateChanged, type AgentStateSnapshot } from './state.js';

/** Sends a snapshot; returns false when it could not (offline): it is sent again on connect. */
export type SendState = (snapshot: AgentStateSnapshot) => boolean;

export class StatePublisher {
  private latest: AgentStateSnapshot | undefined;
  /** The snapshot that last went out: changes are judged against it, so a slow drift adds up to a threshold. */
  private published: AgentStateSnapshot | undefined;
  private dirty = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private flushTimer: TimerHandle | undefined;
  private heartbeatTimer: TimerHandle | undefined;
  private sentCount = 0;

  constructor(
    private readonly clock: Clock,
    private minIntervalMs: number,
    private readonly heartbeatMs: number,
    private readonly send: SendState,
  ) {}

  get snapshot(): AgentStateSnapshot | undefined {
    return this.latest;
  }

  /** How many times state went out (tests and the benchmark read it). */
  get sent(): number {
    return this.sentCount;
  }

  update(snapshot: AgentStateSnapshot): void {
    const changed = stateChanged(this.published, snapshot);
    this.latest = snapshot;
    if (!changed) return;
    this.dirty = true;
    this.flush();
  }

  /** After a (re)connect: everything, now, whatever the rate limit says. */
  publishNow(): void {
    if (this.latest === undefined) return;
    this.cancelFlush();
    this.dirty = true;
    this.sendLatest();
  }

  setMinInterval(ms: number): void {
    this.minIntervalMs = ms;
    if (this.flushTimer !== undefined) {
      this.cancelFlush();
      this.flush();
    }
  }

  stop(): void {
    this.cancelFlush();
    if (this.heartbeatTimer !== undefined) this.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private flush(): void {
    if (!this.dirty || this.flushTimer !== undefined) return;
    const wait = this.lastSentAt + this.minIntervalMs - this.clock.now();
    if (wait <= 0) {
      this.sendLatest();
      return;
    }
    this.flushTimer = this.clock.setTimeout(() => {
      this.flushTimer = undefined;
      this.sendLatest();
    }, wait);
  }

  private sendLatest(): void {
    if (this.latest === undefined) return;
    if (!this.send(this.latest)) {
      // Offline or a stalled socket: try again after an interval (a reconnect sends it sooner).
      this.flushTimer = this.clock.setTimeout(() => {
        this.flushTimer = undefined;
        this.sendLatest();
      }, this.minIntervalMs);
      return;
    }
    this.dirty = false;
    this.published = this.latest;
    this.sentCount++;
    this.lastSentAt = this.clock.now();
    this.armHeartbeat();
  }

  private armHeartbeat(): void {
    if (this.heartbeatMs <= 0) return;
    if (this.heartbeatTimer !== undefined) this.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = this.clock.setTimeout(() => {
      this.heartbeatTimer = undefined;
      this.dirty = true;
      this.flush();
    }, this.heartbeatMs);
  }

  private cancelFlush(): void {
    if (this.flushTimer !== undefined) this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }
}
