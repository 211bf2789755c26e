/**
 * Sizes binary reports (0xE1 …) for the batch planner without encoding them.
 *
 * A reading's octets depend on its neighbours in message order only: its time delta on the reading
 * before it, its REPEAT form on the last reading of its kind, each number's delta form on that
 * field's last number in a reading of its kind. So adding a reading between two kept ones costs
 * its own octets plus the change in its successors' (in time, in kind, in each field's slot),
 * found by binary search. The rest is counted once per message: the header, each custom kind's
 * name, each field name's string; a key reference is one octet while a message has at most 127
 * field names. Past that, references cost one or two octets by the order names first appear,
 * so the sizer declines and the planner encodes (a message that large is rare).
 */
import { isStandardKind, maxCustomKinds, numberForm, numberFormSize, plainValueSize, stringSize, svarintSize, uvarintSize, decimalScale } from './binaryFormat.js';
import type { Reading } from './model.js';
import { type MessageSizer, candidateAt } from './messageSizer.js';
import { RankSet } from './rankSet.js';

/** Key numbers 1…127 take one octet as a varint. */
const maxOneOctetKeys = 127;

interface Sized {
  readonly time: number;
  readonly kind: string;
  /** Octets of the kind's name when this reading introduces a custom kind; 0 for standard kinds. */
  readonly kindName: number;
  readonly names: readonly string[];
  readonly keyList: string;
  /** Field count and key references, written unless the reading is a REPEAT. */
  readonly structure: number;
  /** Booleans and strings: they do not depend on other readings. */
  readonly plainValues: number;
  readonly numbers: ReadonlyMap<string, SizedNumber>;
}

interface SizedNumber {
  readonly value: number;
  readonly scale: number | undefined;
}

interface Change {
  /** Octets the message's readings grow by. */
  readonly readings: number;
  readonly newKeys: readonly string[];
  readonly newKind: boolean;
}

export class BinarySizer implements MessageSizer {
  private readonly headerFixed: number;
  private readonly sized: Sized[] = [];
  private readonly all = new RankSet();
  private readonly byKind = new Map<string, RankSet>();
  private readonly bySlot = new Map<string, RankSet>();
  private readonly customKinds = new Set<string>();
  private readonly keys = new Set<string>();
  private readingOctets = 0;
  /** Octets of custom kind names and field names, each written once per message. */
  private nameOctets = 0;
  private readonly rankToIndex: number[] = [];

  constructor(
    private readonly readings: readonly Reading[],
    private readonly ranks: readonly number[],
    device: string,
    seq: number,
  ) {
    this.headerFixed = 1 + stringSize(device) + uvarintSize(seq);
    ranks.forEach((rank, index) => {
      if (rank >= 0) this.rankToIndex[rank] = index;
    });
  }

  unitsWith(index: number): number | undefined {
    const change = this.change(index);
    if (change.newKind && this.customKinds.size >= maxCustomKinds) return undefined; // the encoder refuses it
    if (this.keys.size + change.newKeys.length > maxOneOctetKeys) return undefined;
    const sized = this.get(index);
    const base = Math.min(sized.time, this.timeOf(this.all.first) ?? sized.time);
    let names = this.nameOctets + (change.newKind ? sized.kindName : 0);
    for (const name of change.newKeys) names += stringSize(name);
    return this.headerFixed + uvarintSize(base) + uvarintSize(this.all.size + 1) + names + this.readingOctets + change.readings;
  }

  add(index: number): void {
    const change = this.change(index);
    const sized = this.get(index);
    const rank = candidateAt(this.ranks, index);
    this.readingOctets += change.readings;
    if (change.newKind) {
      this.customKinds.add(sized.kind);
      this.nameOctets += sized.kindName;
    }
    for (const name of change.newKeys) {
      this.keys.add(name);
      this.nameOctets += stringSize(name);
    }
    this.all.insert(rank);
    setFor(this.byKind, sized.kind).insert(rank);
    for (const name of sized.numbers.keys()) setFor(this.bySlot, slotOf(sized.kind, name)).insert(rank);
  }

  /** What adding candidate `index` changes, before any limit is applied. */
  private change(index: number): Change {
    const sized = this.get(index);
    const rank = candidateAt(this.ranks, index);
    const prev = this.sizedAt(this.all.before(rank));
    const next = this.sizedAt(this.all.after(rank));
    let readings = 1 + timeDelta(prev, sized);
    if (next !== undefined) readings += timeDelta(sized, next) - timeDelta(prev, next);

    const sameKind = this.byKind.get(sized.kind);
    const prevOfKind = this.sizedAt(sameKind?.before(rank));
    const nextOfKind = this.sizedAt(sameKind?.after(rank));
    readings += structure(sized, prevOfKind) + sized.plainValues;
    if (nextOfKind !== undefined) readings += structure(nextOfKind, sized) - structure(nextOfKind, prevOfKind);

    for (const [name, number] of sized.numbers) {
      const slot = this.bySlot.get(slotOf(sized.kind, name));
      const before = this.sizedAt(slot?.before(rank))?.numbers.get(name);
      const after = this.sizedAt(slot?.after(rank))?.numbers.get(name);
      readings += numberSize(number, before);
      if (after !== undefined) readings += numberSize(after, number) - numberSize(after, before);
    }
    const newKeys = sized.names.filter((name) => !this.keys.has(name));
    const newKind = sized.kindName > 0 && !this.customKinds.has(sized.kind);
    return { readings, newKeys, newKind };
  }

  private timeOf(rank: number | undefined): number | undefined {
    return this.sizedAt(rank)?.time;
  }

  private sizedAt(rank: number | undefined): Sized | undefined {
    return rank === undefined ? undefined : this.get(candidateAt(this.rankToIndex, rank));
  }

  private get(index: number): Sized {
    let sized = this.sized[index];
    if (sized === undefined) {
      sized = sizeReading(candidateAt(this.readings, index));
      this.sized[index] = sized;
    }
    return sized;
  }
}

function sizeReading(reading: Reading): Sized {
  const entries = Object.entries(reading.fields);
  const names = entries.map(([name]) => name);
  const numbers = new Map<string, SizedNumber>();
  let plainValues = 0;
  for (const [name, value] of entries) {
    if (typeof value !== 'number') plainValues += plainValueSize(value);
    else {
      const number = Object.is(value, -0) ? 0 : value;
      numbers.set(name, { value: number, scale: decimalScale(number) });
    }
  }
  return {
    time: reading.time,
    kind: reading.kind,
    kindName: isStandardKind(reading.kind) ? 0 : stringSize(reading.kind),
    names,
    keyList: names.join('\u0000'),
    // A key reference is one octet here: the sizer declines messages with more than 127 names.
    structure: uvarintSize(names.length) + names.length,
    plainValues,
    numbers,
  };
}

/** The first reading's delta is from the base time, its own time: one octet. */
function timeDelta(prev: Sized | undefined, reading: Sized): number {
  return prev === undefined ? 1 : svarintSize(reading.time - prev.time);
}

/** A reading with the same keys, in the same order, as the last reading of its kind is a REPEAT: no count, no keys. */
function structure(reading: Sized, prevOfKind: Sized | undefined): number {
  return reading.names.length > 0 && prevOfKind?.keyList === reading.keyList ? 0 : reading.structure;
}

function numberSize(number: SizedNumber, before: SizedNumber | undefined): number {
  return numberFormSize(numberForm(number.value, number.scale, before?.value, before?.scale));
}

function slotOf(kind: string, name: string): string {
  return `${kind}\u0000${name}`;
}

function setFor(sets: Map<string, RankSet>, key: string): RankSet {
  let set = sets.get(key);
  if (set === undefined) {
    set = new RankSet();
    sets.set(key, set);
  }
  return set;
}
