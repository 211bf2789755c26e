/**
 * Link liveness, counted in whole PDUs. When no complete PDU has arrived for `idleMs`, ask the
 * SMSC whether it is there (enquire_link); an enquire_link that gets no answer (its request times
 * out) means the link is dead. A PDU that has begun but not completed within `stallMs` (the
 * response timeout) also means the link is dead: a peer trickling a byte a second, or one that
 * stopped half way, is not alive. Bytes alone never count as life.
 *
 * Receiving a PDU counts as life, so a busy link sends no enquire_link at all. Two timers, each
 * re-armed only when it fires or when a half-read PDU first appears: marking progress is a field
 * write, not a timer reset per PDU.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { Timer, type Clock } from './clock.js';

export class KeepAlive {
  private lastHeard = 0;
  /** When the PDU now half-read began arriving; undefined when none is. */
  private pendingSince: number | undefined;
  private outstanding = false;
  private running = false;
  private readonly timer: Timer;
  private readonly stallTimer: Timer;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    /** Sends enquire_link; resolves on its response, rejects when none came in time. */
    private readonly enquire: () => Promise<unknown>,
    /** The link is dead: its enquire_link went unanswered (cause: the request's error), or a PDU stalled (cause: an AgentError saying so). */
    private readonly dead: (reason: 'unanswered' | 'stalled', cause: unknown) => void,
    /** How long a PDU may take to arrive once its first byte has (the response timeout). */
    private readonly stallMs: number = idleMs,
  ) {
    this.timer = new Timer(clock, () => this.check());
    this.stallTimer = new Timer(clock, () => this.checkStall());
  }

  start(): void {
    this.running = true;
    this.lastHeard = this.clock.now();
    this.pendingSince = undefined;
    this.timer.arm(this.idleMs);
  }

  /** A whole PDU arrived from the peer. */
  heard(): void {
    this.lastHeard = this.clock.now();
  }

  /** After a read: `completed` when it finished a PDU, `pending` when a PDU is now half-read. */
  progress(completed: boolean, pending: boolean): void {
    if (!completed && !pending) return;
    const now = this.clock.now();
    if (completed) this.lastHeard = now;
    if (!pending) {
      this.pendingSince = undefined;
      return;
    }
    // A read that completed a PDU and began the next one starts the next one's clock.
    if (completed || this.pendingSince === undefined) this.pendingSince = now;
    if (this.running) this.stallTimer.ensure(this.stallMs);
  }

  stop(): void {
    this.running = false;
    this.timer.cancel();
    this.stallTimer.cancel();
  }

  private check(): void {
    if (!this.running) return;
    const idle = this.clock.now() - this.lastHeard;
    if (idle < this.idleMs || this.outstanding) {
      this.timer.arm(Math.max(1, this.idleMs - idle));
      return;
    }
    this.outstanding = true;
    this.timer.arm(this.idleMs);
    this.enquire().then(
      () => {
        this.outstanding = false;
      },
      (cause: unknown) => {
        this.outstanding = false;
        if (this.running) this.dead('unanswered', cause);
      },
    );
  }

  private checkStall(): void {
    if (!this.running || this.pendingSince === undefined) return;
    const waited = this.clock.now() - this.pendingSince;
    if (waited < this.stallMs) {
      this.stallTimer.arm(Math.max(1, this.stallMs - waited));
      return;
    }
    this.dead('stalled', new AgentError(`a PDU began arriving but did not complete within ${this.stallMs} ms: the link is dead`, ErrorCode.Smpp_ResponseTimeout, { waitedMs: Math.round(waited) }));
  }
}
