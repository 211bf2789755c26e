/**
 * Warnings that a peer can provoke at will (refused MQTT commands, undecodable inbound SMS) without a
 * flood of log lines: a sender publishing junk at hundreds a second would otherwise write as many warnings
 * (journald, the SD card). The first is logged at warn; after it, at most one line per `intervalMs`,
 * carrying how many came in between, by code. What each one was stays in its own record (the inbox, the
 * reply on the response topic, the events); the log only has to say that it happens and how often.
 */
import type { Logger } from 'pino';
import type { TimeSource } from './clock.js';

export class SummarisedLog {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private readonly since = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    private readonly clock: TimeSource,
    /** The field that counts the ones not logged, e.g. `refusedSinceLast`. */
    private readonly sinceField: string,
    private readonly intervalMs = 10_000,
  ) {}

  note(code: string, fields: Record<string, unknown>, message: string): void {
    const now = this.clock.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.since.set(code, (this.since.get(code) ?? 0) + 1);
      return;
    }
    const sinceLast = this.since.size === 0 ? {} : { [this.sinceField]: Object.fromEntries(this.since) };
    this.since.clear();
    this.lastLoggedAt = now;
    this.log.warn({ ...fields, code, ...sinceLast }, message);
  }
}
