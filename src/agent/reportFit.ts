/**
 * Whether one reading or one plain SMS can ever leave: the same encoder and splitter the router and
 * the links use, on the reading alone, with the largest sequence number a message can carry. A reading
 * that fits alone always finds a message (the planner sends it alone if need be); one that does not
 * would wait forever. The door (door.ts) refuses such input; the router fails such rows alone
 * (Report_Unsendable) when they got into the outbox some other way.
 */
import { AgentError, ErrorCode, isAgentError } from '../errors.js';
import { buildMessage, encodeBinaryReport, encodeTextReport, maxSequence, partsNeeded, reportPartCapacity, type PartCapacity, type Reading, type ReportEncoding } from '../report/index.js';
import { splitText, type SplitMethod } from '../smpp/index.js';
import type { AgentConfig } from './config/index.js';

export interface ReportSizing {
  /** The device id or alias that reports carry. */
  readonly device: string;
  readonly maxParts: number;
  readonly capacity: Readonly<Record<ReportEncoding, PartCapacity>>;
  /** How plain SMS are split (the SMPP sender's method). */
  readonly split: SplitMethod;
}

/** The sizing the router and the door share, from the config. */
export function reportSizing(config: AgentConfig): ReportSizing {
  const split = config.smpp.split;
  return {
    device: config.device.alias ?? config.device.id,
    maxParts: config.reports.maxParts,
    capacity: {
      text: reportPartCapacity('text', { split: split === 'udh16' ? 'udh16' : split === 'udh8' ? 'udh8' : 'tlv' }),
      binary: reportPartCapacity('binary', { split: split === 'udh16' ? 'udh16' : 'udh8', portIn: 'udh' }),
    },
    split,
  };
}

/**
 * Throws unless the reading, alone in a message, encodes and fits `maxParts`: Report_TooLarge when it
 * is too big, Report_Malformed when the wire format cannot carry it (a field name, a value, the kind).
 */
export function checkReadingFits(reading: Reading, encoding: ReportEncoding, sizing: ReportSizing): void {
  const message = buildMessage(sizing.device, maxSequence, [reading]);
  let units: number;
  try {
    units = (encoding === 'text' ? encodeTextReport(message) : encodeBinaryReport(message)).length;
  } catch (cause) {
    if (isAgentError(cause)) throw cause;
    throw new AgentError(`report: the ${encoding} encoder refused the reading: ${String(cause)}`, ErrorCode.Report_Malformed, {}, { cause });
  }
  const parts = partsNeeded(units, sizing.capacity[encoding]);
  if (parts > sizing.maxParts) {
    throw new AgentError(
      `report: the reading needs ${parts} SMS parts alone (${units} ${encoding === 'text' ? 'characters' : 'octets'}); reports.maxParts is ${sizing.maxParts}`,
      ErrorCode.Report_TooLarge,
      { parts, maxParts: sizing.maxParts },
    );
  }
}

/** Throws unless a plain SMS splits as the SMPP sender splits it (GSM 7-bit) within `maxParts`. */
export function checkSmsFits(text: string, sizing: ReportSizing): void {
  try {
    const split = splitText(text, { encoding: 'gsm7', method: sizing.split, reference: 0, maxParts: sizing.maxParts });
    if (split.parts.length > sizing.maxParts) throw new AgentError(`SMS needs ${split.parts.length} parts; reports.maxParts is ${sizing.maxParts}`, ErrorCode.Report_TooLarge);
  } catch (cause) {
    if (isAgentError(cause) && cause.code === ErrorCode.Codec_UnencodableText) {
      throw new AgentError(`text: ${cause.message} (plain SMS go in the GSM 7-bit alphabet)`, ErrorCode.Store_InvalidInput, { field: 'text' }, { cause });
    }
    if (isAgentError(cause) && cause.code !== ErrorCode.Report_TooLarge) {
      throw new AgentError(`text: does not fit ${sizing.maxParts} SMS parts (reports.maxParts): ${cause.message}`, ErrorCode.Report_TooLarge, { field: 'text', maxParts: sizing.maxParts }, { cause });
    }
    throw cause;
  }
}
