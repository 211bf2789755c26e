/**
 * One ESME connected to the simulator: bind checks, the requests an SMSC answers, and the
 * deliver_sm it sends back (MO and receipts) through a window of its own.
 */
import type { Socket } from 'node:net';
import {
  CommandStatus, Outbound, PduLink, createGenericNack, createPdu, createResponse, responseCommandFor, tlv,
  type BindMode, type CommandName, type Pdu, type PduOf, type SmppDecodeError,
} from '../../smpp/index.js';
import type { Logger } from '../../logger.js';
import type { SmscContext } from './context.js';
import { submitThrottle, type SubmitThrottle } from './throttle.js';
import { handleMessageRequest } from './requests.js';

const bindModes = { bind_transmitter: 'transmitter', bind_receiver: 'receiver', bind_transceiver: 'transceiver' } as const;
const faultDefaultCommands: readonly CommandName[] = ['submit_sm', 'submit_multi', 'data_sm'];

export class SmscConnection {
  systemId: string | undefined;
  bindMode: BindMode | undefined;
  /** interface_version the ESME bound with. */
  interfaceVersion = 0x34;
  received = 0;
  readonly link: PduLink;
  private readonly outbound: Outbound;
  private throttle: SubmitThrottle | undefined;

  constructor(
    socket: Socket,
    private readonly context: SmscContext,
    private readonly log: Logger,
  ) {
    this.link = new PduLink(socket, context.options.maxPduSize ?? 65_536, {
      pdu: (pdu) => this.receive(pdu),
      undecodable: (error) => this.undecodable(error),
      closed: () => {
        this.outbound.failAll('linkDropped');
        context.closed(this);
      },
    });
    this.outbound = new Outbound({
      window: context.options.window ?? 10,
      responseTimeoutMs: 10_000,
      maxPerSecond: undefined,
      throttleRetries: 3,
      clock: context.clock,
      send: (pdu) => this.link.send(pdu),
    });
  }

  get bound(): boolean {
    return this.bindMode !== undefined;
  }

  /** Can this bind receive deliver_sm? */
  get receives(): boolean {
    return this.bindMode === 'receiver' || this.bindMode === 'transceiver';
  }

  /** Sends a deliver_sm (MO or receipt) and resolves with the ESME's command_status. */
  async deliver(pdu: PduOf<'deliver_sm'> | PduOf<'data_sm'>): Promise<number> {
    const response = await this.outbound.request(pdu);
    return response.command_status;
  }

  close(): void {
    this.link.destroy();
  }

  private reply(pdu: Pdu): void {
    if (!this.link.closed) this.link.send(pdu);
  }

  private receive(pdu: Pdu): void {
    this.received++;
    this.context.observe(this, pdu);
    const faults = this.context.faults;
    if (faults.dropAfterPdus !== undefined && this.received >= faults.dropAfterPdus) {
      this.log.debug({ after: this.received }, 'fault: dropping the link');
      this.link.destroy();
      return;
    }
    if (pdu.command.endsWith('_resp') || pdu.command === 'generic_nack') {
      this.outbound.response(pdu);
      return;
    }
    if (faults.stopAnswering === true) return;
    const inject = faults.answerWith;
    if (inject !== undefined && (inject.commands ?? faultDefaultCommands).includes(pdu.command)) {
      this.answerError(pdu, inject.status);
      return;
    }
    this.answer(pdu);
  }

  private answer(pdu: Pdu): void {
    switch (pdu.command) {
      case 'bind_transmitter':
      case 'bind_receiver':
      case 'bind_transceiver':
        this.bind(pdu);
        return;
      case 'enquire_link':
        this.reply(createResponse(pdu));
        return;
      case 'unbind':
        this.reply(createResponse(pdu));
        this.context.unbound(this);
        this.bindMode = undefined;
        this.link.end();
        return;
      case 'submit_sm':
      case 'submit_multi':
      case 'data_sm':
      case 'query_sm':
      case 'cancel_sm':
      case 'replace_sm': {
        if (!this.bound || (this.bindMode === 'receiver' && pdu.command !== 'data_sm')) {
          this.reply(createResponse(pdu, CommandStatus.ESME_RINVBNDSTS));
          return;
        }
        const isSubmit = pdu.command === 'submit_sm' || pdu.command === 'submit_multi' || pdu.command === 'data_sm';
        if (isSubmit && this.throttle !== undefined && !this.throttle.take(this.context.clock.now())) {
          this.reply(createResponse(pdu, CommandStatus.ESME_RTHROTTLED));
          return;
        }
        const response = handleMessageRequest(pdu, this, this.context);
        if (isSubmit && this.interfaceVersion >= 0x50 && this.context.options.congestionState !== undefined) {
          response.tlvs.push(tlv('congestion_state', this.context.options.congestionState));
        }
        this.reply(response);
        return;
      }
      case 'outbind':
      case 'deliver_sm':
      case 'alert_notification':
      case 'broadcast_sm':
      case 'query_broadcast_sm':
      case 'cancel_broadcast_sm':
        // deliver_sm and outbind go from an SMSC to an ESME; broadcast is not simulated.
        this.reply(createGenericNack(CommandStatus.ESME_RINVCMDID, pdu.sequence_number));
        return;
      case 'bind_transmitter_resp':
      case 'bind_receiver_resp':
      case 'bind_transceiver_resp':
      case 'unbind_resp':
      case 'enquire_link_resp':
      case 'generic_nack':
      case 'submit_sm_resp':
      case 'deliver_sm_resp':
      case 'data_sm_resp':
      case 'submit_multi_resp':
      case 'query_sm_resp':
      case 'cancel_sm_resp':
      case 'replace_sm_resp':
      case 'broadcast_sm_resp':
      case 'query_broadcast_sm_resp':
      case 'cancel_broadcast_sm_resp':
        return; // handled above
    }
  }

  private answerError(pdu: Pdu, status: number): void {
    const response = responseCommandFor(pdu.command);
    if (response === undefined) return; // alert_notification and outbind have no response
    this.reply(createPdu(response, { command_status: status, sequence_number: pdu.sequence_number }));
  }

  private bind(pdu: PduOf<'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'>): void {
    const answer = (status: number): void => {
      const response = createResponse(pdu, status, { system_id: this.context.systemId });
      // v3.4 §5.3.2.25: sc_interface_version tells the ESME which TLVs it may use.
      if (status === CommandStatus.ESME_ROK && pdu.interface_version >= 0x34) response.tlvs.push(tlv('sc_interface_version', this.context.interfaceVersion));
      this.reply(response);
    };
    if (this.bound) return answer(CommandStatus.ESME_RALYBND);
    const account = this.context.options.accounts.find((a) => a.systemId === pdu.system_id);
    if (account === undefined) return answer(CommandStatus.ESME_RINVSYSID);
    if (account.password !== pdu.password) return answer(CommandStatus.ESME_RINVPASWD);
    this.systemId = pdu.system_id;
    this.bindMode = bindModes[pdu.command];
    this.interfaceVersion = pdu.interface_version;
    const perSecond = this.context.options.throttlePerSecond;
    if (perSecond !== undefined) this.throttle = submitThrottle(perSecond, this.context.options.throttleWindow ?? 'sliding', this.context.clock.now());
    answer(CommandStatus.ESME_ROK);
    this.context.bound(this);
  }

  private undecodable(error: SmppDecodeError): void {
    this.log.debug({ err: error.message }, 'undecodable PDU from ESME');
    if (error.commandId !== undefined && (error.commandId & 0x80000000) !== 0) return;
    this.reply(createGenericNack(error.commandStatus, error.sequenceNumber ?? 0));
  }
}
