/**
 * Sends built messages as plain SMS through the local modem (the fallback link): text reports and
 * plain messages in PDU mode through the driver (concatenated as needed); binary reports as 8-bit
 * SMS-SUBMITs with the application port in the UDH. References are the modem's TP-MRs.
 */
import { parseUdh, splitBinary } from '../../smpp/index.js';
import { encodeSubmitPdu, type SendRequest, type SendResult, type SubmitPdu } from '../../modem/index.js';
import type { BuiltMessage, MessageSender } from '../router/types.js';

/** What the sender needs of the modem: `ModemDriver` provides it. */
export interface ModemSms {
  sendSms(request: SendRequest): Promise<SendResult>;
  sendEncoded(parts: readonly SubmitPdu[], messageId?: string): Promise<number[]>;
}

export interface ModemSenderOptions {
  readonly port: number;
  readonly maxParts: number;
  readonly statusReports: boolean;
}

export class ModemSender implements MessageSender {
  constructor(
    private readonly modem: ModemSms,
    private readonly options: ModemSenderOptions,
  ) {}

  async send(message: BuiltMessage): Promise<readonly string[]> {
    const messageId = `m${message.messageId}`;
    if (message.format !== 'report-binary') {
      const text = typeof message.payload === 'string' ? message.payload : Buffer.from(message.payload).toString('utf8');
      const result = await this.modem.sendSms({ to: message.destination, text, statusReport: this.options.statusReports, messageId });
      return result.references.map(String);
    }
    const split = splitBinary(Buffer.from(message.payload), {
      method: 'udh8',
      reference: message.seq % 256,
      maxParts: this.options.maxParts,
      ports: { sourcePort: this.options.port, destinationPort: this.options.port },
    });
    const parts = split.parts.map((part) => {
      // splitBinary puts the UDH (ports, concatenation) in front of the data; the SMS-SUBMIT encoder takes its elements.
      const udh = part.esmClassUdhi ? parseUdh(part.shortMessage) : undefined;
      const pdu = encodeSubmitPdu({
        destination: message.destination,
        statusReportRequest: this.options.statusReports,
        userData: { data: part.shortMessage.subarray(udh?.headerLength ?? 0), header: udh?.elements ?? [] },
      });
      return { hex: pdu.hex, tpduLength: pdu.tpduLength };
    });
    return (await this.modem.sendEncoded(parts, messageId)).map(String);
  }
}
