/**
 * Counts, latency percentiles and statuses per request command, for one connection or many.
 * Latencies are kept in a ring of the most recent 10,000 per command, so an agent that runs for
 * months holds a bounded amount and its percentiles describe the recent link, not its first day.
 */
import type { CommandSummary, LatencySummary, SummaryRecord } from './records.js';

const keptLatencies = 10_000;

class CommandFigures {
  requests = 0;
  responses = 0;
  unanswered = 0;
  readonly statuses = new Map<string, number>();
  /** Grows by doubling up to `keep` (a link with few responses holds a few hundred bytes), then wraps. */
  private latencies = new Float64Array(16);
  private kept = 0;
  private next = 0;

  constructor(private readonly keep: number) {}

  latency(ms: number): void {
    if (this.kept === this.latencies.length && this.kept < this.keep) {
      const grown = new Float64Array(Math.min(this.keep, this.latencies.length * 2));
      grown.set(this.latencies);
      this.latencies = grown;
      this.next = this.kept; // it never wrapped while growing: carry on after the last one
    }
    this.latencies[this.next] = ms;
    this.next = (this.next + 1) % this.latencies.length;
    if (this.kept < this.latencies.length) this.kept++;
  }

  summary(): CommandSummary {
    return {
      requests: this.requests,
      responses: this.responses,
      unanswered: this.unanswered,
      latencyMs: this.kept === 0 ? null : percentiles(this.latencies.slice(0, this.kept)),
      statuses: Object.fromEntries(this.statuses),
    };
  }
}

/** Nearest-rank percentiles (no interpolation: every figure is a latency that happened). */
export function percentiles(values: Float64Array): LatencySummary {
  const sorted = values.slice().sort();
  const rank = (p: number): number => round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0);
  return { p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: round(sorted[sorted.length - 1] ?? 0) };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export class TraceSummary {
  private readonly commands = new Map<string, CommandFigures>();
  private pduCount = 0;

  /** `keep`: latencies kept per command for the percentiles (default 10,000, the most recent). */
  constructor(
    readonly conn: number | 'all',
    private readonly keep = keptLatencies,
  ) {}

  pdu(): void {
    this.pduCount++;
  }

  request(command: string): void {
    this.figures(command).requests++;
  }

  response(request: string, status: string, latencyMs: number | undefined): void {
    const figures = this.figures(request);
    figures.responses++;
    figures.statuses.set(status, (figures.statuses.get(status) ?? 0) + 1);
    if (latencyMs !== undefined) figures.latency(latencyMs);
  }

  unanswered(command: string): void {
    this.figures(command).unanswered++;
  }

  record(at: string): SummaryRecord {
    const commands = [...this.commands].sort(([a], [b]) => a.localeCompare(b)).map(([name, figures]) => [name, figures.summary()] as const);
    return { type: 'summary', at, conn: this.conn, pdus: this.pduCount, commands: Object.fromEntries(commands) };
  }

  private figures(command: string): CommandFigures {
    let figures = this.commands.get(command);
    if (figures === undefined) {
      figures = new CommandFigures(this.keep);
      this.commands.set(command, figures);
    }
    return figures;
  }
}
