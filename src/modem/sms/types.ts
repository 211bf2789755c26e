/** The decoded forms of the three TPDUs a modem hands us (3GPP TS 23.040 §9.2.2). */
import type { DataCodingScheme, ParsedUdh } from '../../smpp/index.js';
import type { SmsAddress } from './address.js';
import type { TpStatus } from './status.js';
import type { ValidityPeriod, ValidityPeriodFormat } from './validity.js';

export type SmsPduType = 'SMS-DELIVER' | 'SMS-SUBMIT' | 'SMS-STATUS-REPORT';

export interface SmsDcs extends DataCodingScheme {
  /** The TP-DCS octet as received. */
  value: number;
}

export interface SmsUserData {
  /** TP-UDL as received: septets for GSM 7-bit (header included), octets otherwise. */
  udl: number;
  /** The user data header when TP-UDHI is set. */
  header?: ParsedUdh;
  /** The text, for GSM 7-bit and UCS-2 that is not compressed. */
  text?: string;
  /**
   * The user data after the header: unpacked septets (one per octet) for GSM 7-bit, the octets
   * otherwise (8-bit data, compressed text, UCS-2).
   */
  data: Buffer;
}

interface SmsPduCommon {
  /** The SMSC prefix; undefined when absent (length octet 00). */
  smsc?: SmsAddress;
  firstOctet: number;
  /** TPDU octets (SMSC prefix excluded): the number AT+CMGS, +CMGR, +CMGL, +CMT and +CDS carry. */
  tpduLength: number;
  /** What was tolerated while decoding (trailing octets, a short user data, a reserved TP-MTI…), for logs. */
  warnings: string[];
}

export interface SmsDeliver extends SmsPduCommon {
  type: 'SMS-DELIVER';
  /** TP-MMS inverted: true when the SC has more messages waiting for this MS. */
  moreMessagesToSend: boolean;
  loopPrevention: boolean;
  statusReportIndication: boolean;
  udhi: boolean;
  replyPath: boolean;
  originator: SmsAddress;
  pid: number;
  dcs: SmsDcs;
  /** Service-centre time stamp, ISO 8601 with the sender network's offset; undefined when not a valid time. */
  scts?: string;
  userData: SmsUserData;
}

export interface SmsSubmit extends SmsPduCommon {
  type: 'SMS-SUBMIT';
  rejectDuplicates: boolean;
  validityPeriodFormat: ValidityPeriodFormat;
  statusReportRequest: boolean;
  udhi: boolean;
  replyPath: boolean;
  /** TP-MR (0–255); modems usually put their own in and return it in +CMGS. */
  mr: number;
  destination: SmsAddress;
  pid: number;
  dcs: SmsDcs;
  validity?: ValidityPeriod;
  userData: SmsUserData;
}

export interface SmsStatusReport extends SmsPduCommon {
  type: 'SMS-STATUS-REPORT';
  moreMessagesToSend: boolean;
  loopPrevention: boolean;
  /** TP-SRQ: a report on an SMS-SUBMIT (0) or on an SMS-COMMAND (1). */
  statusReportQualifier: 'submit' | 'command';
  udhi: boolean;
  /** TP-MR of the message this report is about. */
  mr: number;
  recipient: SmsAddress;
  scts?: string;
  /** TP-DT: when the SC delivered, or last tried to. */
  dischargeTime?: string;
  status: TpStatus;
  /** TP-PI when present, and the optional fields it announces. */
  parameterIndicator?: number;
  pid?: number;
  dcs?: SmsDcs;
  userData?: SmsUserData;
}

export type SmsPdu = SmsDeliver | SmsSubmit | SmsStatusReport;
