/**
 * Sizes text reports (`ESA1 …`) for the batch planner without encoding them. A text message is its
 * header, then per reading `;` + kind code + offset from the base time + fields. Only the offsets
 * depend on the other readings, through the base time (the earliest reading): a reading earlier
 * than every kept one moves the base and lengthens every offset, which is counted by digit
 * thresholds over the kept times (how many offsets reach 10, 100, …) instead of re-encoding.
 */
import type { Reading } from './model.js';
import { type MessageSizer, candidateAt } from './messageSizer.js';
import { lowerBound } from './rankSet.js';
import { textFields, textHeader, textKindCode, textOffset } from './textFormat.js';

export class TextSizer implements MessageSizer {
  /** The header without its base time's digits. */
  private readonly headerFixed: number;
  /** Per candidate: `;`, kind code and fields, which no other reading changes. */
  private readonly own: number[] = [];
  /** Kept readings' times, ascending; the first is the base time. */
  private readonly times: number[] = [];
  private ownSum = 0;
  /** Characters of the kept readings' offsets from the current base time. */
  private offsetSum = 0;

  constructor(
    private readonly readings: readonly Reading[],
    device: string,
    seq: number,
  ) {
    this.headerFixed = textHeader(device, seq, 0).length - 1;
  }

  unitsWith(index: number): number {
    const time = this.time(index);
    const own = this.ownLength(index);
    const base = this.times[0];
    if (base === undefined) return this.header(time) + own;
    if (time >= base) return this.header(base) + this.ownSum + own + this.offsetSum + textOffset(time - base).length;
    return this.header(time) + this.ownSum + own + this.offsetsFrom(time);
  }

  add(index: number): void {
    const time = this.time(index);
    const base = this.times[0];
    if (base === undefined) this.offsetSum = 0;
    else if (time >= base) this.offsetSum += textOffset(time - base).length;
    else this.offsetSum = this.offsetsFrom(time);
    this.times.splice(lowerBound(this.times, time + 1), 0, time);
    this.ownSum += this.ownLength(index);
  }

  private header(baseTime: number): number {
    return this.headerFixed + String(baseTime).length;
  }

  /**
   * Characters of every kept reading's offset from `base`, which is below all of them: `+` and the
   * digits of each difference. A difference has k+1 digits when it reaches 10^k, so the sum is the
   * count of times above `base`, plus for each k the count of times at least base + 10^k.
   */
  private offsetsFrom(base: number): number {
    const times = this.times;
    const last = times[times.length - 1] ?? base;
    let sum = times.length - lowerBound(times, base + 1);
    for (let power = 1; base + power <= last; power *= 10) sum += times.length - lowerBound(times, base + power);
    return sum;
  }

  private ownLength(index: number): number {
    let length = this.own[index];
    if (length === undefined) {
      const reading = candidateAt(this.readings, index);
      length = 1 + textKindCode(reading.kind).length + textFields(reading.fields).length;
      this.own[index] = length;
    }
    return length;
  }

  private time(index: number): number {
    return candidateAt(this.readings, index).time;
  }
}
