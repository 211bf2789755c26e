/** Memory figures of a running process from /proc/<pid>/status (Linux), in bytes. */
import { readFileSync } from 'node:fs';

function field(pid: number, name: 'VmHWM' | 'VmRSS'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (match === null) throw new Error(`/proc/${pid}/status has no ${name}`);
  return Number(match[1]) * 1024;
}

/** The peak resident set size since the process started (VmHWM). */
export function peakRss(pid: number): number {
  return field(pid, 'VmHWM');
}

export function currentRss(pid: number): number {
  return field(pid, 'VmRSS');
}

export const MiB = 1024 * 1024;
