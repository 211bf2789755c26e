/**
 * enquire_link on idle: when nothing has arrived for `idleMs`, ask the SMSC whether it is
 * there; an enquire_link that gets no answer (its request times out) means the link is dead.
 * Receiving anything counts as life, so a busy link sends no enquire_link at all. One timer,
 * re-armed only when it fires: marking traffic is a field write, not a timer reset per PDU.
 */
import { Timer, type Clock } from './clock.js';

export class KeepAlive {
  private lastHeard = 0;
  private outstanding = false;
  private running = false;
  private readonly timer: Timer;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    /** Sends enquire_link; resolves on its response, rejects when none came in time. */
    private readonly enquire: () => Promise<unknown>,
    private readonly dead: (cause: unknown) => void,
  ) {
    this.timer = new Timer(clock, () => this.check());
  }

  start(): void {
    this.running = true;
    this.lastHeard = this.clock.now();
    this.timer.arm(this.idleMs);
  }

  /** Something arrived from the peer. */
  heard(): void {
    this.lastHeard = this.clock.now();
  }

  stop(): void {
    this.running = false;
    this.timer.cancel();
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
        if (this.running) this.dead(cause);
      },
    );
  }
}
