/**
 * The simulator's messages: ids handed out in submit_sm_resp, and the state query_sm,
 * cancel_sm and replace_sm act on. Bounded: the oldest records go once `capacity` is reached,
 * so a load test of millions does not grow the simulator without end.
 */
import { MessageState } from '../../smpp/index.js';

export interface StoredMessage {
  readonly id: string;
  readonly systemId: string;
  readonly sourceAddr: string;
  readonly destinationAddr: string;
  readonly submittedAt: Date;
  shortMessage: Buffer;
  state: number;
  doneAt: Date | undefined;
  errorCode: number;
  /** registered_delivery of the submit: bits 0–1 ask for a receipt (1 always, 2 on failure). */
  readonly registeredDelivery: number;
}

export class MessageStore {
  private readonly messages = new Map<string, StoredMessage>();
  private counter: number;

  constructor(
    private readonly capacity = 100_000,
    start = 0,
  ) {
    this.counter = start;
  }

  get size(): number {
    return this.messages.size;
  }

  add(record: Omit<StoredMessage, 'id' | 'state' | 'doneAt' | 'errorCode'>): StoredMessage {
    // Hex ids, as many SMSCs use; receipts carry the same form in their id: field.
    const id = (++this.counter).toString(16).padStart(8, '0');
    const message: StoredMessage = { ...record, id, state: MessageState.ENROUTE, doneAt: undefined, errorCode: 0 };
    this.messages.set(id, message);
    if (this.messages.size > this.capacity) {
      const oldest = this.messages.keys().next();
      if (oldest.done !== true) this.messages.delete(oldest.value);
    }
    return message;
  }

  get(id: string, systemId: string): StoredMessage | undefined {
    const message = this.messages.get(id);
    return message?.systemId === systemId ? message : undefined;
  }

  /** Final states: delivered, expired, deleted, undeliverable, rejected. */
  static isFinal(state: number): boolean {
    return state !== MessageState.ENROUTE && state !== MessageState.SCHEDULED && state !== MessageState.ACCEPTED && state !== MessageState.UNKNOWN;
  }
}
