/**
 * The agent's SMPP link: the reconnecting client made from the config, and what the rest of the
 * agent needs to know about it — bound since when, down since when (the router's modem fallback
 * counts from that), whether the SMSC is throttling us — plus the link and outage events.
 * An outage begins only when a bound link drops: failing to connect at start-up is not news.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { LinkError, MirrorEvent } from '../../mqtt/index.js';
import { SmppClient, sessionOptionsFromUrl, type BackoffOptions, type DeliveryReceipt, type InboundMessage, type SmppSession, type SessionOptions } from '../../smpp/index.js';
import type { AgentConfig } from '../config/index.js';
import { linkErrorOf } from './linkErrors.js';

export interface SmppLinkHooks {
  /** The deliver_sm handler: returns the deliver_sm_resp command_status. */
  readonly inbound: (message: InboundMessage, receipt: DeliveryReceipt | undefined) => number;
  readonly event: (event: MirrorEvent) => void;
  /** The link came up or went down: the router should look again. */
  readonly changed: () => void;
}

export class SmppLink {
  readonly client: SmppClient;
  private boundAt: number | null = null;
  private downAt: number;
  private throttledNow = false;
  private lastFailure: LinkError | undefined;

  constructor(config: AgentConfig, logger: Logger, hooks: SmppLinkHooks, now: () => number = Date.now) {
    // Until the first bind, "down since" is the start: the modem fallback delay counts from then.
    this.downAt = now();
    this.client = new SmppClient({
      ...withCaFile(sessionOptionsFromUrl(smppUrlOf(config), {
        responseTimeoutMs: config.smpp.responseTimeoutMs,
        enquireLinkMs: config.smpp.enquireLinkS * 1000,
        ...(config.smpp.maxRate > 0 ? { maxPerSecond: config.smpp.maxRate } : {}),
      }), config.smpp.caFile),
      backoff: reconnectBackoff(config),
      logger,
      onInbound: hooks.inbound,
    });
    this.client.on('bound', () => {
      const downFor = now() - this.downAt;
      this.boundAt = now();
      this.lastFailure = undefined;
      hooks.event({ type: 'link-up', link: 'smpp' });
      hooks.event({ type: 'outage-ended', link: 'smpp', durationSeconds: Math.round(downFor / 1000) });
      hooks.changed();
    });
    this.client.on('disconnected', (error) => {
      if (error !== undefined) {
        this.remember(error, now());
        // A TLS failure does not heal by retrying: say why at warn (the retries go on, at back-off).
        const reason = this.lastFailure?.reason;
        if (reason !== undefined) logger.warn({ reason, err: error.message }, `SMPP TLS failure (${reason}): check smpp.caFile and the SMSC's certificate`);
      }
      if (this.boundAt !== null) {
        this.downAt = now();
        hooks.event({ type: 'link-down', link: 'smpp', reason: error?.message ?? 'closed' });
        hooks.event({ type: 'outage-began', link: 'smpp' });
      }
      this.boundAt = null;
      hooks.changed();
    });
    this.client.on('bindFailed', (error, retryInMs) => {
      this.remember(error, now());
      logger.error({ err: error, retryInMs }, 'SMSC refused the bind');
    });
    this.client.on('throttle', (info) => {
      this.throttledNow = info.status !== 0;
    });
  }

  /** When the link was last bound (ms since the epoch), or null while it is not. */
  get boundSince(): number | null {
    return this.boundAt;
  }

  /** When the link was last lost, or the agent's start if it never was bound. */
  get downSince(): number {
    return this.downAt;
  }

  /** The same failure again keeps its first time: the retained state does not change at every retry. */
  private remember(error: Error, at: number): void {
    const next = linkErrorOf(error, at);
    if (this.lastFailure?.message !== next.message || this.lastFailure.code !== next.code) this.lastFailure = next;
  }

  /** The last connect or bind failure since the last bind. */
  get lastError(): LinkError | undefined {
    return this.lastFailure;
  }

  get throttled(): boolean {
    return this.throttledNow;
  }

  /** The bound session, if any. */
  get session(): SmppSession | undefined {
    return this.client.session;
  }

  start(): void {
    this.client.start();
  }

  /** Unbinds and stops reconnecting. */
  stop(): Promise<void> {
    return this.client.stop();
  }
}

/** The reconnect schedule after a dropped link, from `smpp.reconnectMinS` / `smpp.reconnectMaxS`. */
export function reconnectBackoff(config: AgentConfig): BackoffOptions {
  return { initialMs: Math.round(config.smpp.reconnectMinS * 1000), maxMs: Math.round(config.smpp.reconnectMaxS * 1000) };
}

/** The session window the URL asks for (the router keeps at most this many messages in flight). */
export function smppWindowOf(config: AgentConfig): number {
  return config.smpp.url === undefined ? 10 : sessionOptionsFromUrl(config.smpp.url).window ?? 10;
}

/** The SMSC's URL; loadConfig has already refused an enabled link without one. */
function smppUrlOf(config: AgentConfig): string {
  if (config.smpp.url === undefined) throw new AgentError('smpp.url: is required while smpp.enabled is true', ErrorCode.Config_Invalid, { key: 'smpp.url' });
  return config.smpp.url;
}

/** `smpp.caFile` overrides the URL's `ca=` parameter: the config key is what the README documents. */
function withCaFile(options: SessionOptions, caFile: string | undefined): SessionOptions {
  return caFile === undefined ? options : { ...options, endpoint: { ...options.endpoint, ca: caFile } };
}
