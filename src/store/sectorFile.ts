/**
 * A small file written in whole 512-byte sectors, in place, bypassing the page cache when the
 * filesystem allows (O_DIRECT). Why: the kernel counts (and the card receives) a buffered write
 * as the whole 4 KiB page it dirtied, and an fsync'd page is clean again, so a 100-byte record
 * fsynced once a second costs a 4 KiB page write every second. A direct write of one sector is
 * 512 bytes at the block layer (measured with /proc/<pid>/io: 512 B per 512-byte O_DIRECT write
 * against 4,096 buffered; bench "sdcard").
 *
 * O_DIRECT wants the memory, the offset and the length aligned to the device's logical block
 * (512 bytes on SD cards; 4 KiB on some disks). Node has no aligned allocation, but an
 * ArrayBuffer's backing store never moves: the writer over-allocates a scratch buffer and finds,
 * once per buffer, the offset inside it that the kernel accepts (a misaligned O_DIRECT write fails
 * with EINVAL before writing anything). Where O_DIRECT is refused altogether (tmpfs on older
 * kernels, some network filesystems) the file is written through the page cache instead: as
 * durable, only more bytes.
 *
 * `sync: 'each'` adds O_DSYNC, so every write is on the medium when it returns; `sync: 'flush'`
 * leaves that to `flush()` (fdatasync), for callers that batch their durability.
 */
import { closeSync, constants, fdatasyncSync, fsyncSync, openSync, writeSync } from 'node:fs';

export const sectorBytes = 512;
/** The widest alignment probed (4 KiB-sector disks); a buffer is this much larger than its payload. */
const maxAlignment = 4096;
/** glibc and V8 hand out memory on 16-byte boundaries at least. */
const probeStep = 16;

export type SectorSync = 'each' | 'flush';

export class SectorFile {
  private fd: number;
  /** True while writes bypass the page cache. */
  private direct: boolean;
  private scratch: Buffer | undefined;
  /** Where, inside `scratch`, the kernel accepted an O_DIRECT write (undefined: not found yet). */
  private aligned: number | undefined;

  constructor(
    readonly path: string,
    private readonly sync: SectorSync,
  ) {
    const base = constants.O_RDWR | constants.O_CREAT | (sync === 'each' ? constants.O_DSYNC : 0);
    try {
      this.fd = openSync(path, base | constants.O_DIRECT, 0o600);
      this.direct = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
      this.fd = openSync(path, base, 0o600);
      this.direct = false;
    }
  }

  /** Whether writes still bypass the page cache (false after a fallback). */
  get isDirect(): boolean {
    return this.direct;
  }

  /** Writes `data` (a whole number of sectors) at `offset` (a sector boundary). */
  write(offset: number, data: Buffer): void {
    if (offset % sectorBytes !== 0 || data.length % sectorBytes !== 0) throw new RangeError(`sector writes only: ${data.length} bytes at ${offset}`);
    if (this.direct && this.writeDirect(offset, data)) return;
    writeSync(this.fd, data, 0, data.length, offset);
  }

  /** Makes every write so far durable (for `sync: 'flush'`; harmless with 'each'). */
  flush(): void {
    fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  /** False when no alignment works: the file is reopened through the page cache. */
  private writeDirect(offset: number, data: Buffer): boolean {
    if (this.scratch === undefined || this.scratch.length < data.length + maxAlignment) {
      // allocUnsafeSlow: a backing store of its own (not a slice of Node's shared pool), which never moves.
      this.scratch = Buffer.allocUnsafeSlow(Math.max(data.length, 64 * sectorBytes) + maxAlignment);
      this.aligned = undefined;
    }
    const candidates = this.aligned === undefined ? probeOffsets() : [this.aligned];
    for (const start of candidates) {
      data.copy(this.scratch, start);
      try {
        writeSync(this.fd, this.scratch, start, data.length, offset);
        this.aligned = start;
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
      }
    }
    this.reopenBuffered();
    return false;
  }

  private reopenBuffered(): void {
    closeSync(this.fd);
    this.fd = openSync(this.path, constants.O_RDWR | (this.sync === 'each' ? constants.O_DSYNC : 0));
    this.direct = false;
    this.scratch = undefined;
  }
}

function probeOffsets(): number[] {
  return Array.from({ length: maxAlignment / probeStep }, (_, i) => i * probeStep);
}

/**
 * fsyncs a file or directory by path (fdatasync with `data`: the contents, not the times). A sync
 * applies to the file whichever descriptor asks, so SQLite's WAL can be synced from outside it.
 */
export function syncPath(path: string, data = false): void {
  const fd = openSync(path, 'r');
  try {
    if (data) fdatasyncSync(fd);
    else fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
