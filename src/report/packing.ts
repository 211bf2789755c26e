/**
 * One message being packed by the batch planner: candidates are weighed in order and kept while
 * the message stays within a number of SMS parts. The message's size comes from a sizer that adds
 * one reading's octets or septets at a time, so weighing n candidates costs about n lookups, where
 * encoding every candidate message cost n encodings of the whole message. The message is encoded
 * once, at the end; a candidate the sizer cannot size exactly (an invalid reading, whose encoding
 * throws the error the caller should see, or a very large message) is measured by encoding.
 */
import { BinarySizer } from './binarySizer.js';
import { encodeBinaryReport } from './binaryFormat.js';
import { AgentError, ErrorCode } from '../errors.js';
import { type MessageSizer, candidateAt, messageRanks } from './messageSizer.js';
import type { Reading, ReportMessage } from './model.js';
import { type PartCapacity, type ReportEncoding, partsNeeded } from './parts.js';
import { TextSizer } from './textSizer.js';
import { encodeTextReport } from './textFormat.js';

export interface PackingOptions {
  readonly device: string;
  readonly seq: number;
  readonly encoding: ReportEncoding;
  readonly capacity: PartCapacity;
}

export interface Packed<Item> {
  readonly chosen: readonly Item[];
  readonly message: ReportMessage;
  readonly payload: string | Buffer;
  readonly parts: number;
}

export class Packing<Item extends { readonly reading: Reading }> {
  private readonly readings: readonly Reading[];
  private readonly ranks: readonly number[];
  private readonly sizer: MessageSizer;
  private readonly kept: Item[] = [];
  private units = 0;

  constructor(
    private readonly candidates: readonly Item[],
    private readonly options: PackingOptions,
  ) {
    this.readings = candidates.map((item) => item.reading);
    this.ranks = messageRanks(this.readings, options.device, options.seq);
    this.sizer =
      options.encoding === 'text' ? new TextSizer(this.readings, options.device, options.seq) : new BinarySizer(this.readings, this.ranks, options.device, options.seq);
  }

  get count(): number {
    return this.kept.length;
  }

  /** SMS parts of the message so far. */
  get parts(): number {
    return partsNeeded(this.units, this.options.capacity);
  }

  /** Weighs candidates `from` … `to - 1` in order, keeping each that leaves the message within `maxParts`; a reading too big to fit is passed over. */
  fill(from: number, to: number, maxParts: number): void {
    for (let index = from; index < to; index++) {
      const valid = candidateAt(this.ranks, index) >= 0;
      const units = (valid ? this.sizer.unitsWith(index) : undefined) ?? this.measureByEncoding(index);
      if (partsNeeded(units, this.options.capacity) > maxParts) continue;
      if (!valid) {
        throw new AgentError(`report: reading ${index} failed validation alone but encoded in a message (bug)`, ErrorCode.Report_Malformed, { index });
      }
      this.sizer.add(index);
      this.kept.push(candidateAt(this.candidates, index));
      this.units = units;
    }
  }

  /** Encodes the message of the kept readings (there must be at least one). */
  finish(): Packed<Item> {
    const message = buildMessage(this.options.device, this.options.seq, this.kept.map((item) => item.reading));
    const payload = this.encode(message);
    return { chosen: this.kept, message, payload, parts: partsNeeded(payload.length, this.options.capacity) };
  }

  private measureByEncoding(index: number): number {
    const readings = [...this.kept.map((item) => item.reading), candidateAt(this.readings, index)];
    return this.encode(buildMessage(this.options.device, this.options.seq, readings)).length;
  }

  private encode(message: ReportMessage): string | Buffer {
    return this.options.encoding === 'text' ? encodeTextReport(message) : encodeBinaryReport(message);
  }
}

/** Readings go in time order with the earliest as the base, so offsets and binary time deltas stay small. */
export function buildMessage(device: string, seq: number, readings: readonly Reading[]): ReportMessage {
  const ordered = [...readings].sort((a, b) => a.time - b.time);
  return { version: 1, device, seq, baseTime: ordered[0]?.time ?? 0, readings: ordered };
}
