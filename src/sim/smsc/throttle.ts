/**
 * Per-bind submit limits, as SMSCs enforce them: at most N accepted submits in any one-second
 * window (sliding: counted over the last 1000 ms at each arrival, as most SMSCs do) or in each
 * whole second since the bind (fixed: the count resets on the second, so a burst straddling the
 * boundary may get 2N through in a little over one second). A submit beyond the limit is answered
 * ESME_RTHROTTLED and does not count.
 */
export type ThrottleWindow = 'sliding' | 'fixed';

export interface SubmitThrottle {
  /** True when this submit may be accepted (and it is counted). */
  take(now: number): boolean;
}

export function submitThrottle(perSecond: number, window: ThrottleWindow, now: number): SubmitThrottle {
  return window === 'fixed' ? new FixedWindowThrottle(perSecond, now) : new SlidingWindowThrottle(perSecond);
}

/** Arrival times of the last N accepted submits, in a ring: the N-th newest must be a second old. */
class SlidingWindowThrottle implements SubmitThrottle {
  private readonly accepted: Float64Array;
  private next = 0;

  constructor(perSecond: number) {
    this.accepted = new Float64Array(Math.max(1, Math.floor(perSecond))).fill(-Infinity);
  }

  take(now: number): boolean {
    // The slot about to be reused holds the N-th newest acceptance.
    if (now - this.accepted[this.next]! < 1000) return false;
    this.accepted[this.next] = now;
    this.next = (this.next + 1) % this.accepted.length;
    return true;
  }
}

class FixedWindowThrottle implements SubmitThrottle {
  private secondStart: number;
  private count = 0;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.secondStart = now;
  }

  take(now: number): boolean {
    if (now - this.secondStart >= 1000) {
      this.secondStart += Math.floor((now - this.secondStart) / 1000) * 1000;
      this.count = 0;
    }
    if (this.count >= this.perSecond) return false;
    this.count++;
    return true;
  }
}
