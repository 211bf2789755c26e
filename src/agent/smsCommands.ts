/**
 * Inbound SMS commands: `[PIN <pin>] LOCATE | STATUS | PING | REPORT [kind]`, case-insensitive, or
 * the signed form `S <counter> <mac> <COMMAND> [args]` (docs/signed-commands.md).
 * Only allow-listed senders may command the device, and only with the PIN when one is set;
 * everything else is an ordinary message for the inbox. Comparisons are constant-time for the PIN.
 * Lockouts and signatures are judged by `CommandAuthority` (commandAuthority.ts); this file only reads.
 */
import { timingSafeEqual } from 'node:crypto';

export const smsCommandNames = ['LOCATE', 'STATUS', 'PING', 'REPORT'] as const;
export type SmsCommandName = (typeof smsCommandNames)[number];

export type RefusalReason =
  | 'sender-not-allowed'
  | 'bad-pin'
  | 'pin-required'
  | 'locked-out'
  | 'bad-signature'
  | 'replayed'
  | 'stale-signature'
  | 'unsigned-refused';

export type SmsCommandVerdict =
  | { readonly kind: 'command'; readonly name: SmsCommandName; readonly args: readonly string[] }
  /** Looks like a command but may not be obeyed; the reason is logged, never sent back to the sender. */
  | { readonly kind: 'refused'; readonly reason: RefusalReason }
  | { readonly kind: 'message' };

export interface SmsCommandPolicy {
  /** Allowed senders, e.g. `+447700900123`; compared after normalisation (`+`, `00` prefix, spaces). */
  readonly allow: readonly string[];
  readonly pin?: string | undefined;
}

export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'pin'; readonly pin: string }
  | { readonly kind: 'signed'; readonly counter: number; readonly mac: string };

/** A text that reads as a command, before anyone has judged whether to obey it. */
export interface ParsedCommand {
  readonly name: SmsCommandName;
  readonly args: readonly string[];
  readonly credential: Credential;
}

export function normaliseNumber(number: string): string {
  const compact = number.replace(/[\s().-]/g, '');
  if (compact.startsWith('+')) return compact.slice(1);
  if (compact.startsWith('00')) return compact.slice(2);
  return compact;
}

const commandPattern = /^(?:PIN\s+(\S+)\s+)?([A-Za-z]+)((?:\s+\S+)*)\s*$/i;
/** `S <counter> <16 base64 characters> <command…>`; the counter is decimal, at most 12 digits. */
const signedPattern = /^S\s+(\d{1,12})\s+([A-Za-z0-9+/]{16})\s+(.+)$/s;
/** Where a PIN or a signature sits in a text, for redaction (whether or not the rest is a command). */
const pinInText = /^(\s*PIN\s+)\S+/i;
const signatureInText = /^(\s*S\s+\d{1,12}\s+)[A-Za-z0-9+/]{16}(?=\s)/;

/** Reads a command out of a text; undefined when the text is an ordinary message. */
export function parseSmsCommand(text: string): ParsedCommand | undefined {
  const trimmed = text.trim();
  const signed = signedPattern.exec(trimmed);
  if (signed !== null) {
    const inner = commandPattern.exec(signed[3] ?? '');
    const parsed = inner === null || inner[1] !== undefined ? undefined : named(inner[2], inner[3]);
    if (parsed !== undefined) return { ...parsed, credential: { kind: 'signed', counter: Number(signed[1]), mac: signed[2] ?? '' } };
  }
  const match = commandPattern.exec(trimmed);
  if (match === null) return undefined;
  const parsed = named(match[2], match[3]);
  if (parsed === undefined) return undefined;
  const pin = match[1];
  return { ...parsed, credential: pin === undefined ? { kind: 'none' } : { kind: 'pin', pin } };
}

function named(word: string | undefined, rest: string | undefined): { name: SmsCommandName; args: string[] } | undefined {
  const name = smsCommandNames.find((command) => command === (word ?? '').toUpperCase());
  if (name === undefined) return undefined;
  return { name, args: (rest ?? '').trim().split(/\s+/).filter((arg) => arg !== '') };
}

/** The command as signed: the name in capitals and the arguments as sent, single-spaced. */
export function canonicalCommand(name: SmsCommandName, args: readonly string[]): string {
  return [name, ...args].join(' ');
}

export function isAllowedSender(sender: string, allow: readonly string[]): boolean {
  const wanted = normaliseNumber(sender);
  return allow.some((number) => normaliseNumber(number) === wanted);
}

/** The PIN rule alone (allow-list, then PIN); lockouts and signatures are the authority's. */
export function interpretSms(sender: string, text: string, policy: SmsCommandPolicy): SmsCommandVerdict {
  const parsed = parseSmsCommand(text);
  if (parsed === undefined) return { kind: 'message' };
  if (!isAllowedSender(sender, policy.allow)) return { kind: 'refused', reason: 'sender-not-allowed' };
  const refusal = pinRefusal(parsed.credential, policy.pin);
  if (refusal !== undefined) return { kind: 'refused', reason: refusal };
  return { kind: 'command', name: parsed.name, args: parsed.args };
}

/** Why a PIN credential is refused, or undefined when it passes (or no PIN is configured). */
export function pinRefusal(credential: Credential, pin: string | undefined): 'bad-pin' | 'pin-required' | undefined {
  if (pin === undefined) return undefined;
  if (credential.kind !== 'pin') return 'pin-required';
  return samePin(credential.pin, pin) ? undefined : 'bad-pin';
}

/**
 * The text with any PIN or signature replaced, as it may be published or logged:
 * `PIN 4321 PING` → `PIN [redacted] PING`. Applied to every received text, command or not, since a
 * mistyped command (`PIN 4321 PIGN`) carries the PIN as surely as a good one.
 */
export function redactCommandText(text: string): string {
  return text.replace(pinInText, '$1[redacted]').replace(signatureInText, '$1[redacted]');
}

function samePin(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
