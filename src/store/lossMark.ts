/**
 * The high-water mark of acknowledged report ids, kept outside SQLite's WAL so that losing the WAL
 * (an SD card that dropped or damaged it, `agent.db` copied without its `-wal`, a power cut under
 * `synchronous = normal`) cannot take the evidence with it. At start the store's own highest id
 * (idFloor.ts) is compared with the mark: behind it by N means N acknowledged reports are gone.
 *
 * The file (`<db>.mark`, owner-only) holds two fixed slots in separate 512-byte sectors, written
 * alternately in place and each with its own checksum, so a write torn by a power cut leaves the
 * other slot, one step older, readable. An update is one sector written in place with O_DSYNC,
 * directly where the filesystem allows (sectorFile.ts: 512 bytes written, where a buffered write
 * and fdatasync cost a 4 KiB page): no rename, no directory write, no size change after the first.
 *
 * The cost is bounded by the caller, which writes at most once per interval and only when the
 * highest id moved (the agent: once a second, see runtime/lossWatch.ts). What that can detect: every
 * report acknowledged before the last mark write; reports acknowledged in the last interval before
 * the loss are not counted (the mark did not reach them yet).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SectorFile, sectorBytes, syncPath } from './sectorFile.js';
import { highestJournaledId, journalPathOf } from './intakeJournal.js';

const magic = 0x4553414d; // "ESAM"
const slotBytes = 24;
const slotOffsets = [0, 512] as const;

/** Where the mark of the database at `dbPath` lives. */
export function markPathOf(dbPath: string): string {
  return `${dbPath}.mark`;
}

interface Slot {
  readonly generation: number;
  readonly id: number;
}

/**
 * The highest id acknowledged, as far as anything outside the WAL knows: the mark, or the intake
 * journal's newest reading (with the journal the mark is written only when the journal restarts).
 */
export function acknowledgedHighWater(dbPath: string): number {
  return Math.max(readMark(markPathOf(dbPath)) ?? 0, highestJournaledId(journalPathOf(dbPath)));
}

/** The mark's id, or undefined when there is no file or no readable slot. */
export function readMark(path: string): number | undefined {
  return readSlot(path)?.id;
}

function readSlot(path: string): Slot | undefined {
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  let best: Slot | undefined;
  for (const offset of slotOffsets) {
    const slot = decodeSlot(bytes.subarray(offset, offset + slotBytes));
    if (slot !== undefined && (best === undefined || slot.generation > best.generation)) best = slot;
  }
  return best;
}

function checksum(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest().subarray(0, 8);
}

function decodeSlot(bytes: Buffer): Slot | undefined {
  if (bytes.length < slotBytes || bytes.readUInt32BE(0) !== magic) return undefined;
  if (!checksum(bytes.subarray(0, 16)).equals(bytes.subarray(16, 24))) return undefined;
  return { generation: bytes.readUInt32BE(4), id: Number(bytes.readBigUInt64BE(8)) };
}

function encodeSlot(slot: Slot): Buffer {
  const bytes = Buffer.alloc(slotBytes);
  bytes.writeUInt32BE(magic, 0);
  bytes.writeUInt32BE(slot.generation >>> 0, 4);
  bytes.writeBigUInt64BE(BigInt(slot.id), 8);
  checksum(bytes.subarray(0, 16)).copy(bytes, 16);
  return bytes;
}

/** The writer: keeps its file open and writes only ids above the last one written. */
export class LossMark {
  private file: SectorFile | undefined;
  private generation: number;
  private written: number;

  constructor(private readonly path: string) {
    const slot = readSlot(path);
    this.generation = slot?.generation ?? 0;
    this.written = slot?.id ?? 0;
  }

  /** The highest id the mark holds (0: none yet). */
  get value(): number {
    return this.written;
  }

  /** Makes `id` durable as the mark when it is above the current one; returns whether it wrote. */
  update(id: number): boolean {
    if (!Number.isSafeInteger(id) || id <= this.written) return false;
    const created = this.file === undefined && !existsSync(this.path);
    this.file ??= new SectorFile(this.path, 'each');
    const generation = this.generation + 1;
    const sector = Buffer.alloc(sectorBytes);
    encodeSlot({ generation, id }).copy(sector);
    this.file.write(slotOffsets[generation % 2] ?? 0, sector);
    if (created) syncPath(dirname(this.path)); // the new file's name must survive a power cut too
    this.generation = generation;
    this.written = id;
    return true;
  }

  close(): void {
    this.file?.close();
    this.file = undefined;
  }
}
