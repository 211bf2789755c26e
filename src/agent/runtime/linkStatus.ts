/**
 * Why a link is where it is: its state, since when, the last error (message, code, when) and the
 * next retry. `status`, the local API's `/state` and the MQTT state show it, so an operator reads
 * "smpp: closed since 09:12:03, last error ECONNREFUSED at 09:12:03, next retry 09:12:07" rather
 * than a bare "closed". One tracker per link; the link's owner feeds it from the link's own events.
 */
import type { LinkError, MqttMirror } from '../../mqtt/index.js';
import { linkErrorOf } from './linkErrors.js';

/** `{message, code?, reason?, at}`: the same shape as the state's `smpp.lastError` (TLS failures carry their reason). */
export type LinkErrorSnapshot = LinkError;

/** `state` is the link's own vocabulary (SMPP session states, modem phases, MQTT connection states) or `disabled`. */
export interface LinkStatusSnapshot {
  readonly state: string;
  /** When the link entered `state` (ISO 8601). */
  readonly since: string;
  readonly lastError: LinkErrorSnapshot | null;
  /** When the next attempt is due (ISO 8601), while one is scheduled. */
  readonly nextRetryAt: string | null;
}

export interface LinkStatusSet {
  readonly smpp: LinkStatusSnapshot;
  readonly modem: LinkStatusSnapshot;
  readonly mqtt: LinkStatusSnapshot;
}

export class LinkStatus {
  private state: string;
  private sinceMs: number;
  private error: LinkError | null = null;
  private retryAtMs: number | null = null;

  constructor(initial: string, private readonly now: () => number = Date.now) {
    this.state = initial;
    this.sinceMs = now();
  }

  /** The link moved to `state`; a link that comes up has no retry pending. */
  moved(state: string): void {
    if (state === this.state) return;
    this.state = state;
    this.sinceMs = this.now();
    if (state === 'bound' || state === 'ready' || state === 'connected') this.retryAtMs = null;
  }

  /** The link failed (or was refused); the next try is in `retryInMs` when known. */
  failed(error: unknown, retryInMs?: number): void {
    const at = this.now();
    this.error = linkErrorOf(error, at);
    this.retryAtMs = retryInMs === undefined ? null : at + retryInMs;
  }

  snapshot(): LinkStatusSnapshot {
    return {
      state: this.state,
      since: new Date(this.sinceMs).toISOString(),
      lastError: this.error,
      nextRetryAt: this.retryAtMs === null ? null : new Date(this.retryAtMs).toISOString(),
    };
  }
}

/** A link the config turns off. */
export function disabledLink(since: number): LinkStatusSnapshot {
  return { state: 'disabled', since: new Date(since).toISOString(), lastError: null, nextRetryAt: null };
}

/** The broker link's status, fed by the mirror's connection events. */
export function mirrorLinkStatus(mirror: MqttMirror): LinkStatus {
  const status = new LinkStatus('connecting');
  mirror.on('connected', () => status.moved('connected'));
  mirror.on('disconnected', () => status.moved('waiting'));
  mirror.on('error', (error) => {
    status.failed(error);
    status.moved(mirror.status().connection);
  });
  return status;
}
