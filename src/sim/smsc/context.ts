/** What a connection needs from the simulator around it (keeps connection.ts free of the server). */
import type { Clock, Pdu } from '../../smpp/index.js';
import type { SmscConnection } from './connection.js';
import type { MessageStore, StoredMessage } from './messageStore.js';
import type { SmscFaults, SmscOptions } from './options.js';

export interface SmscContext {
  readonly options: SmscOptions;
  readonly clock: Clock;
  readonly store: MessageStore;
  readonly systemId: string;
  readonly interfaceVersion: number;
  readonly faults: SmscFaults;
  /** Every PDU received, before it is answered. */
  observe(connection: SmscConnection, pdu: Pdu): void;
  bound(connection: SmscConnection): void;
  unbound(connection: SmscConnection): void;
  closed(connection: SmscConnection): void;
  /** A message was accepted: schedule its receipt if one was asked for. */
  accepted(message: StoredMessage, connection: SmscConnection): void;
}
