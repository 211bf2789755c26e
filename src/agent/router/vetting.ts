/**
 * The router's look at each queued entry before it plans with it: can this entry ever be sent? The
 * door refuses what cannot (door.ts), but rows also come from older versions, other programs and
 * hands with sqlite3; one such row at the head of the queue used to stop every report behind it,
 * alarms included (the planner threw, the router retried the same plan every 5 s). An entry that
 * fails here is failed alone with Report_Unsendable and the queue moves on.
 *
 * Checking means encoding the reading alone, so verdicts are remembered per entry (bounded: the
 * memory is dropped when it grows past `memoryLimit`, which costs a re-check, never a wrong answer,
 * because an entry is remembered with its creation time and ids are not reused while it is queued).
 */
import { errorCodeName, isAgentError } from '../../errors.js';
import type { Reading, ReportEncoding } from '../../report/index.js';
import { checkReadingFits, checkSmsFits, type ReportSizing } from '../reportFit.js';
import type { QueuedEntry } from './types.js';

export type Verdict = { readonly ok: true; readonly reading?: Reading } | { readonly ok: false; readonly reason: string };

const memoryLimit = 20_000;
/** What an SMSC and a modem take as a destination: the outbox's own rule (store/reportInput.ts). */
const destinationRule = /^\+?[0-9A-Za-z]{1,20}$/;

export class EntryVetting {
  /** id → createdAt of entries found sendable. */
  private readonly sendable = new Map<number, number>();

  constructor(
    private readonly sizing: ReportSizing,
    private readonly encodingOf: (kind: string) => ReportEncoding,
    private readonly smsKind: string,
  ) {}

  /** A reading entry's reading, a plain SMS's ok, or why the entry can never be sent. */
  vet(entry: QueuedEntry): Verdict {
    const destination = entry.destinations.find((number) => !destinationRule.test(number));
    if (destination !== undefined) return { ok: false, reason: `destination ${JSON.stringify(destination.slice(0, 40))} is not a number or short code` };
    if (entry.kind === this.smsKind) return this.vetSms(entry);
    const reading = parseReading(entry);
    if (reading === undefined) return { ok: false, reason: 'the payload is not a reading ({"time": unix seconds, "fields": {…}})' };
    if (this.sendable.get(entry.id) === entry.createdAt) return { ok: true, reading };
    const fault = faultOf(() => checkReadingFits(reading, this.encodingOf(entry.kind), this.sizing));
    if (fault !== undefined) return { ok: false, reason: fault };
    this.remember(entry);
    return { ok: true, reading };
  }

  private vetSms(entry: QueuedEntry): Verdict {
    if (this.sendable.get(entry.id) === entry.createdAt) return { ok: true };
    if (typeof entry.payload !== 'string') return { ok: false, reason: 'a plain SMS entry holds bytes, not text' };
    const text = entry.payload;
    const fault = text.length === 0 ? 'a plain SMS entry holds no text' : faultOf(() => checkSmsFits(text, this.sizing));
    if (fault !== undefined) return { ok: false, reason: fault };
    this.remember(entry);
    return { ok: true };
  }

  private remember(entry: QueuedEntry): void {
    if (this.sendable.size >= memoryLimit) this.sendable.clear();
    this.sendable.set(entry.id, entry.createdAt);
  }
}

function faultOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return isAgentError(error) ? `${errorCodeName(error.code)}: ${error.message}` : String(error);
  }
}

/** Report entries hold `{"time": unixSeconds, "fields": {…}}`; the kind is the entry's. */
export function parseReading(entry: QueuedEntry): Reading | undefined {
  try {
    const text = typeof entry.payload === 'string' ? entry.payload : Buffer.from(entry.payload).toString('utf8');
    const value = JSON.parse(text) as { time?: unknown; fields?: unknown };
    if (typeof value.time !== 'number' || typeof value.fields !== 'object' || value.fields === null || Array.isArray(value.fields)) return undefined;
    return { kind: entry.kind, time: value.time, fields: value.fields as Reading['fields'] };
  } catch {
    return undefined;
  }
}
