/**
 * Per-bind submit limit, as SMSCs enforce it: a bucket holding one second's worth of tokens,
 * refilled continuously. A submit finding it empty is answered ESME_RTHROTTLED.
 */
export class SubmitThrottle {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = perSecond;
    this.at = now;
  }

  /** True when this submit may be accepted. */
  take(now: number): boolean {
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
