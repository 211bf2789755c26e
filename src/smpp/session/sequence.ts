/**
 * Sequence numbers for one session: 1…0x7FFFFFFF, then back to 1 (SMPP v3.4 §5.1.4: 0 is not used
 * by requests and the top bit is reserved). One allocator per session, never a global, so two
 * links never share a counter.
 */
export const maxSequenceNumber = 0x7fffffff;

export class SequenceAllocator {
  private last: number;

  /** `start` is the last number handed out; the next call returns start + 1. */
  constructor(start = 0) {
    if (!Number.isInteger(start) || start < 0 || start > maxSequenceNumber) {
      throw new RangeError(`sequence start must be 0..${maxSequenceNumber}, got ${start}`);
    }
    this.last = start;
  }

  next(): number {
    this.last = this.last >= maxSequenceNumber ? 1 : this.last + 1;
    return this.last;
  }

  /** The last number handed out (0 before the first). */
  get current(): number {
    return this.last;
  }
}
