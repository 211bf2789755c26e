/**
 * Refused commands in the log without a flood of log lines: a sender publishing junk at hundreds a
 * second would otherwise write as many warnings (journald, the SD card). The first refusal is logged at
 * warn; after it, at most one line per `intervalMs`, carrying how many were refused in between, by reply
 * code. Handler failures and timeouts are not refusals and are logged by the caller as before.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';

export class RefusalLog {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private readonly since = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly intervalMs = 10_000,
  ) {}

  refused(code: string, fields: Record<string, unknown>, message: string): void {
    const now = this.clock.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.since.set(code, (this.since.get(code) ?? 0) + 1);
      return;
    }
    const refusedSinceLast = this.since.size === 0 ? {} : { refusedSinceLast: Object.fromEntries(this.since) };
    this.since.clear();
    this.lastLoggedAt = now;
    this.log.warn({ ...fields, code, ...refusedSinceLast }, message);
  }
}
