/**
 * One ESME session over one connection: connect, bind, requests through the window,
 * enquire_link, inbound deliver_sm/data_sm, unbind, close. Single use: after `closed` a new
 * session is made (SmppClient does that, with back-off), so no state leaks from a dead link
 * into the next one — including the sequence numbers.
 *
 * Observability costs nothing when unused: `pdu` events are built only with a listener, and
 * PDU hex is produced only when pino's trace level is on (checked once, at construction).
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import {
  CommandStatus, createGenericNack, createPdu, createResponse, getTlv, receiptFromPdu, isResponse,
  commandStatusName, redactPduBytes, type DataSm, type DeliverSm, type DeliveryReceipt, type Pdu, type PduFields, type PduOf, type SmppDecodeError,
} from '../codec/index.js';
import { AgentError, ErrorCode } from '../../errors.js';
import { openSocket, type OpenedSocket } from './connect.js';
import { commandFailed, describeBindRefusal } from './errors.js';
import { inboundKind } from './inboundKind.js';
import { KeepAlive } from './keepAlive.js';
import type { SessionLogger } from './logging.js';
import { PduLink, type SocketEnds } from './link.js';
import { resolveSessionOptions, type ResolvedSessionOptions, type SessionOptions } from './options.js';
import { Outbound } from './outbound.js';
import { transition, type SessionEvent, type SessionState } from './state.js';
import { withoutV5Tlvs } from './versions.js';

export type InboundMessage = DeliverSm | DataSm;

/** Decides the command_status of the deliver_sm_resp / data_sm_resp (ESME_ROK, or e.g. ESME_RX_T_APPN to have the SMSC retry). */
export type InboundHandler = (message: InboundMessage, receipt: DeliveryReceipt | undefined) => number | Promise<number>;

export interface BindInfo {
  /** The SMSC's system_id from the bind response. */
  readonly smscSystemId: string;
  /** The version both sides speak: the lower of ours and the SMSC's sc_interface_version (0x34 when it sends none). */
  readonly interfaceVersion: number;
}

export interface SessionEvents {
  state: [{ from: SessionState; to: SessionState }];
  /**
   * Every PDU as it crossed the wire, decoded and as bytes. `bytes` of an incoming response may be
   * a view of a read buffer that is reused after the listener returns: copy what you keep.
   */
  pdu: [{ dir: 'in' | 'out'; pdu: Pdu; bytes: Buffer }];
  bound: [BindInfo];
  inbound: [InboundMessage];
  receipt: [DeliveryReceipt, InboundMessage];
  alert: [PduOf<'alert_notification'>];
  /** `bytes`: the PDU as it came (undefined when it was too large and skipped); may be a reused buffer, as for `pdu`. */
  undecodable: [SmppDecodeError, Buffer | undefined];
  throttle: [{ status: number; rate: number; window: number }];
  closed: [AgentError | undefined];
}

export interface SmppSessionOptions extends SessionOptions {
  readonly onInbound?: InboundHandler;
}

const bindCommands = { transmitter: 'bind_transmitter', receiver: 'bind_receiver', transceiver: 'bind_transceiver' } as const;

export class SmppSession extends EventEmitter<SessionEvents> {
  readonly options: ResolvedSessionOptions;
  private current: SessionState = 'closed';
  private link: PduLink | undefined;
  private readonly outbound: Outbound;
  private readonly log: SessionLogger;
  private readonly trace: boolean;
  private readonly onInbound: InboundHandler | undefined;
  private readonly keepAlive: KeepAlive;
  private negotiated = 0x34;
  private closedPromise: Promise<void> | undefined;
  private resolveClosed: (() => void) | undefined;

  constructor(options: SmppSessionOptions) {
    super();
    this.options = resolveSessionOptions(options);
    this.onInbound = options.onInbound;
    this.log = this.options.logger.child({ mod: 'smpp', link: this.options.name });
    this.trace = this.log.isLevelEnabled('trace');
    this.outbound = new Outbound({
      window: this.options.window,
      refillBatch: this.options.refillBatch,
      responseTimeoutMs: this.options.responseTimeoutMs,
      maxPerSecond: this.options.maxPerSecond,
      throttleRetries: this.options.throttleRetries,
      clock: this.options.clock,
      send: (pdu) => this.send(pdu),
      onThrottle: (status, rate) => {
        this.log.debug({ status: commandStatusName(status), rate, window: this.outbound.windowSize }, 'SMSC asked to slow down');
        this.emit('throttle', { status, rate, window: this.outbound.windowSize });
      },
    });
    this.keepAlive = new KeepAlive(this.options.clock, this.options.enquireLinkMs, () => this.outbound.control(createPdu('enquire_link')), (reason, cause) => {
      if (this.current !== 'bound') return;
      const error = reason === 'stalled' && cause instanceof AgentError
        ? cause
        : new AgentError('enquire_link not answered: the link is dead', ErrorCode.Smpp_ResponseTimeout, {}, { cause });
      this.log.debug({ err: error.message }, 'link is dead');
      this.destroy(error);
    }, this.options.responseTimeoutMs);
  }

  get state(): SessionState {
    return this.current;
  }

  /** Negotiated interface version (valid once bound). */
  get interfaceVersion(): number {
    return this.negotiated;
  }

  get inFlight(): number {
    return this.outbound.inFlight;
  }

  get queued(): number {
    return this.outbound.queued;
  }

  /** The allowed send rate now, messages/s (Infinity when unlimited). */
  get currentRate(): number {
    return this.outbound.rate.currentRate;
  }

  /** Connects and binds. Rejects with Smpp_BindFailed (context.commandStatus) when the SMSC refuses. */
  async connect(): Promise<BindInfo> {
    this.move('connect');
    let opened: OpenedSocket;
    try {
      opened = await openSocket(this.options.endpoint, this.options.connectTimeoutMs, this.options.clock);
    } catch (error) {
      this.move('closed');
      this.emit('closed', error as AgentError);
      throw error;
    }
    if (this.state !== 'connecting') {
      // close() or destroy() was called while the socket was opening.
      opened.socket.destroy();
      throw new AgentError('session closed while connecting', ErrorCode.Smpp_Closing);
    }
    this.attach(opened.socket, opened.onRead);
    this.move('connected');
    return this.bind();
  }

  /**
   * Takes a connection the SMSC opened to us and waits for its outbind (v3.4 §4.1.7), then binds
   * on it. The SMSC's system_id and password in the outbind must match ours.
   */
  async acceptOutbind(socket: Socket): Promise<BindInfo> {
    this.move('connect');
    const outbind = new Promise<PduOf<'outbind'>>((resolve, reject) => {
      this.outbindWaiter = { resolve, reject };
    });
    this.attach(socket);
    const timer = this.options.clock.setTimeout(() => this.outbindWaiter?.reject(
      new AgentError(`no outbind within ${this.options.responseTimeoutMs} ms`, ErrorCode.Smpp_ResponseTimeout)), this.options.responseTimeoutMs);
    try {
      const pdu = await outbind;
      if (pdu.system_id !== this.options.systemId || pdu.password !== this.options.password) {
        throw new AgentError(`outbind from '${pdu.system_id}' refused: system_id or password does not match`, ErrorCode.Smpp_BindFailed,
          { systemId: pdu.system_id });
      }
    } catch (error) {
      this.link?.destroy(error as AgentError);
      throw error;
    } finally {
      this.options.clock.clearTimeout(timer);
      this.outbindWaiter = undefined;
    }
    this.move('outbind');
    return this.bind();
  }

  private outbindWaiter: { resolve: (pdu: PduOf<'outbind'>) => void; reject: (error: AgentError) => void } | undefined;

  /**
   * Sends a request through the window; resolves with its response whatever the command_status
   * (or a generic_nack). Rejects with a not-acknowledged AgentError when the link drops, the
   * session closes, or no answer comes in time. `sent` is told when it goes on the wire (after
   * any wait for the window or the rate), for latency measurements.
   */
  request(pdu: Pdu, sent?: () => void): Promise<Pdu> {
    if (this.current !== 'bound') {
      return Promise.reject(new AgentError(`cannot send ${pdu.command}: session is ${this.current}`, ErrorCode.Smpp_NotBound,
        { acknowledged: false, sent: false, reason: 'notBound', command: pdu.command }));
    }
    return this.outbound.request(pdu, sent);
  }

  /** submit_sm: resolves with the SMSC's message_id; rejects Smpp_CommandFailed on a non-zero status. */
  async submit(fields: PduFields<'submit_sm'>): Promise<PduOf<'submit_sm_resp'>> {
    const request = createPdu('submit_sm', fields);
    const response = await this.request(request);
    if (response.command !== 'submit_sm_resp' || response.command_status !== CommandStatus.ESME_ROK) throw commandFailed(request, response);
    return response;
  }

  /**
   * Graceful close: no new requests, the window drains (bounded by drainTimeoutMs), unbind,
   * then the socket closes. Resolves when it is closed.
   */
  async close(): Promise<void> {
    if (this.current === 'closed') return;
    const closed = this.whenClosed();
    if (this.current === 'bound' || this.current === 'binding') {
      this.outbound.stopAccepting();
      const drained = await this.outbound.whenDrained(this.options.drainTimeoutMs);
      if (!drained) this.log.warn({ inFlight: this.outbound.inFlight }, 'closing with requests still unanswered');
      if (this.current === 'bound' || this.current === 'binding') {
        this.move('unbind');
        try {
          await this.outbound.control(createPdu('unbind'));
        } catch {
          // No unbind_resp: closing anyway is all that is left to do.
        }
      }
    }
    if (this.link !== undefined && !this.link.closed) {
      this.link.end();
      // A peer that never closes its side does not hold us open.
      const timer = this.options.clock.setTimeout(() => this.link?.destroy(), this.options.responseTimeoutMs);
      await closed;
      this.options.clock.clearTimeout(timer);
    } else if (this.state !== 'closed') {
      this.teardown(undefined);
    }
  }

  /** Closes at once: every pending request fails as not acknowledged. */
  destroy(error?: AgentError): void {
    if (this.link !== undefined && !this.link.closed) this.link.destroy(error);
    else if (this.current !== 'closed') this.teardown(error);
  }

  /** Resolves when the session reaches `closed`. */
  whenClosed(): Promise<void> {
    if (this.current === 'closed' && this.link?.closed !== false) return Promise.resolve();
    this.closedPromise ??= new Promise<void>((resolve) => {
      this.resolveClosed = resolve;
    });
    return this.closedPromise;
  }

  /** The socket's two ends while connected (for captures), else undefined. */
  get endpoints(): SocketEnds | undefined {
    return this.link?.endpoints;
  }

  /** Raw bytes onto the wire (tests and fault injection). */
  writeRaw(bytes: Buffer): void {
    this.link?.write(bytes);
  }

  private async bind(): Promise<BindInfo> {
    const o = this.options;
    const command = bindCommands[o.bindMode];
    const request = createPdu(command, {
      system_id: o.systemId, password: o.password, system_type: o.systemType, interface_version: o.interfaceVersion,
      addr_ton: o.addrTon, addr_npi: o.addrNpi, address_range: o.addressRange,
    });
    let response: Pdu;
    try {
      response = await this.outbound.control(request);
    } catch (error) {
      this.destroy(error as AgentError);
      throw error;
    }
    if (response.command_status !== CommandStatus.ESME_ROK || response.command === 'generic_nack') {
      const status = response.command_status;
      const error = new AgentError(`bind refused by the SMSC: ${commandStatusName(status)}${describeBindRefusal(status)}`, ErrorCode.Smpp_BindFailed,
        { commandStatus: status, statusName: commandStatusName(status), systemId: o.systemId });
      this.destroy(error);
      throw error;
    }
    const sc = getTlv(response, 'sc_interface_version');
    this.negotiated = Math.min(o.interfaceVersion, typeof sc === 'number' ? sc : 0x34);
    const info: BindInfo = { smscSystemId: 'system_id' in response ? response.system_id : '', interfaceVersion: this.negotiated };
    this.move('bound');
    this.keepAlive.start();
    this.log.debug({ smsc: info.smscSystemId, version: this.negotiated.toString(16), mode: o.bindMode }, 'bound');
    this.emit('bound', info);
    return info;
  }

  private attach(socket: Socket, onRead?: OpenedSocket['onRead']): void {
    this.link = new PduLink(socket, this.options.maxPduSize, {
      progress: (completed, pending) => this.keepAlive.progress(completed, pending),
      pdu: (pdu, bytes) => this.receive(pdu, bytes),
      undecodable: (error, bytes) => this.undecodable(error, bytes),
      closed: (error) => this.teardown(error),
    }, onRead);
  }

  private send(pdu: Pdu): void {
    const link = this.link;
    if (link === undefined) throw new AgentError(`cannot send ${pdu.command}: no link`, ErrorCode.Smpp_NotBound);
    const out = this.negotiated < 0x50 && pdu.tlvs.length > 0 ? withoutV5Tlvs(pdu) : pdu;
    const bytes = link.send(out);
    if (this.trace) this.log.trace({ dir: 'out', command: pdu.command, seq: pdu.sequence_number, hex: Buffer.from(redactPduBytes(bytes)).toString('hex') }, 'pdu');
    if (this.listenerCount('pdu') > 0) this.emit('pdu', { dir: 'out', pdu: out, bytes });
  }

  private receive(pdu: Pdu, bytes: Buffer): void {
    if (this.trace) this.log.trace({ dir: 'in', command: pdu.command, seq: pdu.sequence_number, hex: Buffer.from(redactPduBytes(bytes, { messages: true })).toString('hex') }, 'pdu');
    if (this.listenerCount('pdu') > 0) this.emit('pdu', { dir: 'in', pdu, bytes });
    if (isResponse(commandIdOf(bytes))) {
      if (!this.outbound.response(pdu)) this.log.debug({ command: pdu.command, seq: pdu.sequence_number }, 'response to no request of ours; ignored');
      return;
    }
    this.answerRequest(pdu);
  }

  private answerRequest(pdu: Pdu): void {
    switch (inboundKind[pdu.command]) {
      case 'enquireLink':
        this.reply(createPdu('enquire_link_resp', { sequence_number: pdu.sequence_number }));
        return;
      case 'unbind':
        this.reply(createPdu('unbind_resp', { sequence_number: pdu.sequence_number }));
        if (this.current === 'bound' || this.current === 'binding') this.move('unbind');
        this.outbound.failAll('linkDropped');
        this.link?.end();
        return;
      case 'message':
        this.inbound(pdu as InboundMessage);
        return;
      case 'outbind':
        if (this.outbindWaiter !== undefined) this.outbindWaiter.resolve(pdu as PduOf<'outbind'>);
        else this.reply(createGenericNack(CommandStatus.ESME_RINVBNDSTS, pdu.sequence_number));
        return;
      case 'alert':
        this.emit('alert', pdu as PduOf<'alert_notification'>);
        return;
      case 'notForEsme':
        this.reply(createGenericNack(CommandStatus.ESME_RINVCMDID, pdu.sequence_number));
        return;
      case 'response':
        return; // matched before this switch
    }
  }

  private inbound(pdu: InboundMessage): void {
    if (this.options.bindMode === 'transmitter') {
      this.reply(createResponse(pdu, CommandStatus.ESME_RINVBNDSTS));
      return;
    }
    const receipt = receiptFromPdu(pdu);
    this.emit('inbound', pdu);
    if (receipt !== undefined) this.emit('receipt', receipt, pdu);
    const handler = this.onInbound;
    if (handler === undefined) {
      this.reply(createResponse(pdu, CommandStatus.ESME_ROK));
      return;
    }
    let decided: number | Promise<number>;
    try {
      decided = handler(pdu, receipt);
    } catch (error) {
      this.log.warn({ err: error }, 'inbound handler failed; asking the SMSC to retry');
      decided = CommandStatus.ESME_RX_T_APPN;
    }
    if (typeof decided === 'number') {
      this.reply(createResponse(pdu, decided));
      return;
    }
    decided.then(
      (status) => this.reply(createResponse(pdu, status)),
      (error: unknown) => {
        this.log.warn({ err: error }, 'inbound handler failed; asking the SMSC to retry');
        this.reply(createResponse(pdu, CommandStatus.ESME_RX_T_APPN));
      },
    );
  }

  private undecodable(error: SmppDecodeError, bytes: Buffer | undefined): void {
    this.log.debug({ err: error.message, status: commandStatusName(error.commandStatus), hex: this.trace && bytes !== undefined ? Buffer.from(redactPduBytes(bytes, { messages: true })).toString('hex') : undefined },
      'undecodable PDU answered with generic_nack');
    this.emit('undecodable', error, bytes);
    // A response we cannot read is not answered (v3.4 §2.7: responses are never nacked); its request will time out.
    if (error.commandId !== undefined && isResponse(error.commandId)) return;
    this.reply(createGenericNack(error.commandStatus, error.sequenceNumber ?? 0));
  }

  private reply(pdu: Pdu): void {
    if (this.link === undefined || this.link.closed) return;
    try {
      this.send(pdu);
    } catch (error) {
      this.log.warn({ err: error, command: pdu.command }, 'could not encode a response');
    }
  }

  private teardown(error: AgentError | undefined): void {
    this.keepAlive.stop();
    const reason = this.current === 'unbinding' ? 'closing' : 'linkDropped';
    this.outbound.failAll(reason, error);
    this.outbound.stopAccepting();
    this.outbindWaiter?.reject(error ?? new AgentError('link closed before outbind', ErrorCode.Smpp_ConnectionClosed));
    if (this.current !== 'closed') {
      this.move('closed');
      this.log.debug({ err: error?.message }, 'closed');
      this.emit('closed', error);
    }
    this.resolveClosed?.();
  }

  private move(event: SessionEvent): void {
    const next = transition(this.current, event);
    if (next === undefined) throw new AgentError(`session cannot '${event}' while ${this.current}`, ErrorCode.Smpp_NotBound, { state: this.current, event });
    const from = this.current;
    this.current = next;
    if (from !== next) {
      this.log.debug({ from, to: next }, 'state');
      this.emit('state', { from, to: next });
    }
  }
}

function commandIdOf(bytes: Buffer): number {
  return bytes.readUInt32BE(4);
}
