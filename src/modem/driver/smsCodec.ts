/**
 * The narrow interface the driver needs from the 3GPP TS 23.040 PDU codec (`src/modem/sms/`): encode an
 * SMS-SUBMIT (split and concatenated), decode what the modem hands us. Keeping it narrow lets the driver be
 * tested on its own and keeps the codec free of any AT knowledge.
 */

export interface SubmitRequest {
  /** Destination: `+27821234567` (international) or a national / short number. */
  readonly to: string;
  readonly text: string;
  /** Set TP-SRR so the SMSC sends a status report. */
  readonly statusReport: boolean;
  /** Concatenation reference for multi-part messages (0..255), chosen by the driver per message. */
  readonly concatReference: number;
  /** Relative validity period in minutes, if any. */
  readonly validityMinutes?: number;
}

export interface SubmitPdu {
  /** Hex as written after the prompt, SMSC field included (`00` = use the SIM's SMSC). */
  readonly hex: string;
  /** TPDU octets (without the SMSC field): the number in AT+CMGS=<n>. */
  readonly tpduLength: number;
}

export interface Concatenation {
  readonly reference: number;
  readonly total: number;
  readonly sequence: number;
}

export interface DecodedDeliver {
  readonly kind: 'deliver';
  readonly sender: string;
  readonly smsc: string | undefined;
  /** Service-centre time stamp, ISO 8601 with the sender's offset (`2013-03-08T15:02:16+02:00`). */
  readonly timestamp: string;
  /** Decoded text for GSM-7 and UCS2; undefined for 8-bit data. */
  readonly text: string | undefined;
  /** User data (without UDH) as hex, for 8-bit data. */
  readonly dataHex: string | undefined;
  readonly concat: Concatenation | undefined;
  /**
   * A concatenation element whose numbers cannot be right (part 0, a part above the total, a total of 0): the
   * UDH parser sets it aside as 23.040 allows, but the part it came with cannot be placed in any message.
   */
  readonly invalidConcat?: Concatenation;
  readonly messageClass: number | undefined;
}

export interface DecodedStatusReport {
  readonly kind: 'status-report';
  readonly reference: number;
  readonly recipient: string;
  readonly timestamp: string;
  readonly dischargeTime: string;
  /** TP-ST: 0x00-0x1F completed, 0x20-0x3F still trying, 0x40-0x7F failed. */
  readonly status: number;
}

export interface DecodedSubmit {
  readonly kind: 'submit';
  readonly destination: string;
  readonly text: string | undefined;
}

export type DecodedPdu = DecodedDeliver | DecodedStatusReport | DecodedSubmit;

export interface DecodeHints {
  /** TPDU octets from +CMGR/+CMGL/+CMT/+CDS: lets the codec spot a PDU sent without its SMSC prefix. */
  readonly tpduLength?: number;
  /** 27.005 <stat>: some phones store received messages with a SUBMIT TP-MTI; the storage status says what it is. */
  readonly stat?: number;
}

export interface SmsPduCodec {
  /** One PDU per part; throws AgentError for text that cannot be sent. */
  encodeSubmit(request: SubmitRequest): SubmitPdu[];
  /**
   * Decodes a PDU as exchanged over AT (SMSC field first); throws AgentError(Modem_InvalidPdu) on garbage.
   * `hints` are what the AT header said: the TPDU length and the storage <stat>.
   */
  decode(hex: string, hints?: DecodeHints): DecodedPdu;
}
