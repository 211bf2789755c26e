/** What the simulated SMSC is told to be: accounts, limits, receipts, and faults to inject. */
import type { CommandName, ReceiptStat } from '../../smpp/index.js';
import type { Clock } from '../../smpp/index.js';
import type { Logger } from '../../logger.js';
import type { ThrottleWindow } from './throttle.js';

export interface SmscAccount {
  readonly systemId: string;
  readonly password: string;
}

export interface ReceiptOptions {
  /** Time from submit to receipt, ms; default 1000. */
  readonly delayMs?: number;
  /** Final states handed out in turn (DELIVRD, UNDELIV, EXPIRED, REJECTD…); default ['DELIVRD']. */
  readonly states?: readonly ReceiptStat[];
}

/** Faults, changeable while running (setFaults). */
export interface SmscFaults {
  /** Close a connection once it has sent this many PDUs (the bind included). */
  readonly dropAfterPdus?: number;
  /** Read PDUs but answer none (a hung SMSC). */
  readonly stopAnswering?: boolean;
  /** Answer these requests (default submit_sm, submit_multi, data_sm) with this command_status. */
  readonly answerWith?: { readonly status: number; readonly commands?: readonly CommandName[] };
}

export interface SmscOptions {
  readonly accounts: readonly SmscAccount[];
  /** default 127.0.0.1 */
  readonly host?: string;
  /** 0 = any free port (tests); default 2775 */
  readonly port?: number;
  /** The system_id in bind responses; default 'edge-sim'. */
  readonly systemId?: string;
  /** sc_interface_version offered: 0x34 (default) or 0x50. */
  readonly interfaceVersion?: 0x34 | 0x50;
  /** Submits per second per bind; beyond it submits are answered ESME_RTHROTTLED. Default unlimited. */
  readonly throttlePerSecond?: number;
  /** How the throttle counts: over any one-second window (default) or per whole second since the bind. */
  readonly throttleWindow?: ThrottleWindow;
  /** v5 binds: congestion_state to put in every submit response (0–100). */
  readonly congestionState?: number;
  /** Outstanding deliver_sm (MO and receipts) per bind; default 10. */
  readonly window?: number;
  /** Delivery receipts for submits that ask for them (registered_delivery); off when undefined. */
  readonly receipts?: ReceiptOptions;
  readonly faults?: SmscFaults;
  /** Largest PDU accepted, octets; default 65 536. */
  readonly maxPduSize?: number;
  /** Messages remembered for query/cancel/replace; default 100 000. */
  readonly storeCapacity?: number;
  /** Listen with TLS (an smpps:// endpoint) using this key and certificate (PEM). */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  readonly clock?: Clock;
  readonly logger?: Logger;
}
