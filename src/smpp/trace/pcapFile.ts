/**
 * Writing classic pcap files (the libpcap format every tool reads): a 24-octet global header,
 * then one record per packet. Link type 101 (LINKTYPE_RAW): each packet starts with its IPv4 or
 * IPv6 header, no Ethernet framing to invent. Records are buffered and written whole, so the
 * file on disk is a valid capture at every moment (a reader or a crash sees whole packets only).
 *
 * `PcapRing` bounds the disk a capture takes: `file` grows to half of `maxBytes`, then becomes
 * `file.1` (replacing the older one) and a fresh `file` starts; `readRing` joins both into one
 * capture for a download.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

export const linkTypeRaw = 101;
const globalHeaderSize = 24;
const recordHeaderSize = 16;
/** Written to disk at least this often while packets come (ms), and whenever 64 KiB are waiting. */
const flushAfterMs = 200;
const flushAtBytes = 64 * 1024;

export interface PacketSink {
  /** One packet (an IP datagram) seen at `at` (ms since the epoch, fractional). */
  packet(at: number, bytes: Buffer): void;
}

export function pcapGlobalHeader(): Buffer {
  const header = Buffer.alloc(globalHeaderSize);
  header.writeUInt32LE(0xa1b2c3d4, 0); // microsecond timestamps
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8); // thiszone
  header.writeUInt32LE(0, 12); // sigfigs
  header.writeUInt32LE(262_144, 16); // snaplen
  header.writeUInt32LE(linkTypeRaw, 20);
  return header;
}

export class PcapFile implements PacketSink {
  private fd: number | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
    this.writeNow(pcapGlobalHeader());
  }

  /** Octets in the file, including what is still buffered. */
  get size(): number {
    return this.written + this.pendingBytes;
  }

  packet(at: number, bytes: Buffer): void {
    if (this.fd === undefined) return;
    const header = Buffer.allocUnsafe(recordHeaderSize);
    const micros = Math.round(at * 1000);
    header.writeUInt32LE(Math.floor(micros / 1e6), 0);
    header.writeUInt32LE(micros % 1e6, 4);
    header.writeUInt32LE(bytes.length, 8);
    header.writeUInt32LE(bytes.length, 12);
    this.pending.push(header, bytes);
    this.pendingBytes += recordHeaderSize + bytes.length;
    if (this.pendingBytes >= flushAtBytes) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), flushAfterMs);
      this.timer.unref();
    }
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingBytes === 0 || this.fd === undefined) return;
    const out = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.writeNow(out);
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private writeNow(bytes: Buffer): void {
    if (this.fd === undefined) return;
    let at = 0;
    while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at);
    this.written += bytes.length;
  }
}

/** A capture bounded to about `maxBytes` on disk: `file` and the previous half in `file.1`. */
export class PcapRing implements PacketSink {
  private current: PcapFile;

  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {
    this.current = new PcapFile(path);
  }

  packet(at: number, bytes: Buffer): void {
    if (this.current.size + recordHeaderSize + bytes.length > this.maxBytes / 2 && this.current.size > globalHeaderSize) {
      this.current.close();
      renameSync(this.path, `${this.path}.1`);
      this.current = new PcapFile(this.path);
    }
    this.current.packet(at, bytes);
  }

  flush(): void {
    this.current.flush();
  }

  close(): void {
    this.current.close();
  }

  /** The whole ring as one capture: the older half's packets, then the current file's. */
  read(): Buffer {
    this.flush();
    return readRing(this.path);
  }
}

/** `path.1` then `path` joined into one pcap (one global header). */
export function readRing(path: string): Buffer {
  const parts: Buffer[] = [pcapGlobalHeader()];
  for (const file of [`${path}.1`, path]) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    parts.push(bytes.subarray(globalHeaderSize, wholeRecordsEnd(bytes)));
  }
  return Buffer.concat(parts);
}

/** Where the last whole record ends (a file being written may end mid-record in principle). */
function wholeRecordsEnd(bytes: Buffer): number {
  let at = globalHeaderSize;
  while (at + recordHeaderSize <= bytes.length) {
    const next = at + recordHeaderSize + bytes.readUInt32LE(at + 8);
    if (next > bytes.length) break;
    at = next;
  }
  return at;
}
