/**
 * The intake journal: what makes an acknowledged reading (and a message built from readings, before
 * it goes on the air) survive a power cut while its database rows wait, uncommitted, for the next
 * group commit (intakeGroup.ts). Each acknowledged batch of
 * readings is one record, appended in whole 512-byte sectors to a preallocated file
 * (`<db>.intake`) with direct I/O (sectorFile.ts): about 512 bytes written per reading where a
 * fsync'd SQLite commit wrote 4–11 KB (bench "sdcard").
 *
 * A record is a 32-byte header (magic, epoch, sequence, payload length, checksum) and the readings
 * as JSON with the ids they were acknowledged under, padded to a sector. Records are appended from
 * offset 0; when the file is full the database is made durable first and the journal starts again
 * at 0 with the next epoch (`restart`). Reading back stops at the first record that is torn, of
 * another epoch or out of sequence, so stale records behind the newest run are never taken for new.
 *
 * The file is preallocated with zeros and fsynced once: every later write overwrites blocks already
 * allocated, so no write changes the file's size or extents (no filesystem metadata per reading).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SectorFile, sectorBytes, syncPath, type SectorSync } from './sectorFile.js';
import type { MessageFormat } from './builtMessages.js';
import type { Link, Payload, ReportInput } from './types.js';

const magic = 0x45534a31; // "ESJ1"
const headerBytes = 32;
/** 1 MiB: ~2,000 single readings between restarts; a restart costs one fsync of the WAL. */
export const defaultJournalBytes = 2 ** 20;

/** One acknowledged reading: the id the caller was given and what it sent. */
export interface JournalEntry {
  readonly id: number;
  readonly input: ReportInput;
}

/**
 * A message as built (queued → sending), journaled before it goes on the air instead of fsyncing
 * the database: after a power cut it is found again and re-sent byte for byte under its sequence
 * number (builtMessages.ts), as a FULL commit of the build guaranteed before.
 */
export interface JournaledBuild {
  readonly messageId: number;
  readonly seq: number;
  readonly link: Link;
  readonly destination: string;
  readonly format: MessageFormat;
  readonly payload: Payload;
  readonly reportIds: readonly number[];
  /** When it was built (ms). */
  readonly at: number;
}

/** What a record holds: acknowledged readings and built messages, in the order they happened. */
export type JournalItem = JournalEntry | JournaledBuild;

export function isBuild(item: JournalItem): item is JournaledBuild {
  return 'messageId' in item;
}

interface Record {
  readonly epoch: number;
  readonly seq: number;
  readonly entries: JournalItem[];
  readonly bytes: number;
}

export function journalPathOf(dbPath: string): string {
  return `${dbPath}.intake`;
}

export class IntakeJournal {
  private readonly file: SectorFile;
  private epoch: number;
  private seq = 0;
  private cursor = 0;

  /** Opens (creating and preallocating when missing) the journal at `path`. */
  constructor(
    readonly path: string,
    readonly sync: SectorSync,
    private readonly size = defaultJournalBytes,
  ) {
    preallocate(path, size);
    this.epoch = (readRecords(readFileSync(path))[0]?.epoch ?? 0) + 1;
    this.file = new SectorFile(path, sync);
  }

  /** The readings of the newest run of records (all of them: the caller decides which its database lacks). */
  static read(path: string): JournalEntry[] {
    return IntakeJournal.readItems(path).filter((item): item is JournalEntry => !isBuild(item));
  }

  /** Readings and builds of the newest run of records, in the order they were written. */
  static readItems(path: string): JournalItem[] {
    if (!existsSync(path)) return [];
    return readRecords(readFileSync(path)).flatMap((record) => record.entries);
  }

  get isDirect(): boolean {
    return this.file.isDirect;
  }

  /** The next record for these entries, sector-padded; append it before anything else is appended or restarted. */
  encode(entries: readonly JournalItem[]): Buffer {
    return encodeRecord(this.epoch, this.seq, entries);
  }

  /** Whether a record of this size fits in the space left (false: make the database durable and `restart`). */
  fits(bytes: number): boolean {
    return this.cursor + bytes <= this.size;
  }

  /** Whether a record of this size fits in an empty journal at all. */
  canHold(bytes: number): boolean {
    return bytes <= this.size;
  }

  /** Appends one record of `entries`; durable on return with `sync: 'each'`, at the next `flush` with 'flush'. */
  append(entries: readonly JournalItem[]): void {
    this.appendRecord(this.encode(entries));
  }

  /** Appends a record from `encode` (the caller sized it already: a reading's JSON is made once). */
  appendRecord(record: Buffer): void {
    if (!this.fits(record.length)) throw new RangeError(`journal record of ${record.length} bytes does not fit`);
    this.file.write(this.cursor, record);
    this.cursor += record.length;
    this.seq += 1;
  }

  flush(): void {
    this.file.flush();
  }

  /** Starts again at offset 0: only once every reading in the journal is durable in the database. */
  restart(): void {
    this.epoch += 1;
    this.seq = 0;
    this.cursor = 0;
  }

  close(): void {
    this.file.close();
  }
}

function preallocate(path: string, size: number): void {
  if (existsSync(path) && statSync(path).size >= size) return;
  const fd = openSync(path, 'w', 0o600);
  try {
    const zeros = Buffer.alloc(64 * 1024);
    for (let offset = 0; offset < size; offset += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, size - offset), offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncPath(dirname(path)); // the new file's name must survive a power cut as well
}

function padded(bytes: number): number {
  return Math.ceil(bytes / sectorBytes) * sectorBytes;
}

function checksum(header: Buffer, body: Buffer): Buffer {
  return createHash('sha256').update(header.subarray(0, 24)).update(body).digest().subarray(0, 8);
}

function encodeRecord(epoch: number, seq: number, entries: readonly JournalItem[]): Buffer {
  const body = Buffer.from(encodeEntries(entries));
  const record = Buffer.alloc(padded(headerBytes + body.length));
  record.writeUInt32BE(magic, 0);
  record.writeUInt32BE(epoch >>> 0, 4);
  record.writeUInt32BE(seq >>> 0, 8);
  record.writeUInt32BE(body.length, 12);
  body.copy(record, headerBytes);
  checksum(record, body).copy(record, 24);
  return record;
}

function readRecords(bytes: Buffer): Record[] {
  const records: Record[] = [];
  let offset = 0;
  while (offset + headerBytes <= bytes.length) {
    const record = decodeRecord(bytes, offset);
    const previous = records.at(-1);
    if (record === undefined) break;
    if (previous !== undefined && (record.epoch !== previous.epoch || record.seq !== previous.seq + 1)) break;
    records.push(record);
    offset += record.bytes;
  }
  return records;
}

function decodeRecord(bytes: Buffer, offset: number): Record | undefined {
  if (bytes.readUInt32BE(offset) !== magic) return undefined;
  const length = bytes.readUInt32BE(offset + 12);
  const end = offset + headerBytes + length;
  if (end > bytes.length) return undefined;
  const header = bytes.subarray(offset, offset + headerBytes);
  const body = bytes.subarray(offset + headerBytes, end);
  if (!checksum(header, body).equals(header.subarray(24, 32))) return undefined;
  const entries = decodeEntries(body.toString('utf8'));
  if (entries === undefined) return undefined;
  return { epoch: header.readUInt32BE(4), seq: header.readUInt32BE(8), entries, bytes: padded(headerBytes + length) };
}

/** Compact JSON: binary payloads as base64, optional fields only when set. A reading: */
interface WireEntry {
  i: number;
  k: string;
  p: ReportInput['priority'];
  t?: string;
  b?: string;
  d?: readonly string[];
  l?: number;
}

/** A build: message id, sequence number, link, destination, format, payload, report ids, time. */
interface WireBuild {
  m: number;
  s: number;
  n: Link;
  o: string;
  f: MessageFormat;
  t?: string;
  b?: string;
  r: readonly number[];
  a: number;
}

function encodeEntries(entries: readonly JournalItem[]): string {
  return JSON.stringify(entries.map((item): WireEntry | WireBuild => isBuild(item)
    ? { m: item.messageId, s: item.seq, n: item.link, o: item.destination, f: item.format, ...encodePayload(item.payload), r: item.reportIds, a: item.at }
    : {
      i: item.id,
      k: item.input.kind,
      p: item.input.priority,
      ...encodePayload(item.input.payload),
      ...(item.input.destinations !== undefined && item.input.destinations.length > 0 ? { d: item.input.destinations } : {}),
      ...(item.input.ttlMs !== undefined ? { l: item.input.ttlMs } : {}),
    }));
}

function encodePayload(payload: Payload): { t: string } | { b: string } {
  return typeof payload === 'string' ? { t: payload } : { b: Buffer.from(payload).toString('base64') };
}

function decodePayload(item: { t?: unknown; b?: unknown }): Payload | undefined {
  return typeof item.t === 'string' ? item.t : typeof item.b === 'string' ? new Uint8Array(Buffer.from(item.b, 'base64')) : undefined;
}

const formats: readonly string[] = ['report-text', 'report-binary', 'sms'] satisfies readonly MessageFormat[];

function decodeBuild(item: WireBuild): JournaledBuild | undefined {
  const payload = decodePayload(item);
  const valid = Number.isSafeInteger(item.m) && Number.isSafeInteger(item.s) && (item.n === 'smpp' || item.n === 'modem') && typeof item.o === 'string'
    && formats.includes(item.f) && Array.isArray(item.r) && item.r.every((id) => Number.isSafeInteger(id)) && Number.isFinite(item.a);
  if (!valid || payload === undefined) return undefined;
  return { messageId: item.m, seq: item.s, link: item.n, destination: item.o, format: item.f, payload, reportIds: item.r, at: item.a };
}

function decodeEntries(text: string): JournalItem[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const entries: JournalItem[] = [];
  for (const item of parsed as Array<WireEntry | WireBuild>) {
    if (typeof item === 'object' && item !== null && 'm' in item) {
      const build = decodeBuild(item);
      if (build === undefined) return undefined;
      entries.push(build);
      continue;
    }
    if (typeof item !== 'object' || item === null || !Number.isSafeInteger(item.i) || typeof item.k !== 'string') return undefined;
    const payload = decodePayload(item);
    if (payload === undefined) return undefined;
    entries.push({
      id: item.i,
      input: { kind: item.k, priority: item.p, payload, ...(item.d !== undefined ? { destinations: item.d } : {}), ...(item.l !== undefined ? { ttlMs: item.l } : {}) },
    });
  }
  return entries;
}

/** The highest id the journal at `path` acknowledged (0: none), for a fresh file's ids to continue above. */
export function highestJournaledId(path: string): number {
  return IntakeJournal.read(path).reduce((high, entry) => Math.max(high, entry.id), 0);
}
