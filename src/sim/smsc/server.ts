/**
 * The SMSC simulator: a TCP server speaking the server side of SMPP with our own codec, for the
 * demo, the tests and users' own testing. Accounts, bind modes, message ids, delivery receipts
 * after a delay, MO injection, per-bind throttling, and faults (drop, hang, reject) switchable
 * while it runs.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import {
  CommandStatus, MessageState, createPdu, formatReceipt, messageStateForStat, systemClock, tlv,
  type Clock, type Pdu, type PduFields, type PduOf, type ReceiptStat,
} from '../../smpp/index.js';
import { AgentError, ErrorCode } from '../../errors.js';
import { childLogger, silentLogger, type Logger } from '../../logger.js';
import { SmscConnection } from './connection.js';
import type { SmscContext } from './context.js';
import { MessageStore, type StoredMessage } from './messageStore.js';
import type { SmscFaults, SmscOptions } from './options.js';

/** Receipts held per account while no receiver is bound. */
const maxWaitingReceipts = 10_000;

export interface SmscEvents {
  connection: [SmscConnection];
  bound: [SmscConnection];
  unbound: [SmscConnection];
  closed: [SmscConnection];
  /** Every PDU an ESME sent, before it is answered. */
  pdu: [Pdu, SmscConnection];
  accepted: [StoredMessage];
  receipt: [StoredMessage, number];
}

/** An MO message to inject; short_message as text (Latin-1/GSM-safe) or bytes. */
export interface MoMessage extends PduFields<'deliver_sm'> {
  /** Which account's receivers get it; default the first bound receiver. */
  readonly systemId?: string;
  readonly text?: string;
}

export class SmscSimulator extends EventEmitter<SmscEvents> implements SmscContext {
  readonly clock: Clock;
  readonly store: MessageStore;
  readonly systemId: string;
  readonly interfaceVersion: number;
  faults: SmscFaults;
  private readonly server: Server;
  private readonly log: Logger;
  private readonly live = new Set<SmscConnection>();
  private readonly sockets = new Set<Socket>();
  private readonly receiptTimers = new Set<ReturnType<Clock['setTimeout']>>();
  private stateCursor = 0;
  /** Receipts for accounts with no receiver bound yet, sent when one binds. */
  private readonly waitingReceipts = new Map<string, Array<PduOf<'deliver_sm'>>>();

  constructor(readonly options: SmscOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.store = new MessageStore(options.storeCapacity ?? 100_000);
    this.systemId = options.systemId ?? 'edge-sim';
    this.interfaceVersion = options.interfaceVersion ?? 0x34;
    this.faults = options.faults ?? {};
    this.log = childLogger(options.logger ?? silentLogger(), { mod: 'sim-smsc' });
    this.server = options.tls === undefined
      ? createServer((socket) => this.accept(socket))
      : createTlsServer({ key: options.tls.key, cert: options.tls.cert }, (socket) => this.accept(socket));
    // A client failing the TLS handshake (a certificate it does not trust) is its problem, not the server's.
    this.server.on('tlsClientError', () => undefined);
  }

  /** Starts listening; resolves with the port (useful with port 0). */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (error) => reject(new AgentError(`simulator cannot listen: ${error.message}`, ErrorCode.Smpp_ConnectionClosed, {}, { cause: error })));
      this.server.listen(this.options.port ?? 2775, this.options.host ?? '127.0.0.1', resolve);
    });
    return this.port;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  get connections(): readonly SmscConnection[] {
    return [...this.live];
  }

  setFaults(faults: SmscFaults): void {
    this.faults = faults;
  }

  /** Sends an MO deliver_sm to a bound receiver; resolves with the ESME's command_status. */
  async injectMo(message: MoMessage): Promise<number> {
    const { systemId, text, ...fields } = message;
    const target = this.receiverFor(systemId);
    if (target === undefined) throw new AgentError(`no receiver bound${systemId === undefined ? '' : ` for ${systemId}`}`, ErrorCode.Smpp_NotBound);
    const pdu = createPdu('deliver_sm', { ...fields, ...(text === undefined ? {} : { short_message: Buffer.from(text, 'latin1') }) });
    return target.deliver(pdu);
  }

  /** Stops: closes every connection and timer; resolves when the port is free. */
  async stop(): Promise<void> {
    for (const timer of this.receiptTimers) this.clock.clearTimeout(timer);
    this.receiptTimers.clear();
    for (const connection of this.live) connection.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // SmscContext -------------------------------------------------------------------------

  observe(connection: SmscConnection, pdu: Pdu): void {
    if (this.listenerCount('pdu') > 0) this.emit('pdu', pdu, connection);
  }

  bound(connection: SmscConnection): void {
    this.log.debug({ systemId: connection.systemId, mode: connection.bindMode }, 'bound');
    this.emit('bound', connection);
    const waiting = connection.receives && connection.systemId !== undefined ? this.waitingReceipts.get(connection.systemId) : undefined;
    if (waiting !== undefined) {
      this.waitingReceipts.delete(connection.systemId!);
      for (const pdu of waiting) this.sendReceipt(pdu, connection);
    }
  }

  unbound(connection: SmscConnection): void {
    this.emit('unbound', connection);
  }

  closed(connection: SmscConnection): void {
    this.live.delete(connection);
    this.emit('closed', connection);
  }

  accepted(message: StoredMessage, connection: SmscConnection): void {
    if (this.listenerCount('accepted') > 0) this.emit('accepted', message);
    const receipts = this.options.receipts;
    if (receipts === undefined || (message.registeredDelivery & 0x03) === 0) return;
    const timer = this.clock.setTimeout(() => {
      this.receiptTimers.delete(timer);
      this.finish(message, connection);
    }, receipts.delayMs ?? 1000);
    this.receiptTimers.add(timer);
  }

  // -------------------------------------------------------------------------------------

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const connection = new SmscConnection(socket, this, this.log);
    this.live.add(connection);
    this.emit('connection', connection);
  }

  private receiverFor(systemId: string | undefined, prefer?: SmscConnection): SmscConnection | undefined {
    if (prefer !== undefined && prefer.receives && !prefer.link.closed) return prefer;
    for (const connection of this.live) {
      if (connection.receives && !connection.link.closed && (systemId === undefined || connection.systemId === systemId)) return connection;
    }
    return undefined;
  }

  /** The message reaches its final state; a receipt goes out when asked for (bit 1: on failure only). */
  private finish(message: StoredMessage, connection: SmscConnection): void {
    if (MessageStore.isFinal(message.state)) return; // cancelled meanwhile
    const states: readonly ReceiptStat[] = this.options.receipts?.states ?? ['DELIVRD'];
    const stat = states[this.stateCursor++ % states.length] ?? 'DELIVRD';
    message.state = messageStateForStat(stat);
    message.doneAt = Date.now();
    if (message.state !== MessageState.DELIVERED) message.errorCode = 1;
    const wanted = (message.registeredDelivery & 0x03) === 1 || ((message.registeredDelivery & 0x03) === 2 && message.state !== MessageState.DELIVERED);
    if (!wanted) return;
    const text = formatReceipt({
      messageId: message.id, submitted: 1, delivered: message.state === MessageState.DELIVERED ? 1 : 0,
      submitDate: new Date(message.submittedAt), doneDate: new Date(message.doneAt), stat, err: message.state === MessageState.DELIVERED ? '000' : '001',
      text: message.shortMessage.subarray(0, 20).toString('latin1'),
    });
    const pdu = createPdu('deliver_sm', {
      source_addr: message.destinationAddr, destination_addr: message.sourceAddr, esm_class: 0x04,
      short_message: Buffer.from(text, 'latin1'),
      tlvs: [tlv('receipted_message_id', message.id), tlv('message_state', message.state)],
    });
    const target = this.receiverFor(message.systemId, connection);
    if (target === undefined) {
      const list = this.waitingReceipts.get(message.systemId) ?? [];
      // Bounded like a real SMSC's store: with nobody ever binding to receive, the oldest go.
      if (list.length >= maxWaitingReceipts) list.shift();
      list.push(pdu);
      this.waitingReceipts.set(message.systemId, list);
      return;
    }
    this.sendReceipt(pdu, target);
  }

  private sendReceipt(pdu: PduOf<'deliver_sm'>, target: SmscConnection): void {
    target.deliver(pdu).then(
      (status) => {
        if (status !== CommandStatus.ESME_ROK) this.log.debug({ status }, 'receipt refused by the ESME');
        this.emit('receipt', this.store.get(receiptId(pdu), target.systemId ?? '') ?? ({ id: receiptId(pdu) } as StoredMessage), status);
      },
      (error: unknown) => this.log.debug({ err: error }, 'receipt not acknowledged'),
    );
  }
}

function receiptId(pdu: PduOf<'deliver_sm'>): string {
  const id = pdu.tlvs.find((item) => item.name === 'receipted_message_id')?.value;
  return typeof id === 'string' ? id : '';
}
