import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

/** The page size in a SQLite file's header (offset 16, big-endian; 1 means 65,536). */
export function pageSizeOf(bytes: Buffer): number {
  const size = bytes.readUInt16BE(16);
  return size === 1 ? 65_536 : size;
}

/**
 * Overwrites, in the main file, the whole table leaf page that holds `marker` (a reading's payload).
 * Only a leaf (type byte 0x0d) will do: stale copies of a row linger in the free space of the
 * interior page it once lived in, and damaging that page would cut off every row below it.
 */
export function damageLeafPageHolding(db: string, marker: string): void {
  const bytes = readFileSync(db);
  const pageSize = pageSizeOf(bytes);
  let page: number | undefined;
  for (let at = bytes.indexOf(marker); at >= 0 && page === undefined; at = bytes.indexOf(marker, at + 1)) {
    const start = Math.floor(at / pageSize) * pageSize;
    if (start > 0 && bytes[start] === 0x0d) page = start;
  }
  assert.ok(page !== undefined, `${marker} is in a table leaf page of the main file`);
  const fd = openSync(db, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page);
  } finally {
    closeSync(fd);
  }
}
