/** Stored messages as read with AT+CMGR / AT+CMGL, decoded for callers (`modem read`, replay, the inbox). */
import { isAgentError } from '../../errors.js';
import type { DriverContext } from './context.js';
import { parseStoredPdus, parseStoredTexts, textTimestampToIso } from './parsers.js';
import type { DecodedPdu } from './smsCodec.js';

export type StoredRecord =
  | {
      readonly mode: 'pdu';
      readonly index: number | undefined;
      readonly stat: number | undefined;
      readonly hex: string;
      /** undefined when the PDU could not be decoded (`error` says why). */
      readonly decoded: DecodedPdu | undefined;
      readonly error?: string;
    }
  | {
      readonly mode: 'text';
      readonly index: number | undefined;
      readonly status: string;
      readonly sender: string;
      /** ISO 8601 with offset when the modem's time stamp parses, else as printed. */
      readonly timestamp: string;
      readonly text: string;
    };

export function toRecords(ctx: DriverContext, lines: readonly string[], readIndex?: number): StoredRecord[] {
  const pdus = parseStoredPdus(lines, readIndex);
  if (pdus.length > 0 || ctx.smsMode === 'pdu') {
    return pdus.map((record) => {
      try {
        return { mode: 'pdu', index: record.index, stat: record.stat, hex: record.pdu, decoded: ctx.codec.decode(record.pdu, hintsOf(record)) };
      } catch (error) {
        if (!isAgentError(error)) throw error;
        return { mode: 'pdu', index: record.index, stat: record.stat, hex: record.pdu, decoded: undefined, error: error.message };
      }
    });
  }
  return parseStoredTexts(lines, readIndex).map((t) => ({
    mode: 'text',
    index: t.index,
    status: t.status,
    sender: t.sender,
    timestamp: textTimestampToIso(t.timestamp) ?? t.timestamp,
    text: t.text,
  }));
}

function hintsOf(record: { readonly length: number; readonly stat: number | undefined }): { tpduLength: number; stat?: number } {
  return { tpduLength: record.length, ...(record.stat !== undefined ? { stat: record.stat } : {}) };
}
