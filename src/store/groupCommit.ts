/**
 * Group commit for single enqueues. With `synchronous = FULL` every commit waits for an fsync
 * (~4 ms on this machine's disk, often more on an SD card), so one transaction per report caps
 * a writer at a few hundred reports per second and wears the card with one WAL sync per report.
 * The agent's ingest paths (HTTP, MQTT, GNSS) instead hand each report to this batcher: reports
 * arriving in the same turn of the event loop share one transaction, and each caller's promise
 * resolves only after that commit — so every acknowledged report is still durable (with
 * `durability: batched`, fsynced at most `batchMs` later: durability.ts).
 *
 * No transaction is open while callers wait: reports gather in memory, then one synchronous
 * transaction writes them all.
 */
import { AgentError, ErrorCode } from '../errors.js';
import type { Outbox } from './outbox.js';
import { validateInput } from './reportInput.js';
import type { EnqueueResult, ReportInput } from './types.js';

interface Pending {
  readonly input: ReportInput;
  readonly resolve: (result: EnqueueResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Commit at once when this many reports are waiting (default 1000). */
  readonly maxBatch?: number;
}

export class EnqueueBatcher {
  private pending: Pending[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly maxBatch: number;

  constructor(
    private readonly outbox: Outbox,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
  }

  /** Resolves with the report's id once its transaction has committed; rejects with Store_Full when it cannot fit. */
  enqueue(input: ReportInput): Promise<EnqueueResult> {
    if (this.closed) return Promise.reject(new AgentError('outbox batcher is closed', ErrorCode.Store_Open));
    try {
      validateInput(input);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new AgentError(String(error), ErrorCode.Store_InvalidInput));
    }
    return new Promise<EnqueueResult>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits whatever is waiting now. */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let results: EnqueueResult[];
    try {
      results = this.outbox.enqueueMany(batch.map((entry) => entry.input));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => {
      const result = results[i];
      if (result !== undefined && result.id !== null) entry.resolve(result);
      else entry.reject(new AgentError(`outbox full: no room for a ${entry.input.priority} ${entry.input.kind} report`, ErrorCode.Store_Full, { kind: entry.input.kind }));
    });
  }

  /** Commits what is waiting and refuses further reports. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
