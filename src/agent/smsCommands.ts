/**
 * Inbound SMS commands: `[PIN <pin>] LOCATE | STATUS | PING | REPORT [kind]`, case-insensitive.
 * Only allow-listed senders may command the device, and only with the PIN when one is set;
 * everything else is an ordinary message for the inbox. Comparisons are constant-time for the PIN.
 */
import { timingSafeEqual } from 'node:crypto';

export const smsCommandNames = ['LOCATE', 'STATUS', 'PING', 'REPORT'] as const;
export type SmsCommandName = (typeof smsCommandNames)[number];

export type SmsCommandVerdict =
  | { readonly kind: 'command'; readonly name: SmsCommandName; readonly args: readonly string[] }
  /** Looks like a command but may not be obeyed; the reason is logged, never sent back to the sender. */
  | { readonly kind: 'refused'; readonly reason: 'sender-not-allowed' | 'bad-pin' | 'pin-required' }
  | { readonly kind: 'message' };

export interface SmsCommandPolicy {
  /** Allowed senders, e.g. `+447700900123`; compared after normalisation (`+`, `00` prefix, spaces). */
  readonly allow: readonly string[];
  readonly pin?: string | undefined;
}

export function normaliseNumber(number: string): string {
  const compact = number.replace(/[\s().-]/g, '');
  if (compact.startsWith('+')) return compact.slice(1);
  if (compact.startsWith('00')) return compact.slice(2);
  return compact;
}

const commandPattern = /^(?:PIN\s+(\S+)\s+)?([A-Za-z]+)((?:\s+\S+)*)\s*$/i;

export function interpretSms(sender: string, text: string, policy: SmsCommandPolicy): SmsCommandVerdict {
  const match = commandPattern.exec(text.trim());
  if (match === null) return { kind: 'message' };
  const name = smsCommandNames.find((command) => command === (match[2] ?? '').toUpperCase());
  if (name === undefined) return { kind: 'message' };
  const allowed = new Set(policy.allow.map(normaliseNumber));
  if (!allowed.has(normaliseNumber(sender))) return { kind: 'refused', reason: 'sender-not-allowed' };
  const givenPin = match[1];
  if (policy.pin !== undefined) {
    if (givenPin === undefined) return { kind: 'refused', reason: 'pin-required' };
    if (!samePin(givenPin, policy.pin)) return { kind: 'refused', reason: 'bad-pin' };
  }
  const args = (match[3] ?? '').trim().split(/\s+/).filter((arg) => arg !== '');
  return { kind: 'command', name, args };
}

function samePin(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
