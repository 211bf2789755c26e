/**
 * Bytes this process has caused to be written to storage, from Linux's /proc/self/io
 * (`write_bytes`: what reached the block layer, the figure that wears an SD card), or undefined
 * where the file is missing (not Linux) or unreadable (kernel built without task I/O accounting).
 */
import { readFileSync } from 'node:fs';

export function processWrittenBytes(path = '/proc/self/io'): number | undefined {
  try {
    const match = /^write_bytes:\s*(\d+)$/m.exec(readFileSync(path, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}
