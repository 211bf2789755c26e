/**
 * Sends built messages over the SMPP session: split into submit_sm parts (all through the session's
 * window at once), answered with one message_id per part. A part refused or unanswered fails the
 * whole message; the outbox re-sends it whole, with the same concatenation reference so the centre's
 * reassembler can complete it from either copy.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import type { Pdu, SplitMethod } from '../../smpp/index.js';
import { submitParts } from '../submitParts.js';
import type { BuiltMessage, MessageSender } from '../router/types.js';

/** What the sender needs of the SMPP link: `SmppClient` provides it. */
export interface SmppRequester {
  request(pdu: Pdu): Promise<Pdu>;
}

export interface SmppSenderOptions {
  readonly source: string;
  readonly split: SplitMethod;
  readonly port: number;
  readonly maxParts: number;
  /** Ask the SMSC for delivery receipts (when some kind requires them). */
  readonly receipts: boolean;
}

export class SmppSender implements MessageSender {
  constructor(
    private readonly link: SmppRequester,
    private readonly options: SmppSenderOptions,
  ) {}

  async send(message: BuiltMessage): Promise<readonly string[]> {
    const payload = message.format === 'report-binary' ? Buffer.from(message.payload) : textOf(message.payload);
    const parts = submitParts(payload, {
      source: this.options.source,
      destination: message.destination,
      split: this.options.split,
      // Derived from the sequence number: a re-send reuses it.
      reference: message.seq % (this.options.split === 'udh8' ? 256 : 65536),
      port: this.options.port,
      receipt: this.options.receipts,
      maxParts: this.options.maxParts,
    });
    const responses = await Promise.all(parts.map((part) => this.link.request(part)));
    return responses.map((response, index) => {
      if (response.command !== 'submit_sm_resp') {
        throw new AgentError(`part ${index + 1}: expected submit_sm_resp, got ${response.command}`, ErrorCode.Smpp_CommandFailed, { acknowledged: true });
      }
      if (response.command_status !== 0) {
        throw new AgentError(`part ${index + 1} refused`, ErrorCode.Smpp_CommandFailed, { acknowledged: true, commandStatus: response.command_status });
      }
      return response.message_id;
    });
  }
}

function textOf(payload: string | Uint8Array): string {
  return typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
}
