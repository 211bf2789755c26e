/**
 * What the batch planner needs from an encoding to pack a message in one pass: the size of the
 * message with one more candidate reading, without encoding it, and then keeping that candidate.
 *
 * Candidates are numbered in the order the planner weighs them; `ranks[i]` is candidate i's place in
 * the message once encoded (readings go in time order, ties in the order they were added, as
 * `buildMessage` sorts them), or -1 for a reading that does not validate. A sizer's answer must equal
 * the length of the encoded message exactly: the planner relies on it to choose the same readings
 * as encoding every candidate message would (test/unit/report/batchEquivalence.test.ts checks this).
 */
import { AgentError, ErrorCode } from '../errors.js';
import { type Reading, validateHeader, validateReading } from './model.js';

export interface MessageSizer {
  /** Units (septets or octets) of the message with candidate `index` added; undefined when only encoding can tell. */
  unitsWith(index: number): number | undefined;
  /** Keeps candidate `index` (its rank must be ≥ 0). */
  add(index: number): void;
}

/** Each valid reading's place in message order: time, then the order candidates are weighed in. */
export function messageRanks(readings: readonly Reading[], device: string, seq: number): number[] {
  const ranks = new Array<number>(readings.length).fill(-1);
  // With a bad device or seq every candidate is measured by encoding, which throws the encoder's error.
  if (!passes(() => validateHeader(device, seq))) return ranks;
  const valid: number[] = [];
  readings.forEach((reading, index) => {
    // The checks encoding does on each reading (a message's base time is one of its readings' times).
    if (passes(() => validateReading(reading))) valid.push(index);
  });
  valid.sort((a, b) => (readings[a]?.time ?? 0) - (readings[b]?.time ?? 0) || a - b);
  valid.forEach((index, rank) => (ranks[index] = rank));
  return ranks;
}

function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** `items[index]`, for indices the planner hands out itself: a miss is a bug in the planner. */
export function candidateAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new AgentError(`report: batch planner asked for candidate ${index} of ${items.length} (bug)`, ErrorCode.Report_Malformed, { index });
  return item;
}
