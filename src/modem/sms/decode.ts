/**
 * Decoding SMS PDUs as modems give them in PDU mode (+CMGR, +CMGL, +CMT, +CDS): the SMSC
 * prefix, then the TPDU. Garbage fails with AgentError(Modem_InvalidPdu) and nothing else;
 * oddities that real networks send (a TP-UDL longer than the data, trailing octets, a reserved
 * TP-MTI, an invalid time stamp) are tolerated and listed in `warnings`.
 */
import { AgentError, ErrorCode, isAgentError, parseDcs } from './deps.js';
import { decodeSmscAddress, decodeTpAddress, type SmsAddress } from './address.js';
import { hexToPduBytes, invalidPdu, PduReader } from './reader.js';
import { describeStatus } from './status.js';
import { decodeTimestamp } from './timestamp.js';
import type { SmsDcs, SmsDeliver, SmsPdu, SmsStatusReport, SmsSubmit } from './types.js';
import { decodeUserData } from './userData.js';
import { decodeValidity, validityLength, VPF_NAMES } from './validity.js';

export interface DecodeSmsOptions {
  /**
   * TPDU length from the AT header (+CMGR: …,N / +CMT: ,N / +CDS: N). When given, it is checked,
   * and a PDU without the SMSC prefix (some modems drop it) is recognised by its length.
   */
  tpduLength?: number;
  /** False when the octets are a bare TPDU with no SMSC prefix. Default true. */
  hasSmsc?: boolean;
  /**
   * The <stat> of +CMGR / +CMGL (27.005: 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT). Some
   * phones store received messages with TP-MTI 01; the storage status says what the message is.
   */
  stat?: number;
}

/** Decodes hex (as printed by the modem) or octets. Throws only AgentError(Modem_InvalidPdu). */
export function decodeSmsPdu(input: string | Uint8Array, options: DecodeSmsOptions = {}): SmsPdu {
  try {
    const bytes = typeof input === 'string' ? hexToPduBytes(input) : Buffer.from(input);
    return decodeBytes(bytes, options);
  } catch (e) {
    if (isAgentError(e) && e.code === ErrorCode.Modem_InvalidPdu) throw e;
    // A codec error below (or a bug) must still reach the caller as the one documented error.
    throw new AgentError(`SMS PDU could not be decoded: ${e instanceof Error ? e.message : String(e)}`, ErrorCode.Modem_InvalidPdu, {}, { cause: e });
  }
}

function decodeBytes(bytes: Buffer, options: DecodeSmsOptions): SmsPdu {
  const warnings: string[] = [];
  let hasSmsc = options.hasSmsc ?? true;
  const { tpduLength } = options;
  if (tpduLength !== undefined && hasSmsc) {
    const smscOctets = 1 + (bytes[0] ?? 0);
    if (bytes.length === tpduLength && smscOctets + tpduLength !== bytes.length) {
      hasSmsc = false;
      warnings.push('PDU has no SMSC prefix (its length equals the TPDU length)');
    } else if (smscOctets + tpduLength !== bytes.length) {
      warnings.push(`AT length ${tpduLength} does not match the PDU (${bytes.length - smscOctets} TPDU octets)`);
    }
  }
  const reader = new PduReader(bytes);
  const smsc = hasSmsc ? decodeSmscAddress(reader) : undefined;
  const tpduStart = reader.position;
  const firstOctet = reader.octet('first octet');
  const common = { firstOctet, tpduLength: bytes.length - tpduStart, warnings, ...(smsc === undefined ? {} : { smsc }) };
  const mti = firstOctet & 0x03;
  const received = options.stat === 0 || options.stat === 1;
  const storedOutgoing = options.stat === 2 || options.stat === 3;
  switch (mti) {
    case 0:
      if (storedOutgoing) {
        warnings.push(`TP-MTI says SMS-DELIVER but <stat> ${options.stat} is an outgoing message; read as SMS-SUBMIT`);
        return decodeSubmit(reader, common);
      }
      return decodeDeliver(reader, common);
    case 1: {
      if (received) {
        warnings.push(`TP-MTI says SMS-SUBMIT but <stat> ${options.stat} is a received message; read as SMS-DELIVER`);
        return decodeDeliver(reader, common);
      }
      const before = [...warnings];
      return withFallback(
        () => decodeSubmit(reader, common),
        // Without a <stat>, a TPDU that is no valid SMS-SUBMIT may still be a mis-flagged SMS-DELIVER;
        // only a reading without any oddity (valid time stamp, exact length) is believed.
        () => {
          const deliver = decodeDeliver(new PduReader(bytes.subarray(tpduStart + 1)), { ...common, warnings: [] });
          if (deliver.warnings.length > 0 || deliver.scts === undefined) throw invalidPdu('not a clean SMS-DELIVER either');
          deliver.warnings.push(...before, 'not a valid SMS-SUBMIT; read as SMS-DELIVER');
          return deliver;
        },
        options.stat === undefined,
      );
    }
    case 2:
      return decodeStatusReport(reader, common);
    default:
      // 23.040 §9.2.3.1: an MS treats a reserved TP-MTI as SMS-DELIVER.
      warnings.push('reserved TP-MTI 3 read as SMS-DELIVER');
      return decodeDeliver(reader, common);
  }
}

function withFallback(primary: () => SmsPdu, fallback: () => SmsPdu, allowed: boolean): SmsPdu {
  try {
    return primary();
  } catch (e) {
    if (!allowed) throw e;
    try {
      return fallback();
    } catch {
      throw e; // the first reading's error says more about what is wrong
    }
  }
}

interface Common {
  smsc?: SmsAddress;
  firstOctet: number;
  tpduLength: number;
  warnings: string[];
}

function decodeDeliver(reader: PduReader, common: Common): SmsDeliver {
  const fo = common.firstOctet;
  const originator = decodeTpAddress(reader, 'TP-OA');
  const pid = reader.octet('TP-PID');
  const dcs = readDcs(reader.octet('TP-DCS'));
  const scts = readTimestamp(reader, 'TP-SCTS', common.warnings);
  const udl = reader.octet('TP-UDL');
  const udhi = (fo & 0x40) !== 0;
  const userData = decodeUserData(reader.rest(), udl, dcs.alphabet, { udhi, compressed: dcs.compressed }, common.warnings);
  return {
    type: 'SMS-DELIVER',
    ...common,
    moreMessagesToSend: (fo & 0x04) === 0,
    loopPrevention: (fo & 0x08) !== 0,
    statusReportIndication: (fo & 0x20) !== 0,
    udhi,
    replyPath: (fo & 0x80) !== 0,
    originator,
    pid,
    dcs,
    ...(scts === undefined ? {} : { scts }),
    userData,
  };
}

function decodeSubmit(reader: PduReader, common: Common): SmsSubmit {
  const fo = common.firstOctet;
  const mr = reader.octet('TP-MR');
  const destination = decodeTpAddress(reader, 'TP-DA');
  const pid = reader.octet('TP-PID');
  const dcs = readDcs(reader.octet('TP-DCS'));
  const validityPeriodFormat = VPF_NAMES[(fo >> 3) & 0x03] ?? 'none';
  const validity = decodeValidity(validityPeriodFormat, reader.take(validityLength(validityPeriodFormat), 'TP-VP'));
  const udl = reader.octet('TP-UDL');
  const udhi = (fo & 0x40) !== 0;
  const userData = decodeUserData(reader.rest(), udl, dcs.alphabet, { udhi, compressed: dcs.compressed }, common.warnings);
  return {
    type: 'SMS-SUBMIT',
    ...common,
    rejectDuplicates: (fo & 0x04) !== 0,
    validityPeriodFormat,
    statusReportRequest: (fo & 0x20) !== 0,
    udhi,
    replyPath: (fo & 0x80) !== 0,
    mr,
    destination,
    pid,
    dcs,
    ...(validity === undefined ? {} : { validity }),
    userData,
  };
}

function decodeStatusReport(reader: PduReader, common: Common): SmsStatusReport {
  const fo = common.firstOctet;
  const mr = reader.octet('TP-MR');
  const recipient = decodeTpAddress(reader, 'TP-RA');
  const scts = readTimestamp(reader, 'TP-SCTS', common.warnings);
  const dischargeTime = readTimestamp(reader, 'TP-DT', common.warnings);
  const status = describeStatus(reader.octet('TP-ST'));
  const udhi = (fo & 0x40) !== 0;
  const report: SmsStatusReport = {
    type: 'SMS-STATUS-REPORT',
    ...common,
    moreMessagesToSend: (fo & 0x04) === 0,
    loopPrevention: (fo & 0x08) !== 0,
    statusReportQualifier: (fo & 0x20) !== 0 ? 'command' : 'submit',
    udhi,
    mr,
    recipient,
    ...(scts === undefined ? {} : { scts }),
    ...(dischargeTime === undefined ? {} : { dischargeTime }),
    status,
  };
  if (reader.remaining === 0) return report;
  // TP-PI and the optional fields it announces (§9.2.3.27). Reserved bits are ignored; a PI whose
  // fields are missing is tolerated, as some SCs pad reports.
  const pi = reader.octet('TP-PI');
  report.parameterIndicator = pi;
  if (pi & 0x80) {
    common.warnings.push('TP-PI extension octets ignored');
    return report;
  }
  if (pi & 0x01) {
    if (reader.remaining < 1) return missing(report, 'TP-PID');
    report.pid = reader.octet('TP-PID');
  }
  if (pi & 0x02) {
    if (reader.remaining < 1) return missing(report, 'TP-DCS');
    report.dcs = readDcs(reader.octet('TP-DCS'));
  }
  if (pi & 0x04) {
    if (reader.remaining < 1) return missing(report, 'TP-UDL');
    const udl = reader.octet('TP-UDL');
    const dcs = report.dcs ?? readDcs(0);
    report.userData = decodeUserData(reader.rest(), udl, dcs.alphabet, { udhi, compressed: dcs.compressed }, common.warnings);
  }
  if (reader.remaining > 0) common.warnings.push(`${reader.remaining} octets after the status report ignored`);
  return report;
}

function missing(report: SmsStatusReport, field: string): SmsStatusReport {
  report.warnings.push(`TP-PI announces ${field} but the PDU ends`);
  return report;
}

function readDcs(value: number): SmsDcs {
  return { value, ...parseDcs(value) };
}

function readTimestamp(reader: PduReader, what: string, warnings: string[]): string | undefined {
  const octets = reader.take(7, what);
  const time = decodeTimestamp(octets);
  if (time === undefined) warnings.push(`${what} ${octets.toString('hex').toUpperCase()} is not a valid time`);
  return time;
}

