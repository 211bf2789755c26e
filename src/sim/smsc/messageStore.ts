/**
 * The simulator's messages: ids handed out in submit_sm_resp, and the state query_sm,
 * cancel_sm and replace_sm act on. Bounded: a ring of `capacity` records, so a load test of
 * millions does not grow the simulator without end (the oldest are forgotten; querying one
 * answers ESME_RQUERYFAIL, as an SMSC that purged it would). Ids are a counter in hex, so a
 * lookup is an index, not a hash: the store costs no allocation beyond the record itself.
 */
import { MessageState } from '../../smpp/index.js';

export interface StoredMessage {
  readonly id: string;
  readonly systemId: string;
  readonly sourceAddr: string;
  readonly destinationAddr: string;
  /** ms since the epoch */
  readonly submittedAt: number;
  shortMessage: Buffer;
  state: number;
  /** ms since the epoch, once final */
  doneAt: number | undefined;
  errorCode: number;
  /** registered_delivery of the submit: bits 0–1 ask for a receipt (1 always, 2 on failure). */
  readonly registeredDelivery: number;
}

export interface NewMessage {
  readonly systemId: string;
  readonly sourceAddr: string;
  readonly destinationAddr: string;
  readonly shortMessage: Buffer;
  readonly registeredDelivery: number;
}

export class MessageStore {
  private readonly ring: Array<StoredMessage | undefined>;
  private readonly mask: number;
  private counter: number;

  constructor(capacity = 100_000, start = 0) {
    let size = 1024;
    while (size < capacity) size *= 2;
    this.ring = new Array<StoredMessage | undefined>(size).fill(undefined);
    this.mask = size - 1;
    this.counter = start;
  }

  add(record: NewMessage, now: number): StoredMessage {
    const number = ++this.counter;
    const message: StoredMessage = {
      // Hex ids, as many SMSCs use; receipts carry the same form in their id: field.
      id: number.toString(16).padStart(8, '0'),
      systemId: record.systemId,
      sourceAddr: record.sourceAddr,
      destinationAddr: record.destinationAddr,
      submittedAt: now,
      shortMessage: record.shortMessage,
      state: MessageState.ENROUTE,
      doneAt: undefined,
      errorCode: 0,
      registeredDelivery: record.registeredDelivery,
    };
    this.ring[number & this.mask] = message;
    return message;
  }

  get(id: string, systemId: string): StoredMessage | undefined {
    if (!/^[0-9a-f]{1,13}$/i.test(id)) return undefined;
    const message = this.ring[Number.parseInt(id, 16) & this.mask];
    return message !== undefined && message.id === id.toLowerCase().padStart(8, '0') && message.systemId === systemId ? message : undefined;
  }

  /** Final states: delivered, expired, deleted, undeliverable, rejected. */
  static isFinal(state: number): boolean {
    return state !== MessageState.ENROUTE && state !== MessageState.SCHEDULED && state !== MessageState.ACCEPTED && state !== MessageState.UNKNOWN;
  }
}
