/**
 * Delivery receipts (SMPP v3.4 Appendix B, v5.0 Appendix B): the de-facto text body
 * `id:… sub:… dlvr:… submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD err:000 text:…`
 * and the receipted_message_id / message_state / network_error_code TLVs.
 *
 * The body is not standardised, so parsing is tolerant of what SMSCs actually send: any key case,
 * `submit_date` for `submit date`, `dlvrd` for `dlvr`, fields missing or reordered, 10- or 12-digit dates, full-word
 * states (`DELIVERED`), and a final `text:` that may contain anything, including other keys.
 * Dates carry no zone on the wire; they are read as UTC.
 */
import { getTlv } from './tlv.js';
import type { Pdu } from './pdu.js';

export type ReceiptStat = 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD' | 'ENROUTE' | 'SCHEDULED' | 'SKIPPED';

export interface DeliveryReceipt {
  /** The message id the receipt is for, as the SMSC wrote it (see sameMessageId for hex/decimal). */
  messageId: string;
  submitted?: number;
  delivered?: number;
  submitDate?: Date;
  doneDate?: Date;
  stat: ReceiptStat;
  err?: string;
  text?: string;
  /** message_state TLV (v5.0 §4.8.4.37): 0 scheduled … 9 skipped. */
  messageState?: number;
  /** network_error_code TLV: network type, then a 2-octet error code. */
  networkErrorCode?: Buffer;
}

/** message_state values (v5.0 table 4-68) and the stat word each corresponds to. */
export const MessageState = {
  SCHEDULED: 0,
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
  SKIPPED: 9,
} as const;

const statByState: readonly ReceiptStat[] = ['SCHEDULED', 'ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'SKIPPED'];

const statAliases: Readonly<Record<string, ReceiptStat>> = {
  DELIVRD: 'DELIVRD', DELIVERED: 'DELIVRD', DELIVER: 'DELIVRD',
  EXPIRED: 'EXPIRED', EXPIRD: 'EXPIRED',
  DELETED: 'DELETED', DELETD: 'DELETED',
  UNDELIV: 'UNDELIV', UNDELIVERABLE: 'UNDELIV', UNDELIVERED: 'UNDELIV', FAILED: 'UNDELIV',
  ACCEPTD: 'ACCEPTD', ACCEPTED: 'ACCEPTD',
  UNKNOWN: 'UNKNOWN', UNKNOWN_: 'UNKNOWN',
  REJECTD: 'REJECTD', REJECTED: 'REJECTD',
  ENROUTE: 'ENROUTE', SCHEDULED: 'SCHEDULED', SKIPPED: 'SKIPPED',
};

/** The stat word for a message_state value. */
export function statForMessageState(state: number): ReceiptStat {
  return statByState[state] ?? 'UNKNOWN';
}

/** The message_state value for a stat word. */
export function messageStateForStat(stat: ReceiptStat): number {
  return statByState.indexOf(stat);
}

// Keys are recognised only where a key can start (not inside a word), case-insensitively.
const keyPattern = /(?<![A-Za-z0-9_])(id|sub|dlvrd?|submit[ _]?date|done[ _]?date|stat|err|text)\s*:/gi;

export function parseReceipt(text: string): DeliveryReceipt | undefined {
  const found: Array<{ key: string; valueStart: number; keyStart: number }> = [];
  keyPattern.lastIndex = 0;
  for (let match = keyPattern.exec(text); match !== null; match = keyPattern.exec(text)) {
    const spelled = match[1]!.toLowerCase().replace(/[ _]/g, '');
    const key = spelled === 'dlvrd' ? 'dlvr' : spelled;
    found.push({ key, keyStart: match.index, valueStart: match.index + match[0].length });
    if (key === 'text') break;
  }
  const values = new Map<string, string>();
  for (let i = 0; i < found.length; i++) {
    const entry = found[i]!;
    const end = entry.key === 'text' ? text.length : (found[i + 1]?.keyStart ?? text.length);
    const raw = text.slice(entry.valueStart, end);
    if (!values.has(entry.key)) values.set(entry.key, entry.key === 'text' ? raw.replace(/^ /, '') : raw.trim());
  }
  const id = values.get('id');
  const statText = values.get('stat');
  if (id === undefined && statText === undefined) return undefined;

  const receipt: DeliveryReceipt = { messageId: id ?? '', stat: normaliseStat(statText) };
  const submitted = parseCount(values.get('sub'));
  if (submitted !== undefined) receipt.submitted = submitted;
  const delivered = parseCount(values.get('dlvr'));
  if (delivered !== undefined) receipt.delivered = delivered;
  const submitDate = parseReceiptDate(values.get('submitdate'));
  if (submitDate !== undefined) receipt.submitDate = submitDate;
  const doneDate = parseReceiptDate(values.get('donedate'));
  if (doneDate !== undefined) receipt.doneDate = doneDate;
  const err = values.get('err');
  if (err !== undefined) receipt.err = err;
  const body = values.get('text');
  if (body !== undefined) receipt.text = body;
  return receipt;
}

function normaliseStat(value: string | undefined): ReceiptStat {
  if (value === undefined) return 'UNKNOWN';
  return statAliases[value.toUpperCase()] ?? 'UNKNOWN';
}

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}

/** YYMMDDhhmm or YYMMDDhhmmss, read as UTC in 2000–2099; undefined when not a real date. */
export function parseReceiptDate(value: string | undefined): Date | undefined {
  if (value === undefined || !/^\d{10}(\d{2})?$/.test(value)) return undefined;
  const part = (at: number): number => Number.parseInt(value.slice(at, at + 2), 10);
  const [year, month, day, hour, minute] = [2000 + part(0), part(2), part(4), part(6), part(8)];
  const second = value.length === 12 ? part(10) : 0;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const valid = date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return valid ? date : undefined;
}

function two(value: number): string {
  return value.toString().padStart(2, '0');
}

/** YYMMDDhhmm (seconds too when asked), UTC. */
export function formatReceiptDate(date: Date, withSeconds = false): string {
  const text = `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}`;
  return withSeconds ? `${text}${two(date.getUTCSeconds())}` : text;
}

/** The standard body; fields that are undefined are left out, counts are three digits. */
export function formatReceipt(receipt: DeliveryReceipt, options: { withSeconds?: boolean } = {}): string {
  const parts = [`id:${receipt.messageId}`];
  if (receipt.submitted !== undefined) parts.push(`sub:${receipt.submitted.toString().padStart(3, '0')}`);
  if (receipt.delivered !== undefined) parts.push(`dlvr:${receipt.delivered.toString().padStart(3, '0')}`);
  if (receipt.submitDate !== undefined) parts.push(`submit date:${formatReceiptDate(receipt.submitDate, options.withSeconds)}`);
  if (receipt.doneDate !== undefined) parts.push(`done date:${formatReceiptDate(receipt.doneDate, options.withSeconds)}`);
  parts.push(`stat:${receipt.stat}`);
  if (receipt.err !== undefined) parts.push(`err:${receipt.err}`);
  if (receipt.text !== undefined) parts.push(`text:${receipt.text}`);
  return parts.join(' ');
}

/** esm_class bits 2–5 (v5.0 §4.7.12): 0x04 MC delivery receipt, 0x20 intermediate delivery notification. */
const receiptTypeMask = 0x3c;

/**
 * The receipt a deliver_sm or data_sm carries, from its body and TLVs; undefined for ordinary
 * messages. The receipted_message_id TLV wins over the body's id, the body's stat over
 * message_state (which fills in when the body has none).
 */
export function receiptFromPdu(pdu: Pdu): DeliveryReceipt | undefined {
  if (pdu.command !== 'deliver_sm' && pdu.command !== 'data_sm') return undefined;
  const type = pdu.esm_class & receiptTypeMask;
  const receiptedId = getTlv(pdu, 'receipted_message_id');
  const messageState = getTlv(pdu, 'message_state');
  const flagged = type === 0x04 || type === 0x20;
  if (!flagged && (receiptedId === undefined || messageState === undefined)) return undefined;

  const payload = getTlv(pdu, 'message_payload');
  const bytes = pdu.command === 'deliver_sm' && pdu.short_message.length > 0 ? pdu.short_message : payload;
  const fromBody = bytes === undefined ? undefined : parseReceipt(bodyText(bytes, pdu.data_coding));
  if (fromBody === undefined && receiptedId === undefined) return undefined;

  const receipt: DeliveryReceipt = fromBody ?? { messageId: '', stat: messageState === undefined ? 'UNKNOWN' : statForMessageState(messageState) };
  if (receiptedId !== undefined && receiptedId !== '') receipt.messageId = receiptedId;
  if (messageState !== undefined) {
    receipt.messageState = messageState;
    if (fromBody === undefined || fromBody.stat === 'UNKNOWN') receipt.stat = statForMessageState(messageState);
  }
  const networkErrorCode = getTlv(pdu, 'network_error_code');
  if (networkErrorCode !== undefined) receipt.networkErrorCode = networkErrorCode;
  return receipt;
}

/**
 * Receipt bodies are ASCII in practice; a UCS-2 one (data_coding 8) is decoded as UTF-16BE.
 * Trailing NULs, which some SMSCs append as if the body were a C-Octet String, are dropped.
 */
function bodyText(bytes: Buffer, dataCoding: number): string {
  let text = '';
  if (dataCoding === 0x08 && bytes.length % 2 === 0) {
    for (let i = 0; i < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  } else {
    text = bytes.toString('latin1');
  }
  return text.replace(/\0+$/, '');
}

/**
 * Whether two message ids name the same message: equal ignoring case and leading zeros.
 * Some SMSCs answer submit_sm_resp with a hex id and write the receipt's id in decimal (Kannel's
 * msg-id-type setting exists for this); `crossRadix` also matches a hex id with its decimal value.
 * It is opt-in because for a short id like '10' it cannot tell which form the SMSC meant.
 */
export function sameMessageId(a: string, b: string, options: { crossRadix?: boolean } = {}): boolean {
  const x = stripZeros(a.trim().toLowerCase());
  const y = stripZeros(b.trim().toLowerCase());
  if (x === y) return true;
  if (options.crossRadix !== true) return false;
  const decimal = (text: string): bigint | undefined => (/^\d{1,40}$/.test(text) ? BigInt(text) : undefined);
  const hex = (text: string): bigint | undefined => (/^[0-9a-f]{1,32}$/.test(text) ? BigInt(`0x${text}`) : undefined);
  const [dx, hx, dy, hy] = [decimal(x), hex(x), decimal(y), hex(y)];
  return (dx !== undefined && dx === hy) || (hx !== undefined && hx === dy);
}

function stripZeros(id: string): string {
  const stripped = id.replace(/^0+(?=.)/, '');
  return stripped;
}
