/**
 * The driver's SmsPduCodec on top of the 3GPP TS 23.040 codec in `src/modem/sms/`: maps the codec's full
 * decoded forms to the few fields the driver routes on, and the driver's send request to SMS-SUBMITs.
 */
import { decodeSmsPdu, encodeSubmit } from '../sms/index.js';
import type { DecodeHints, DecodedPdu, SmsPduCodec, SubmitPdu, SubmitRequest } from './smsCodec.js';

/** Default relative validity: 24 h (TP-VP 0xA7), as most SMS tools and the SIM800 transcripts send. */
const defaultValidityMinutes = 24 * 60;

export const smsPduCodec: SmsPduCodec = {
  encodeSubmit(request: SubmitRequest): SubmitPdu[] {
    const minutes = request.validityMinutes ?? defaultValidityMinutes;
    return encodeSubmit({
      destination: request.to,
      text: request.text,
      reference: request.concatReference,
      statusReportRequest: request.statusReport,
      validity: { relativeSeconds: minutes * 60 },
    }).map((part) => ({ hex: part.hex, tpduLength: part.tpduLength }));
  },

  decode(hex: string, hints: DecodeHints = {}): DecodedPdu {
    const pdu = decodeSmsPdu(hex, { ...(hints.tpduLength !== undefined ? { tpduLength: hints.tpduLength } : {}), ...(hints.stat !== undefined ? { stat: hints.stat } : {}) });
    switch (pdu.type) {
      case 'SMS-DELIVER': {
        const concat = pdu.userData.header?.concat;
        const invalid = concat === undefined ? pdu.userData.header?.elements.find((e) => e.type === 'raw' && (e.iei === 0x00 || e.iei === 0x08)) : undefined;
        const text = pdu.dcs.compressed ? undefined : pdu.userData.text;
        return {
          kind: 'deliver',
          sender: pdu.originator.value,
          smsc: pdu.smsc?.value,
          timestamp: pdu.scts ?? '',
          text,
          dataHex: text === undefined ? pdu.userData.data.toString('hex').toUpperCase() : undefined,
          concat: concat ? { reference: concat.reference, total: concat.total, sequence: concat.sequence } : undefined,
          ...(invalid?.type === 'raw' ? { invalidConcat: rawConcat(invalid.iei, invalid.data) } : {}),
          messageClass: pdu.dcs.messageClass,
        };
      }
      case 'SMS-STATUS-REPORT':
        return {
          kind: 'status-report',
          reference: pdu.mr,
          recipient: pdu.recipient.value,
          timestamp: pdu.scts ?? '',
          dischargeTime: pdu.dischargeTime ?? '',
          status: pdu.status.value,
        };
      case 'SMS-SUBMIT':
        return { kind: 'submit', destination: pdu.destination.value, text: pdu.userData.text };
    }
  },
};

/** The numbers of a concatenation element the UDH parser refused (8-bit reference for IEI 0x00, 16-bit for 0x08). */
function rawConcat(iei: number, data: Buffer): { reference: number; total: number; sequence: number } {
  const wide = iei === 0x08;
  return { reference: wide ? data.readUInt16BE(0) : (data[0] ?? 0), total: data[wide ? 2 : 1] ?? 0, sequence: data[wide ? 3 : 2] ?? 0 };
}
