/**
 * Signed SMS commands (docs/signed-commands.md): `S <counter> <mac> <COMMAND> [args]`, where mac is
 * the first 12 bytes of HMAC-SHA256(key, "edge-sms-cmd/1\n<deviceId>\n<counter>\n<COMMAND args>") in
 * base64 (16 characters, no padding). Standard base64, not base64url: `+` and `/` are the same in
 * GSM 03.38 and ASCII/Latin-1, while base64url's `_` is 0x11 in GSM-7, and an SMSC that mixes up the
 * two alphabets would turn it into `§`. The counter is the signing time in Unix seconds unless the centre
 * keeps its own; the device obeys each counter once, in increasing order, and only while recent.
 * Both sides live here so they cannot drift apart: the agent verifies, the CLI and library sign.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AgentError, ErrorCode } from '../errors.js';
import { canonicalCommand, parseSmsCommand } from './smsCommands.js';

/** 12 bytes of MAC: 96 bits, 16 base64 characters (see docs/signed-commands.md for why). */
export const macBytes = 12;
/** A key shorter than this is refused: HMAC is only as strong as its key. */
export const minKeyLength = 16;
const domain = 'edge-sms-cmd/1';

export interface SignCommandOptions {
  /** The device's secret (commands.key on the device). */
  readonly key: string;
  /** The device id (device.id): a signature for one device is worthless on another. */
  readonly deviceId: string;
  /** The command, e.g. `PING` or `report alarm`; a PIN is neither needed nor allowed. */
  readonly text: string;
  /** Default: the current Unix time in seconds. Must grow from one command to the next. */
  readonly counter?: number;
}

/** The SMS text of a signed command, ready to send to the device. */
export function signCommand(options: SignCommandOptions): string {
  checkKey(options.key);
  const parsed = parseSmsCommand(options.text);
  if (parsed === undefined || parsed.credential.kind !== 'none') {
    throw new AgentError(`not a command to sign: ${JSON.stringify(options.text)} (expected one of LOCATE, STATUS, PING, REPORT [kind], without a PIN)`,
      ErrorCode.Security_InvalidCommand, { text: options.text });
  }
  const counter = options.counter ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(counter) || counter < 1 || counter > 999_999_999_999) {
    throw new AgentError(`counter must be an integer 1..999999999999, got ${counter}`, ErrorCode.Security_InvalidCommand, { counter });
  }
  const canonical = canonicalCommand(parsed.name, parsed.args);
  return `S ${counter} ${commandMac(options.key, options.deviceId, counter, canonical)} ${canonical}`;
}

export function commandMac(key: string, deviceId: string, counter: number, canonical: string): string {
  return createHmac('sha256', key).update(`${domain}\n${deviceId}\n${counter}\n${canonical}`).digest().subarray(0, macBytes).toString('base64');
}

/** Constant-time check of a received MAC. */
export function macMatches(key: string, deviceId: string, counter: number, canonical: string, given: string): boolean {
  const expected = Buffer.from(commandMac(key, deviceId, counter, canonical));
  const received = Buffer.from(given);
  return expected.length === received.length && timingSafeEqual(expected, received);
}

export function checkKey(key: string): string {
  if (key.length < minKeyLength) {
    // The key itself is never echoed, only its length.
    throw new AgentError(`the command key must be at least ${minKeyLength} characters, got ${key.length} (make one with: openssl rand -base64 32)`,
      ErrorCode.Security_InvalidKey, { length: key.length });
  }
  return key;
}

/** A key file's content: the key on its first line; surrounding white space is ignored. */
export function readKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AgentError(`cannot read the command key file ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, ErrorCode.Security_InvalidKey, { file: path }, { cause });
  }
  return checkKey((text.split('\n')[0] ?? '').trim());
}
